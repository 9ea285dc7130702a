/**
 * A read-only NBD server, sans-I/O (bytes in, bytes and read requests out): the way QEMU reads a
 * block device vme serves (IDE-R media whose blocks come from a redirection console). Fixed
 * newstyle handshake (NBDMAGIC, IHAVEOPT, FIXED_NEWSTYLE|NO_ZEROES); options NBD_OPT_EXPORT_NAME,
 * NBD_OPT_GO and NBD_OPT_INFO (one export, any name; NBD_INFO_EXPORT and NBD_INFO_BLOCK_SIZE),
 * NBD_OPT_ABORT; every other option is answered NBD_REP_ERR_UNSUP (so no structured replies).
 * Transmission: NBD_CMD_READ (simple replies, in request order), NBD_CMD_DISC; writes and trims
 * are answered EPERM (the export is read-only), anything else EINVAL, reads outside the export or
 * longer than the advertised maximum EINVAL. Malformed input (bad magic, an oversized option or
 * write payload) throws VmeError VME_ERR_NBD_PROTOCOL: the adapter closes the connection.
 * Spec: NetworkBlockDevice/nbd doc/proto.md.
 */
import { bytes, struct, u16be, u32be, type FieldCodec } from '../../codec/index.js';
import { VmeError } from '../../common/errors.js';

/** An unsigned 64-bit big-endian field (NBD's magics, sizes, offsets and cookies). */
const u64be = (): FieldCodec<bigint> => ({
  size: 8, kind: 'u64be', fallback: 0n,
  read: (v, o) => v.getBigUint64(o, false),
  write: (v, o, x) => v.setBigUint64(o, x, false),
});

export const NBD_MAGIC = 0x4e42444d41474943n; // "NBDMAGIC"
export const NBD_OPTS_MAGIC = 0x49484156454f5054n; // "IHAVEOPT"
export const NBD_REP_MAGIC = 0x3e889045565a9n;
export const NBD_REQUEST_MAGIC = 0x25609513;
export const NBD_SIMPLE_REPLY_MAGIC = 0x67446698;

export const NBD_HANDSHAKE_FLAG = { fixedNewstyle: 1, noZeroes: 2 } as const;
export const NBD_OPT = { exportName: 1, abort: 2, list: 3, info: 6, go: 7, structuredReply: 8 } as const;
export const NBD_REP = { ack: 1, server: 2, info: 3, errUnsup: 0x80000001, errInvalid: 0x80000003 } as const;
export const NBD_INFO = { export: 0, blockSize: 3 } as const;
export const NBD_TRANSMISSION_FLAG = { hasFlags: 1, readOnly: 2 } as const;
export const NBD_CMD = { read: 0, write: 1, disc: 2, flush: 3, trim: 4 } as const;
export const NBD_ERRNO = { eperm: 1, eio: 5, einval: 22 } as const;

/** Declared once: every fixed-size NBD message. */
export const NBD_STRUCTS = {
  greeting: struct('NbdGreeting', { magic: u64be(), optsMagic: u64be(), flags: u16be() }),
  clientFlags: struct('NbdClientFlags', { flags: u32be() }),
  option: struct('NbdOption', { magic: u64be(), option: u32be(), length: u32be() }),
  optionReply: struct('NbdOptionReply', { magic: u64be(), option: u32be(), type: u32be(), length: u32be() }),
  infoExport: struct('NbdInfoExport', { type: u16be(), size: u64be(), flags: u16be() }),
  infoBlockSize: struct('NbdInfoBlockSize', { type: u16be(), minimum: u32be(), preferred: u32be(), maximum: u32be() }),
  exportNameReply: struct('NbdExportNameReply', { size: u64be(), flags: u16be() }),
  request: struct('NbdRequest', { magic: u32be(), flags: u16be(), type: u16be(), cookie: bytes(8), offset: u64be(), length: u32be() }),
  simpleReply: struct('NbdSimpleReply', { magic: u32be(), error: u32be(), cookie: bytes(8) }),
} as const;

/** What the session wants done: bytes to send, a read to perform (answer with `readReply`), or the end. */
export type NbdOutput =
  | { readonly kind: 'send'; readonly bytes: Uint8Array }
  | { readonly kind: 'read'; readonly cookie: Uint8Array; readonly offset: number; readonly length: number }
  | { readonly kind: 'close'; readonly reason: string };

