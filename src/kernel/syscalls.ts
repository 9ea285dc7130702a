/**
 * The capability ABI, declared once: for each capability kind, the operations an app may invoke
 * through it with their argument and reply fields. The kernel checks every syscall against this
 * table (after checking the capability is minted for the caller); the worker-side helpers are
 * typed from it. Capability ids: `nvram`, `call:<app>`, `host:<control>`, `crypto:<key>`,
 * `heci:<uuid>`, `net:<port>`, `dma:<window>`, `memory` (pageable engine pages, owner-bound),
 * `platform` (every app: read the platform facts) and `platform:<fact>` (granted: set that fact).
 */
import type { Fields } from './interfaces.js';

const key = { type: 'string', maxLength: 64 } as const;
const value = { type: 'bytes', maxBytes: 16384 } as const;
/** One NVRAM transaction: at most 128 keys; the values must fit one NVRAM record (64 KiB with its framing). */
const puts = { type: 'entries', maxItems: 128, maxKeyLength: 64, maxBytes: 16384, maxTotalBytes: 48 * 1024 } as const;
const keys = { type: 'strings', maxItems: 128, maxLength: 64 } as const;
/** An app's own page number (never a device page id: the kernel maps it per instance). */
const page = { type: 'integer', min: 1, max: 0x7fffffff } as const;
const PAGE_BYTES = 4096;

export const SYSCALLS = {
  nvram: {
    get: { args: { key }, reply: { found: { type: 'boolean' }, value } },
    put: { args: { key, value }, reply: {} },
    delete: { args: { key }, reply: { deleted: { type: 'boolean' } } },
    list: { args: { prefix: key }, reply: { keys: { type: 'strings', maxItems: 4096, maxLength: 64 } } },
    /** Puts and deletes applied together or not at all (one NVRAM record); a key may appear once. */
    commit: { args: { puts, deletes: keys }, reply: {} },
    usage: { args: {}, reply: { bytes: { type: 'integer', min: 0, max: 0x80000 }, quotaBytes: { type: 'integer', min: 0, max: 0x80000 } } },
  },
  host: {
    request: { args: { request: { type: 'string', maxLength: 32 } }, reply: { accepted: { type: 'boolean' } } },
    /** `host:serial` only: bytes into the host UART's receive FIFO (SOL keystrokes); `accepted` is how many fit. */
    write: { args: { bytes: { type: 'bytes', maxBytes: 4096 } }, reply: { accepted: { type: 'integer', min: 0, max: 4096 } } },
    /** `host:framebuffer` only: one line the firmware draws over the host's screen (the user-consent code); '' removes it. */
    overlay: { args: { text: { type: 'string', maxLength: 80 } }, reply: { accepted: { type: 'boolean' } } },
    /** `host:framebuffer` only: the text screen's cells (u16 little-endian each: character | attribute << 8) and cursor; `changed` false (and no cells) when its change count is still `since`. */
    snapshot: {
      args: { since: { type: 'integer', min: -1, max: Number.MAX_SAFE_INTEGER } },
      reply: {
        changed: { type: 'boolean' }, changeCount: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER }, columns: { type: 'integer', min: 0, max: 255 },
        rows: { type: 'integer', min: 0, max: 255 }, cursorRow: { type: 'integer', min: 0, max: 255 }, cursorColumn: { type: 'integer', min: 0, max: 255 }, cells: { type: 'bytes', maxBytes: 16384 },
      },
    },
    /** `host:framebuffer` only: keys typed on the host keyboard (KVM key events); `accepted` is how many fit its queue. */
    key: { args: { keys: { type: 'bytes', maxBytes: 64 } }, reply: { accepted: { type: 'integer', min: 0, max: 64 } } },
    /** `host:framebuffer` only: a KVM pointer event — pixel x, y on the 640×400 picture of the screen and the RFB button mask; `accepted` false without a host pointer. */
    pointer: {
      args: { x: { type: 'integer', min: 0, max: 639 }, y: { type: 'integer', min: 0, max: 399 }, buttons: { type: 'integer', min: 0, max: 255 } },
      reply: { accepted: { type: 'boolean' } },
    },
    /** `host:boot` only (IDE-R): `attach` puts media served by the app in `device` (`ider-cd`/`ider-floppy`), `detach` empties it; the host reads its blocks with `host-media-read` requests. */
    media: {
      args: {
        action: { type: 'string', maxLength: 8 }, device: { type: 'string', maxLength: 16 }, description: { type: 'string', maxLength: 80 },
        blockSize: { type: 'integer', min: 0, max: 4096 }, blocks: { type: 'integer', min: 0, max: 0xffffffff },
      },
      reply: { accepted: { type: 'boolean' } },
    },
  },
  crypto: {
    hmac: { args: { data: { type: 'bytes', maxBytes: 65536 } }, reply: { mac: { type: 'bytes', maxBytes: 32 } } },
  },
  heci: {
    notify: { args: { bytes: { type: 'bytes', maxBytes: 65536 } }, reply: {} },
    /** A message the firmware sends on its own initiative (e.g. APF data over LME); `sent` false when no host is connected. */
    send: { args: { bytes: { type: 'bytes', maxBytes: 65536 } }, reply: { sent: { type: 'boolean' } } },
  },
  net: {
    status: { args: {}, reply: { port: { type: 'integer', min: 1, max: 65535 }, tls: { type: 'boolean' }, listening: { type: 'boolean' } } },
  },
  platform: {
    facts: { args: {}, reply: { endOfPost: { type: 'boolean' }, hostPower: { type: 'integer', min: 0, max: 0xffff } } },
    /** Only through `platform:end-of-post`; `changed` is false when it was already set. */
    setEndOfPost: { args: {}, reply: { changed: { type: 'boolean' } } },
  },
  memory: {
    allocate: { args: {}, reply: { page } },
    write: { args: { page, offset: { type: 'integer', min: 0, max: PAGE_BYTES - 1 }, bytes: { type: 'bytes', maxBytes: PAGE_BYTES } }, reply: {} },
    read: { args: { page, offset: { type: 'integer', min: 0, max: PAGE_BYTES - 1 }, length: { type: 'integer', min: 1, max: PAGE_BYTES } }, reply: { bytes: { type: 'bytes', maxBytes: PAGE_BYTES } } },
    free: { args: { page }, reply: {} },
    usage: { args: {}, reply: { pages: { type: 'integer', min: 0, max: 16384 }, maxPages: { type: 'integer', min: 1, max: 16384 } } },
  },
  dma: {
    read: { args: { address: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER }, length: { type: 'integer', min: 1, max: 65536 } }, reply: { bytes: { type: 'bytes', maxBytes: 65536 } } },
    write: { args: { address: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER }, bytes: { type: 'bytes', maxBytes: 65536 } }, reply: {} },
  },
} as const satisfies Record<string, Record<string, { args: Fields; reply: Fields }>>;

/** Capability kinds with a syscall table (`call` capabilities use the callee's interface instead). */
export type SyscallKind = keyof typeof SYSCALLS;
export type CapabilityKind = SyscallKind | 'call';

/** Splits `kind:name` (or bare `nvram`). */
export function parseCapabilityId(id: string): { kind: string; name: string } {
  const colon = id.indexOf(':');
  return colon < 0 ? { kind: id, name: '' } : { kind: id.slice(0, colon), name: id.slice(colon + 1) };
}
