/**
 * The kernel services behind capabilities other than `call:`: each syscall is checked against the
 * declared ABI (syscalls.ts), then served from the one thing the capability names — the app's own
 * NVRAM namespace, its crypto session's derived key, its DMA window, its host control line, its
 * own engine-memory pages, the platform facts (read by all, set only through the granted
 * `platform:<fact>`), the state of its granted listeners (`net:<port>`; the data path is not a
 * syscall, see net/app-network.ts).
 */
import { VmeError } from '../common/errors.js';
import { UntrustedHostRange, engineRange, type CryptoSession, type DmaEngine, type KeyHandle, type Sram } from '../devices/index.js';
import type { HostControl, PlatformFact } from '../me/app-manifest.js';
import type { NvramNamespace } from './nvram/index.js';
import type { AppMemory } from './app-memory.js';
import type { AppNetwork } from './net/index.js';
import type { Capability } from './capabilities.js';
import type { PlatformFacts } from './platform-facts.js';
import { kernelFail } from './errors.js';
import { checkFields, type Fields } from './interfaces.js';
import { SYSCALLS, type SyscallKind } from './syscalls.js';

/** Requests each host control line understands (the host model serves them in a later issue). */
export const HOST_REQUESTS: Readonly<Record<HostControl, readonly string[]>> = {
  power: ['on', 'off', 'reset', 'cycle', 'sleep', 'hibernate', 'nmi', 'off-graceful', 'reset-graceful'],
  /** The next POST boots once from this device (src/host/boot-order.ts); 'none' clears the override. */
  boot: ['none', 'disk', 'pxe', 'cd', 'ider-cd', 'ider-floppy'],
  serial: ['open', 'close'],
  framebuffer: ['attach', 'detach'],
};

/** The host's text screen as the `host:framebuffer` snapshot carries it; `cells` is undefined when unchanged. */
export interface HostScreenSnapshot {
  readonly changeCount: number;
  readonly columns: number;
  readonly rows: number;
  readonly cursorRow: number;
  readonly cursorColumn: number;
  /** u16 little-endian per cell (character | attribute << 8), row-major. */
  readonly cells: Uint8Array | undefined;
}

/** Where host-control requests and HECI notifications go (the host model / HECI bus plug in here). */
export interface HostPorts {
  hostControl(app: string, control: HostControl, request: string): boolean;
  heciNotify(app: string, client: string, bytes: Uint8Array): void;
  /** An unsolicited firmware→host message on the client's open connection; false when none is open. */
  heciSend?(app: string, client: string, bytes: Uint8Array): boolean;
  /** `host:framebuffer` snapshot (KVM): the screen unless its change count is still `since`; undefined without a host. */
  hostScreen?(app: string, since: number): HostScreenSnapshot | undefined;
  /** `host:framebuffer` key (KVM): keys typed on the host keyboard; returns how many fit (0 without a host). */
  hostKeys?(app: string, keys: Uint8Array): number;
  /** `host:framebuffer` pointer (KVM): a pointer event at pixel x, y with the RFB button mask; false without a host pointer. */
  hostPointer?(app: string, event: { x: number; y: number; buttons: number }): boolean;
  /** `host:serial` write: bytes into the host UART's receive FIFO; returns how many fit (0 without a host). */
  hostSerialWrite?(app: string, bytes: Uint8Array): number;
  /** `host:framebuffer` overlay: one line over the host's screen ('' removes it); false without a screen. */
  hostOverlay?(app: string, text: string): boolean;
  /** `host:boot` media (IDE-R): attach or detach media the app serves; false without a host or for a device that takes none. */
  hostMedia?(app: string, media: HostMediaRequest): boolean;
}

/** IDE-R media an app attaches (`host:boot` syscall `media`); the host reads it with `host-media-read` requests. */
export interface HostMediaRequest {
  readonly action: 'attach' | 'detach';
  readonly device: 'ider-cd' | 'ider-floppy';
  readonly description: string;
  readonly blockSize: number;
  readonly blocks: number;
}

/** The IDE-R devices a `host:boot` media syscall may name. */
export const HOST_MEDIA_DEVICES: readonly string[] = ['ider-cd', 'ider-floppy'];

/** What one app instance's syscalls are served from. */
export interface AppServices {
  readonly app: string;
  /** The app's namespace, or the error that made NVRAM unavailable. */
  readonly nvram: NvramNamespace | VmeError | undefined;
  readonly crypto: CryptoSession;
  readonly hmacKeys: Map<string, Promise<KeyHandle>>;
  readonly dma: DmaEngine;
  readonly sram: Sram;
  readonly ports: HostPorts;
  /** The platform's facts (one object per platform, shared by its apps). */
  readonly facts: PlatformFacts;
  /** The app's page table over the platform's engine memory (apps granted `memory`). */
  readonly memory?: AppMemory;
  /** The app's listeners and connections (apps granted listeners on an engine with a network). */
  readonly network?: AppNetwork;
}