export interface NbdExport {
  /** Bytes in the export. */
  readonly size: number;
  /** The export's natural block size (advertised as the preferred and minimum size). */
  readonly blockSize: number;
  /** Longest read a request may ask for (default 1 MiB). */
  readonly maxRead?: number;
}

const MAX_OPTION_BYTES = 4096;
const DEFAULT_MAX_READ = 1 << 20;
const TRANSMISSION_FLAGS = NBD_TRANSMISSION_FLAG.hasFlags | NBD_TRANSMISSION_FLAG.readOnly;

function nbdFail(message: string, details: Record<string, unknown> = {}): never {
  throw new VmeError('VME_ERR_NBD_PROTOCOL', `NBD: ${message}`, details);
}

export class NbdSession {
  #phase: 'client-flags' | 'options' | 'transmission' | 'closed' = 'client-flags';
  #buffer: Uint8Array = new Uint8Array(0);
  #noZeroes = false;
  /** Bytes of a refused write still to skip. */
  #skip = 0;
  readonly #maxRead: number;

  constructor(readonly target: NbdExport) {
    this.#maxRead = target.maxRead ?? DEFAULT_MAX_READ;
  }

  get phase(): string {
    return this.#phase;
  }

  /** The server's greeting (send first). */
  greeting(): Uint8Array {
    const flags = NBD_HANDSHAKE_FLAG.fixedNewstyle | NBD_HANDSHAKE_FLAG.noZeroes;
    return NBD_STRUCTS.greeting.serialize({ magic: NBD_MAGIC, optsMagic: NBD_OPTS_MAGIC, flags });
  }

