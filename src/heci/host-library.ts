/**
 * The TypeScript host MEI library: what host programs (vme status, LMS, the MEBX) use from their
 * own process to talk to a platform's engine through its MEI device socket, the way rpc-go opens
 * `/dev/mei0`. Every refusal is a `MeiErrnoError` naming the Linux driver errno.
 * [brief amt-protocol §5.1; me-internals §3.4]
 *
 * @example
 * const mei = await MeiDevice.open('state/mei0.sock');
 * const { maxMessageLength } = await mei.connect('8e6a6715-9abc-4043-88ef-9e39c6f63e0f'); // MKHI
 * const reply = await mei.request(Uint8Array.of(0xff, 0x02, 0x00, 0x00)); // GET_FW_VERSION
 * await mei.close();
 */
import { connect as connectSocket, type Socket } from 'node:net';
import { allocate } from './bytes.js';
import { errnoName, MeiErrnoError } from './errno.js';
import type { ConnectResult } from './driver-file.js';
import {
  CONNECT_REPLY, CONNECT_REQUEST, DEVICE_OPERATION, DeviceFrameReader, encodeDeviceFrame, NOTIFY_GET_REPLY,
  NOTIFY_SET_REQUEST, WAIT_REQUEST, WRITE_REPLY, type DeviceFrame, type DeviceOperationName,
} from './socket-protocol.js';

export { MeiErrnoError } from './errno.js';
export type { ConnectResult } from './driver-file.js';

/** rpc-go polls the device for 3 s before giving up; the same default here. */
export const DEFAULT_TIMEOUT_MS = 3000;

interface Pending {
  readonly resolve: (payload: Uint8Array) => void;
  readonly reject: (error: Error) => void;
}

export class MeiDevice {
  readonly #pending = new Map<number, Pending>();
  #nextTag = 1;
  #closed = false;

  private constructor(private readonly socket: Socket) {
    const reader = new DeviceFrameReader({
      frame: (frame) => this.#settle(frame),
      oversized: () => this.#fail(new MeiErrnoError('EMSGSIZE', 'the device sent an oversized frame')),
    }, 0x100000);
    socket.on('data', (chunk: Buffer) => reader.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.#fail(new MeiErrnoError('ENODEV', 'the MEI device closed')));
  }

  /**
   * open("/dev/mei0") on a platform's device socket.
   * @throws MeiErrnoError ENOENT when nothing serves `socketPath`
   */
  static open(socketPath: string): Promise<MeiDevice> {
    return new Promise((resolve, reject) => {
      const socket = connectSocket(socketPath);
      socket.once('connect', () => resolve(new MeiDevice(socket)));
      socket.once('error', (error) => reject(new MeiErrnoError('ENOENT', `no MEI device at ${socketPath}: ${error.message}`)));
    });
  }

  /**
   * IOCTL_MEI_CONNECT_CLIENT: connects this file to the firmware client `uuid`.
   * @throws MeiErrnoError ENOTTY unknown client, EBUSY connected or client at its limit, ENODEV engine down
   */
  async connect(uuid: string): Promise<ConnectResult> {
    const reply = CONNECT_REPLY.parse(await this.#call('connect', CONNECT_REQUEST.serialize({ uuid })));
    return { maxMessageLength: reply.maxMessageLength, protocolVersion: reply.protocolVersion };
  }

  /**
   * write(): sends one whole message. @returns bytes written
   * @throws MeiErrnoError EFBIG over the maximum length, EAGAIN no credit and queue full, ENODEV not connected
   */
  async send(message: Uint8Array): Promise<number> {
    return WRITE_REPLY.parse(await this.#call('write', message)).written;
  }

  /**
   * poll + read(): the next whole message; `timeoutMs` 0 answers at once (EAGAIN when none).
   * @throws MeiErrnoError ETIMEDOUT, EAGAIN, ENODEV disconnected, EMSGSIZE
   */
  receive(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Uint8Array> {
    return this.#call('read', WAIT_REQUEST.serialize({ timeoutMs }));
  }

  /**
   * write() then poll + read() in one exchange with the device.
   * @throws MeiErrnoError as `send`, then as `receive`
   */
  request(message: Uint8Array, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<Uint8Array> {
    const payload = allocate(WAIT_REQUEST.size + message.length); // fully written: timeout, then message
    WAIT_REQUEST.serialize({ timeoutMs }, payload);
    payload.set(message, WAIT_REQUEST.size);
    return this.#call('request', payload);
  }

  /** IOCTL_MEI_NOTIFY_SET. @throws MeiErrnoError ENODEV, EOPNOTSUPP, EINVAL */
  async setNotify(enable: boolean): Promise<void> {
    await this.#call('notifySet', NOTIFY_SET_REQUEST.serialize({ enable: enable ? 1 : 0 }));
  }

  /** IOCTL_MEI_NOTIFY_GET after waiting up to `timeoutMs`. @throws MeiErrnoError ETIMEDOUT, ENODEV */
  async waitNotification(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<boolean> {
    return NOTIFY_GET_REPLY.parse(await this.#call('notifyGet', WAIT_REQUEST.serialize({ timeoutMs }))).notification === 1;
  }

  /** close(): the engine side disconnects the client and frees the connection. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
    });
  }

  #call(operation: DeviceOperationName, payload: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(new MeiErrnoError('EBADF', 'the device is closed'));
    const tag = this.#allocateTag();
    return new Promise((resolve, reject) => {
      this.#pending.set(tag, { resolve, reject });
      this.socket.write(encodeDeviceFrame(DEVICE_OPERATION[operation], tag, payload));
    });
  }

  #allocateTag(): number {
    while (this.#pending.has(this.#nextTag)) this.#nextTag = (this.#nextTag + 1) & 0xffff;
    const tag = this.#nextTag;
    this.#nextTag = (this.#nextTag + 1) & 0xffff;
    return tag;
  }

  #settle(frame: DeviceFrame): void {
    const pending = this.#pending.get(frame.tag);
    if (pending === undefined) return;
    this.#pending.delete(frame.tag);
    if (frame.errno === 0) pending.resolve(frame.payload);
    else pending.reject(new MeiErrnoError(errnoName(frame.errno) ?? 'EINVAL', `the MEI device answered errno ${frame.errno}`));
  }

  #fail(error: MeiErrnoError): void {
    this.#closed = true;
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
