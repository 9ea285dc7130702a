/**
 * One socket connection to the MEI device = one open file: frames in, each operation applied to a
 * `MeiFile`, reply frames out (sans I/O). Operations start in arrival order; a connect holds the
 * ones behind it, a blocking read or notify-get does not (like another thread's system call).
 * Closing the session closes the file, which disconnects the client. See socket-protocol.ts.
 */
import { LINUX_ERRNO, MeiErrnoError } from './errno.js';
import type { MeiHostDriver } from './host-driver.js';
import type { MeiFile } from './driver-file.js';
import {
  CONNECT_REPLY, CONNECT_REQUEST, DEVICE_OPERATION, DEVICE_REPLY_BIT, DeviceFrameReader, encodeDeviceFrame,
  NOTIFY_GET_REPLY, NOTIFY_SET_REQUEST, WAIT_REQUEST, WRITE_REPLY, type DeviceFrame,
} from './socket-protocol.js';

type Operation = (file: MeiFile, payload: Uint8Array) => Promise<Uint8Array> | Uint8Array;

const empty = new Uint8Array(0);
const invalid = (what: string): never => {
  throw new MeiErrnoError('EINVAL', what);
};
const sized = (payload: Uint8Array, size: number, what: string): void => {
  if (payload.length !== size) invalid(`${what} needs ${size} bytes, got ${payload.length}`);
};

// connect 0x01: in uuid_le[16]; out max_msg_length u32, protocol_version u8, reserved[3], tail[8]. [brief §3.4]
const connect: Operation = async (file, payload) => {
  sized(payload, CONNECT_REQUEST.size, 'connect');
  const result = await file.connect(CONNECT_REQUEST.parse(payload).uuid);
  return CONNECT_REPLY.serialize(CONNECT_REPLY.defaults({ maxMessageLength: result.maxMessageLength, protocolVersion: result.protocolVersion }));
};

// write 0x02: in the whole message; out written u32 (write()'s return value).
const write: Operation = (file, payload) => WRITE_REPLY.serialize({ written: file.write(payload) });

// read 0x03: in timeout_ms u32 (0 = O_NONBLOCK); out the whole message.
const read: Operation = (file, payload) => {
  sized(payload, WAIT_REQUEST.size, 'read');
  return file.read(WAIT_REQUEST.parse(payload).timeoutMs);
};

// notifySet 0x04: in enable u32 (0/1); out empty. [brief §3.4 IOCTL_MEI_NOTIFY_SET]
const notifySet: Operation = async (file, payload) => {
  sized(payload, NOTIFY_SET_REQUEST.size, 'notify-set');
  const { enable } = NOTIFY_SET_REQUEST.parse(payload);
  if (enable > 1) invalid('notify-set takes 0 or 1');
  await file.setNotify(enable === 1);
  return empty;
};

// notifyGet 0x05: in timeout_ms u32; out notification u32 (1 = an event arrived). [§3.4 IOCTL_MEI_NOTIFY_GET]
const notifyGet: Operation = async (file, payload) => {
  sized(payload, WAIT_REQUEST.size, 'notify-get');
  const notified = await file.waitNotification(WAIT_REQUEST.parse(payload).timeoutMs);
  return NOTIFY_GET_REPLY.serialize({ notification: notified ? 1 : 0 });
};

// request 0x06: in timeout_ms u32 then the whole message; out the next whole message. A failed
// write answers with its errno and reads nothing.
const request: Operation = (file, payload) => {
  if (payload.length < WAIT_REQUEST.size) invalid('request needs a 4-byte timeout before the message');
  file.write(payload.subarray(WAIT_REQUEST.size));
  return file.read(WAIT_REQUEST.parse(payload).timeoutMs);
};

const OPERATIONS: ReadonlyMap<number, { readonly run: Operation; readonly blocking: boolean }> = new Map([
  [DEVICE_OPERATION.connect, { run: connect, blocking: false }],
  [DEVICE_OPERATION.write, { run: write, blocking: false }],
  [DEVICE_OPERATION.read, { run: read, blocking: true }],
  [DEVICE_OPERATION.notifySet, { run: notifySet, blocking: false }],
  [DEVICE_OPERATION.notifyGet, { run: notifyGet, blocking: true }],
  [DEVICE_OPERATION.request, { run: request, blocking: true }],
]);

const WRITING: ReadonlySet<number> = new Set([DEVICE_OPERATION.write, DEVICE_OPERATION.request]);

export class DeviceSession {
  readonly file: MeiFile;
  readonly #reader: DeviceFrameReader;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;
  /** Operations queued behind a connect or another non-blocking operation. */
  #holding = 0;

  constructor(driver: MeiHostDriver, private readonly send: (bytes: Uint8Array) => void) {
    this.file = driver.open();
    this.#reader = new DeviceFrameReader({
      frame: (frame) => this.#accept(frame),
      oversized: (frame) => this.#reply(frame.operation, frame.tag, empty, WRITING.has(frame.operation) ? 'EFBIG' : 'EINVAL'),
    });
  }

  /** Bytes of a partial frame still held. */
  get buffered(): number {
    return this.#reader.buffered;
  }

  /** Bytes from the socket. Never throws. */
  receive(chunk: Uint8Array): void {
    if (!this.#closed) this.#reader.push(chunk);
  }

  /** The socket closed: close the file (disconnects the client); later replies are dropped. */
  close(): void {
    this.#closed = true;
    this.file.close();
  }

  #accept(frame: DeviceFrame): void {
    const operation = OPERATIONS.get(frame.operation);
    if (operation === undefined) {
      this.#reply(frame.operation, frame.tag, empty, 'EINVAL');
      return;
    }
    const start = (): Promise<void> => this.#run(operation.run, frame);
    if (this.#holding === 0 && operation.blocking) {
      void start(); // nothing ahead of it: start now (it does not hold later operations)
      return;
    }
    this.#holding += 1;
    const release = (): void => {
      this.#holding -= 1;
    };
    this.#queue = operation.blocking ? this.#queue.then(() => void start()).then(release) : this.#queue.then(start).then(release);
  }

  async #run(run: Operation, frame: DeviceFrame): Promise<void> {
    try {
      this.#reply(frame.operation, frame.tag, await run(this.file, frame.payload));
    } catch (error) {
      this.#reply(frame.operation, frame.tag, empty, error instanceof MeiErrnoError ? error.errno : 'EINVAL');
    }
  }

  #reply(operation: number, tag: number, payload: Uint8Array, errno?: keyof typeof LINUX_ERRNO): void {
    if (this.#closed) return;
    this.send(encodeDeviceFrame((operation | DEVICE_REPLY_BIT) & 0xff, tag, payload, errno ? LINUX_ERRNO[errno] : 0));
  }
}
