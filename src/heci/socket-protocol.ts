/**
 * vme's MEI device socket protocol: the stand-in for the kernel driver's system calls on
 * `/dev/mei0`. Every frame is an 8-byte header (operation, errno, tag, length) then `length` bytes.
 * A request's tag comes back on its reply, so a blocking read can be outstanding while writes go
 * on. Payloads reuse the ioctl layouts (the 16-byte IOCTL_MEI_CONNECT_CLIENT union). See
 * docs/design/0005-heci.md "Socket protocol".
 */
import { bytes, struct, u16, u32, u8 } from '../codec/index.js';
import { allocate } from './bytes.js';
import { uuidLe } from './uuid.js';

/** The frame header, declared once. */
export const DEVICE_FRAME = struct('vme MEI device frame header', {
  operation: u8(), // DEVICE_OPERATION; replies set bit 7
  errno: u8(), // 0 in requests and successful replies, else a Linux errno (LINUX_ERRNO)
  tag: u16(), // chosen by the requester, echoed on the reply
  length: u32(), // payload bytes that follow
});
export const DEVICE_FRAME_HEADER_BYTES = DEVICE_FRAME.size;

/** Operations and the system call each stands for. */
export const DEVICE_OPERATION = {
  connect: 0x01, // ioctl(IOCTL_MEI_CONNECT_CLIENT)   in: CONNECT_REQUEST  out: CONNECT_REPLY
  write: 0x02, // write(fd, message)                  in: the message      out: WRITE_REPLY
  read: 0x03, // poll(POLLIN, timeout) + read(fd)     in: WAIT_REQUEST     out: the message
  notifySet: 0x04, // ioctl(IOCTL_MEI_NOTIFY_SET)     in: NOTIFY_SET_REQUEST out: empty
  notifyGet: 0x05, // poll(POLLPRI) + IOCTL_MEI_NOTIFY_GET in: WAIT_REQUEST  out: NOTIFY_GET_REPLY
  request: 0x06, // write(fd, message), then poll + read(fd) in: WAIT_REQUEST + message out: the message
} as const;
export type DeviceOperationName = keyof typeof DEVICE_OPERATION;
export const DEVICE_REPLY_BIT = 0x80;

/** The Linux ioctl numbers these operations stand for [brief me-internals §3.4]. */
export const MEI_IOCTL = { connectClient: 0xc0104801, notifySet: 0x40044802, notifyGet: 0x80044803, connectClientVtag: 0xc0144804 } as const;

export const CONNECT_REQUEST = struct('IOCTL_MEI_CONNECT_CLIENT in', { uuid: uuidLe() });
export const CONNECT_REPLY = struct('IOCTL_MEI_CONNECT_CLIENT out', {
  maxMessageLength: u32(), protocolVersion: u8(), reserved: bytes(3), unionTail: bytes(8),
});
export const WRITE_REPLY = struct('write result', { written: u32() });
/** Read and notify-get: how long to wait; 0 = O_NONBLOCK (answer at once). */
export const WAIT_REQUEST = struct('wait request', { timeoutMs: u32() });
export const NOTIFY_SET_REQUEST = struct('IOCTL_MEI_NOTIFY_SET in', { enable: u32() });
export const NOTIFY_GET_REPLY = struct('IOCTL_MEI_NOTIFY_GET out', { notification: u32() });

/** Largest request payload the device buffers; longer ones are skipped unread and answered EFBIG. */
export const DEVICE_MAX_PAYLOAD = 0x10000;

export interface DeviceFrame {
  readonly operation: number;
  readonly errno: number;
  readonly tag: number;
  readonly payload: Uint8Array;
}

/** Serializes one frame. */
export function encodeDeviceFrame(operation: number, tag: number, payload: Uint8Array = new Uint8Array(0), errno = 0): Uint8Array {
  const frame = allocate(DEVICE_FRAME_HEADER_BYTES + payload.length); // every byte is written below
  DEVICE_FRAME.serialize({ operation, errno, tag, length: payload.length }, frame);
  frame.set(payload, DEVICE_FRAME_HEADER_BYTES);
  return frame;
}

export interface FrameReaderEvents {
  readonly frame: (frame: DeviceFrame) => void;
  /** A frame whose payload exceeded the limit: its bytes were skipped, only the header is known. */
  readonly oversized: (frame: Omit<DeviceFrame, 'payload'> & { readonly length: number }) => void;
}

/**
 * Splits a byte stream into frames, sans I/O. Memory stays bounded: at most one header and one
 * payload of up to `maxPayload` bytes are held; a longer payload is counted down and discarded.
 */
export class DeviceFrameReader {
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #skipping = 0;

  constructor(private readonly events: FrameReaderEvents, private readonly maxPayload = DEVICE_MAX_PAYLOAD) {}

  /** Bytes held for a partial frame (what a peer that dies mid-frame leaves behind). */
  get buffered(): number {
    return this.#buffered;
  }

  push(chunk: Uint8Array): void {
    let data = chunk;
    if (this.#skipping > 0) {
      const skip = Math.min(this.#skipping, data.length);
      this.#skipping -= skip;
      data = data.subarray(skip);
    }
    if (data.length === 0) return;
    this.#chunks.push(data);
    this.#buffered += data.length;
    this.#drain();
  }

  #drain(): void {
    while (this.#buffered >= DEVICE_FRAME_HEADER_BYTES) {
      const all = this.#chunks.length === 1 ? (this.#chunks[0] as Uint8Array) : Buffer.concat(this.#chunks, this.#buffered);
      const header = DEVICE_FRAME.parse(all);
      if (header.length > this.maxPayload) {
        const available = all.length - DEVICE_FRAME_HEADER_BYTES;
        const skipNow = Math.min(available, header.length);
        this.#skipping = header.length - skipNow;
        this.#keep(all.subarray(DEVICE_FRAME_HEADER_BYTES + skipNow));
        this.events.oversized(header);
        continue;
      }
      const end = DEVICE_FRAME_HEADER_BYTES + header.length;
      if (all.length < end) {
        this.#keep(all);
        return;
      }
      this.#keep(all.subarray(end));
      // A view, on purpose: socket chunks are fresh per read and never written again.
      this.events.frame({ operation: header.operation, errno: header.errno, tag: header.tag, payload: all.subarray(DEVICE_FRAME_HEADER_BYTES, end) });
    }
  }

  #keep(rest: Uint8Array): void {
    this.#chunks = rest.length === 0 ? [] : [rest];
    this.#buffered = rest.length;
  }
}