/** Serves one syscall on a non-call capability. @throws KernelError VME_ERR_CAPABILITY_DENIED / VME_ERR_IPC_INVALID, or the service's own typed error */
export async function serveSyscall(capability: Capability, operation: string, args: unknown, services: AppServices): Promise<unknown> {
  const kind = capability.kind as SyscallKind;
  const table: Readonly<Record<string, { args: Fields; reply: Fields } | undefined>> = SYSCALLS[kind];
  const spec = Object.hasOwn(table, operation) ? table[operation] : undefined;
  if (!spec) return kernelFail('VME_ERR_CAPABILITY_DENIED', `capability ${capability.id} offers no operation ${JSON.stringify(operation)}`, { capability: capability.id, operation });
  checkFields(spec.args, args, `${capability.id} ${operation} arguments`);
  const reply = await perform(capability, operation, args as Record<string, unknown>, services);
  checkFields(spec.reply, reply, `${capability.id} ${operation} reply`);
  return reply;
}

function perform(capability: Capability, operation: string, args: Record<string, unknown>, services: AppServices): unknown {
  const grant = capability.grant;
  switch (grant.kind) {
    case 'nvram':
      return nvramOperation(services, operation, args);
    case 'host': {
      if (operation === 'snapshot' || operation === 'key' || operation === 'pointer') return hostScreenOperation(services, grant.control, operation, args);
      if (operation === 'write' || operation === 'overlay') return hostLineOperation(services, grant.control, operation, args);
      if (operation === 'media') return hostMediaOperation(services, grant.control, args);
      const request = args.request as string;
      if (!HOST_REQUESTS[grant.control].includes(request)) kernelFail('VME_ERR_IPC_INVALID', `host control ${grant.control} has no request ${JSON.stringify(request)}`);
      return { accepted: services.ports.hostControl(services.app, grant.control, request) };
    }
    case 'crypto':
      return hmac(services, grant.key, args.data as Uint8Array);
    case 'heci': {
      const bytes = args.bytes as Uint8Array;
      if (operation === 'notify') {
        services.ports.heciNotify(services.app, grant.client.uuid, bytes);
        return {};
      }
      if (bytes.length === 0 || bytes.length > grant.client.maxMessageBytes) kernelFail('VME_ERR_IPC_INVALID', `a HECI message on ${grant.client.name} must be 1..${grant.client.maxMessageBytes} bytes, got ${bytes.length}`);
      return { sent: services.ports.heciSend?.(services.app, grant.client.uuid, bytes) ?? false };
    }
    case 'net':
      return { port: grant.listener.port, tls: grant.listener.tls, listening: services.network?.portStatus(grant.listener.port).listening ?? false };
    case 'platform':
      return platformOperation(services, grant.fact, operation);
    case 'dma':
      return dmaOperation(services, grant.window, operation, args);
    case 'memory':
      return memoryOperation(services, operation, args);
    case 'call':
      return kernelFail('VME_ERR_INTERNAL', 'call capabilities are routed by the kernel');
  }
}

/** The serial line's data path and the screen overlay, each only on its own host-control line. */
function hostLineOperation(services: AppServices, control: HostControl, operation: 'write' | 'overlay', args: Record<string, unknown>): unknown {
  const line = operation === 'write' ? 'serial' : 'framebuffer';
  if (control !== line) kernelFail('VME_ERR_CAPABILITY_DENIED', `${operation} is a host:${line} operation, not host:${control}`, { control, operation });
  if (operation === 'write') return { accepted: services.ports.hostSerialWrite?.(services.app, args.bytes as Uint8Array) ?? 0 };
  return { accepted: services.ports.hostOverlay?.(services.app, args.text as string) ?? false };
}

/** IDE-R media on the `host:boot` line: the device must be an IDE-R one and the action attach/detach. */
function hostMediaOperation(services: AppServices, control: HostControl, args: Record<string, unknown>): unknown {
  if (control !== 'boot') kernelFail('VME_ERR_CAPABILITY_DENIED', `media is a host:boot operation, not host:${control}`, { control, operation: 'media' });
  const { action, device } = args as { action: string; device: string };
  if ((action !== 'attach' && action !== 'detach') || !HOST_MEDIA_DEVICES.includes(device)) kernelFail('VME_ERR_IPC_INVALID', `host:boot media takes attach/detach of ider-cd or ider-floppy, got ${JSON.stringify(action)} ${JSON.stringify(device)}`);
  return { accepted: services.ports.hostMedia?.(services.app, args as unknown as HostMediaRequest) ?? false };
}