  /** Client bytes → outputs. @throws VmeError VME_ERR_NBD_PROTOCOL for malformed input */
  receive(data: Uint8Array): NbdOutput[] {
    this.#buffer = this.#buffer.length === 0 ? data : Buffer.concat([this.#buffer, data]);
    const out: NbdOutput[] = [];
    for (let step = this.#step(out); step; step = this.#step(out));
    return out;
  }

  /** The reply to a read: the data, or an errno when it failed. */
  readReply(cookie: Uint8Array, data: Uint8Array | undefined, errno: number = NBD_ERRNO.eio): Uint8Array {
    const head = NBD_STRUCTS.simpleReply.serialize({ magic: NBD_SIMPLE_REPLY_MAGIC, error: data ? 0 : errno, cookie });
    return data ? Buffer.concat([head, data]) : head;
  }

  /** Consumes one message if whole; false when more bytes are needed. */
  #step(out: NbdOutput[]): boolean {
    if (this.#skip > 0) {
      const n = Math.min(this.#skip, this.#buffer.length);
      this.#buffer = this.#buffer.subarray(n);
      this.#skip -= n;
      if (this.#skip > 0) return false;
    }
    switch (this.#phase) {
      case 'client-flags': return this.#clientFlags();
      case 'options': return this.#option(out);
      case 'transmission': return this.#request(out);
      default:
        this.#buffer = new Uint8Array(0);
        return false;
    }
  }

  #take(size: number): Uint8Array | undefined {
    if (this.#buffer.length < size) return undefined;
    const taken = this.#buffer.subarray(0, size);
    this.#buffer = this.#buffer.subarray(size);
    return taken;
  }

  #clientFlags(): boolean {
    const raw = this.#take(NBD_STRUCTS.clientFlags.size);
    if (!raw) return false;
    const { flags } = NBD_STRUCTS.clientFlags.parse(raw);
    if ((flags & NBD_HANDSHAKE_FLAG.fixedNewstyle) === 0) nbdFail('the client does not speak fixed newstyle', { flags });
    if ((flags & ~(NBD_HANDSHAKE_FLAG.fixedNewstyle | NBD_HANDSHAKE_FLAG.noZeroes)) !== 0) nbdFail('unknown client flags', { flags });
    this.#noZeroes = (flags & NBD_HANDSHAKE_FLAG.noZeroes) !== 0;
    this.#phase = 'options';
    return true;
  }

  #option(out: NbdOutput[]): boolean {
    const size = NBD_STRUCTS.option.size;
    if (this.#buffer.length < size) return false;
    const head = NBD_STRUCTS.option.parse(this.#buffer);
    if (head.magic !== NBD_OPTS_MAGIC) nbdFail('bad option magic', { magic: `0x${head.magic.toString(16)}` });
    if (head.length > MAX_OPTION_BYTES) nbdFail(`option ${head.option} data of ${head.length} bytes is over ${MAX_OPTION_BYTES}`, { option: head.option, length: head.length });
    if (this.#buffer.length < size + head.length) return false;
    const data = this.#buffer.subarray(size, size + head.length);
    this.#buffer = this.#buffer.subarray(size + head.length);
    const reply = (type: number, body: Uint8Array = new Uint8Array(0)): void => {
      out.push({ kind: 'send', bytes: Buffer.concat([NBD_STRUCTS.optionReply.serialize({ magic: NBD_REP_MAGIC, option: head.option, type, length: body.length }), body]) });
    };
    switch (head.option) {
      case NBD_OPT.exportName: {
        const info = NBD_STRUCTS.exportNameReply.serialize({ size: BigInt(this.target.size), flags: TRANSMISSION_FLAGS });
        out.push({ kind: 'send', bytes: this.#noZeroes ? info : Buffer.concat([info, new Uint8Array(124)]) });
        this.#phase = 'transmission';
        return true;
      }
      case NBD_OPT.abort:
        reply(NBD_REP.ack);
        this.#close(out, 'the client aborted the handshake');
        return false;
      case NBD_OPT.info:
      case NBD_OPT.go:
        if (!this.#validGo(data)) {
          reply(NBD_REP.errInvalid);
          return true;
        }
        reply(NBD_REP.info, NBD_STRUCTS.infoExport.serialize({ type: NBD_INFO.export, size: BigInt(this.target.size), flags: TRANSMISSION_FLAGS }));
        reply(NBD_REP.info, NBD_STRUCTS.infoBlockSize.serialize({ type: NBD_INFO.blockSize, minimum: 1, preferred: this.target.blockSize, maximum: this.#maxRead }));
        reply(NBD_REP.ack);
        if (head.option === NBD_OPT.go) this.#phase = 'transmission';
        return true;
      default:
        reply(NBD_REP.errUnsup);
        return true;
    }
  }

  /** NBD_OPT_GO/INFO data: u32 name length, name, u16 request count, u16 requests. */
  #validGo(data: Uint8Array): boolean {
    if (data.length < 6) return false;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const nameLength = view.getUint32(0, false);
    if (nameLength > data.length - 6) return false;
    const requests = view.getUint16(4 + nameLength, false);
    return data.length === 6 + nameLength + requests * 2;
  }

  #request(out: NbdOutput[]): boolean {
    const raw = this.#take(NBD_STRUCTS.request.size);
    if (!raw) return false;
    const request = NBD_STRUCTS.request.parse(raw);
    if (request.magic !== NBD_REQUEST_MAGIC) nbdFail('bad request magic', { magic: request.magic });
    const errno = (code: number): void => { out.push({ kind: 'send', bytes: this.readReply(request.cookie, undefined, code) }); };
    switch (request.type) {
      case NBD_CMD.read: {
        const end = request.offset + BigInt(request.length);
        if (request.length === 0 || request.length > this.#maxRead || end > BigInt(this.target.size)) errno(NBD_ERRNO.einval);
        else out.push({ kind: 'read', cookie: request.cookie, offset: Number(request.offset), length: request.length });
        return true;
      }
      case NBD_CMD.write:
        if (request.length > this.#maxRead) nbdFail(`write payload of ${request.length} bytes is over ${this.#maxRead}`, { length: request.length });
        this.#skip = request.length;
        errno(NBD_ERRNO.eperm);
        return true;
      case NBD_CMD.trim:
        errno(NBD_ERRNO.eperm);
        return true;
      case NBD_CMD.disc:
        this.#close(out, 'the client disconnected (NBD_CMD_DISC)');
        return false;
      default:
        errno(NBD_ERRNO.einval);
        return true;
    }
  }

  #close(out: NbdOutput[], reason: string): void {
    this.#phase = 'closed';
    this.#buffer = new Uint8Array(0);
    out.push({ kind: 'close', reason });
  }
}