/** KVM's data path: the screen, the keyboard and the pointer, only on the `host:framebuffer` line. */
function hostScreenOperation(services: AppServices, control: HostControl, operation: 'snapshot' | 'key' | 'pointer', args: Record<string, unknown>): unknown {
  if (control !== 'framebuffer') kernelFail('VME_ERR_CAPABILITY_DENIED', `${operation} is a host:framebuffer operation, not host:${control}`, { control, operation });
  if (operation === 'key') return { accepted: services.ports.hostKeys?.(services.app, args.keys as Uint8Array) ?? 0 };
  if (operation === 'pointer') {
    const { x, y, buttons } = args as { x: number; y: number; buttons: number };
    return { accepted: services.ports.hostPointer?.(services.app, { x, y, buttons }) ?? false };
  }
  const screen = services.ports.hostScreen?.(services.app, args.since as number);
  if (!screen) return { changed: false, changeCount: 0, columns: 0, rows: 0, cursorRow: 0, cursorColumn: 0, cells: new Uint8Array(0) };
  return { ...screen, changed: screen.cells !== undefined, cells: screen.cells ?? new Uint8Array(0) };
}

function nvramOperation(services: AppServices, operation: string, args: Record<string, unknown>): unknown {
  const namespace = services.nvram;
  if (namespace instanceof VmeError) throw new VmeError(namespace.code, `NVRAM is unavailable on this platform: ${namespace.message}`, { cause: namespace.code });
  if (!namespace) return kernelFail('VME_ERR_INTERNAL', 'nvram capability without a namespace');
  const key = args.key as string;
  switch (operation) {
    case 'get': {
      const value = namespace.get(key);
      return { found: value !== undefined, value: value ?? new Uint8Array(0) };
    }
    case 'put':
      namespace.put(key, args.value as Uint8Array);
      return {};
    case 'delete':
      return { deleted: namespace.delete(key) };
    case 'list':
      return { keys: namespace.list(args.prefix as string) };
    case 'commit': {
      const puts = (args.puts as { key: string; value: Uint8Array }[]).map(({ key, value }) => ({ type: 'put' as const, key, value }));
      namespace.commit([...puts, ...(args.deletes as string[]).map((key) => ({ type: 'delete' as const, key }))]);
      return {};
    }
    default: {
      const usage = namespace.usage();
      return { bytes: usage.bytes, quotaBytes: usage.quotaBytes ?? 0 };
    }
  }
}

function memoryOperation(services: AppServices, operation: string, args: Record<string, unknown>): unknown {
  const memory = services.memory ?? kernelFail('VME_ERR_INTERNAL', 'memory capability without a page table');
  const page = args.page as number;
  switch (operation) {
    case 'allocate':
      return { page: memory.allocate() };
    case 'write':
      memory.write(page, args.offset as number, args.bytes as Uint8Array);
      return {};
    case 'read':
      return { bytes: memory.read(page, args.offset as number, args.length as number) };
    case 'free':
      memory.free(page);
      return {};
    default:
      return { pages: memory.pageCount, maxPages: memory.maxPages };
  }
}

function platformOperation(services: AppServices, fact: PlatformFact | undefined, operation: string): unknown {
  if (operation === 'facts') return services.facts.view();
  if (fact !== 'end-of-post') return kernelFail('VME_ERR_CAPABILITY_DENIED', 'setting End-of-POST needs the platform:end-of-post capability', { operation });
  return { changed: services.facts.setEndOfPost(services.app) };
}

async function hmac(services: AppServices, keyName: string, data: Uint8Array): Promise<unknown> {
  let handle = services.hmacKeys.get(keyName);
  if (!handle) {
    handle = services.crypto.deriveKey(`app:${services.app}:${keyName}`, 'hmac');
    services.hmacKeys.set(keyName, handle);
  }
  return { mac: await services.crypto.hmac(await handle, 'SHA-256', data) };
}

async function dmaOperation(services: AppServices, window: { target: 'host' | 'uma'; maxBytes: number; write: boolean }, operation: string, args: Record<string, unknown>): Promise<unknown> {
  if (window.target !== 'host') kernelFail('VME_ERR_CAPABILITY_DENIED', 'UMA windows are for the kernel\'s pager only in this version');
  if (operation === 'write' && !window.write) kernelFail('VME_ERR_CAPABILITY_DENIED', 'this DMA window is read-only');
  const data = operation === 'write' ? (args.bytes as Uint8Array) : undefined;
  const length = data?.length ?? (args.length as number);
  if (length > window.maxBytes || length === 0) kernelFail('VME_ERR_IPC_INVALID', `DMA length ${length} is outside 1..${window.maxBytes}`);
  const buffer = services.sram.allocateBuffer(services.app, length);
  try {
    const dram = services.dma.dram;
    const channel = services.dma.createChannel(services.app, { hostWindows: [{ base: 0, length: dram.size, direction: window.write ? 'both' : 'to-engine' }], engineBuffers: [buffer], maxTransferBytes: window.maxBytes });
    const host = UntrustedHostRange.allege(BigInt(args.address as number), BigInt(length));
    if (data) {
      buffer.bytes().set(data);
      await channel.engineToHost(engineRange(buffer), host);
      return {};
    }
    await channel.hostToEngine(host, engineRange(buffer));
    return { bytes: buffer.bytes().slice() };
  } finally {
    buffer.release();
  }
}
