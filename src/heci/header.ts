/**
 * The MEI message header: one little-endian dword in front of every fragment in either circular
 * buffer. Address 0/0 carries host bus messages (HBM). [brief me-internals §3.2; Linux
 * drivers/misc/mei/hw.h `struct mei_msg_hdr`]
 */
import { at, bits, struct, u32, DecodeError } from '../codec/index.js';
import { allocate } from './bytes.js';

/** Bit layout of the header dword, declared once. */
export const MEI_HEADER_BITS = bits('MEI message header', {
  meAddress: at(0, 8), // 7:0 firmware client address
  hostAddress: at(8, 8), // 15:8 host client address
  length: at(16, 9), // 24:16 payload bytes in this fragment
  reserved: at(25, 4), // 28:25
  dmaRing: at(29), // 29 payload is in the DMA ring (HBM 2.1), not in the buffer
  internal: at(30), // 30 driver-internal message
  messageComplete: at(31), // 31 last fragment of the message
});

/** The header as a structure: one u32, little-endian. */
export const MEI_HEADER = struct('MEI message header', { word: u32() });
export const MEI_HEADER_BYTES = MEI_HEADER.size;
/** The largest payload the 9-bit length field can describe. */
export const MEI_HEADER_MAX_LENGTH = 0x1ff;

export interface MeiHeader {
  readonly meAddress: number;
  readonly hostAddress: number;
  readonly length: number;
  readonly messageComplete: boolean;
  readonly dmaRing: boolean;
  readonly internal: boolean;
  readonly reserved: number;
}

const FIELDS = MEI_HEADER_BITS.fields;

/** Checks `value` fits `field` and shifts it into place (shifts derived once from the declaration). */
function place(name: keyof typeof FIELDS, value: number): number {
  const field = FIELDS[name];
  if (!(value >= 0 && value < (1 << field.width)) || !Number.isInteger(value)) throw new RangeError(`MEI header ${name}: ${value} does not fit in ${field.width} bits`);
  return value << field.shift;
}

const SHIFT = {
  meAddress: FIELDS.meAddress.shift, hostAddress: FIELDS.hostAddress.shift, length: FIELDS.length.shift, reserved: FIELDS.reserved.shift,
  dmaRing: FIELDS.dmaRing.shift, internal: FIELDS.internal.shift, messageComplete: FIELDS.messageComplete.shift,
};
const LENGTH_MASK = (1 << FIELDS.length.width) - 1;
const RESERVED_MASK = (1 << FIELDS.reserved.width) - 1;

/** Packs a header dword (flags not given are 0). @throws RangeError when a field does not fit */
export function packMeiHeader(header: Partial<MeiHeader> & Pick<MeiHeader, 'meAddress' | 'hostAddress' | 'length'>): number {
  return (place('meAddress', header.meAddress) | place('hostAddress', header.hostAddress) | place('length', header.length)
    | place('reserved', header.reserved ?? 0) | (header.dmaRing ? 1 << FIELDS.dmaRing.shift : 0)
    | (header.internal ? 1 << FIELDS.internal.shift : 0) | (header.messageComplete ? 1 << FIELDS.messageComplete.shift : 0)) >>> 0;
}

/** Unpacks a header dword. */
export function unpackMeiHeader(word: number): MeiHeader {
  return {
    meAddress: (word >>> SHIFT.meAddress) & 0xff, hostAddress: (word >>> SHIFT.hostAddress) & 0xff, length: (word >>> SHIFT.length) & LENGTH_MASK,
    messageComplete: ((word >>> SHIFT.messageComplete) & 1) === 1, dmaRing: ((word >>> SHIFT.dmaRing) & 1) === 1,
    internal: ((word >>> SHIFT.internal) & 1) === 1, reserved: (word >>> SHIFT.reserved) & RESERVED_MASK,
  };
}

/** Reads the little-endian header dword at `offset` without allocating. */
export const readHeaderWord = (data: Uint8Array, offset = 0): number =>
  ((data[offset] ?? 0) | ((data[offset + 1] ?? 0) << 8) | ((data[offset + 2] ?? 0) << 16) | ((data[offset + 3] ?? 0) << 24)) >>> 0;

/** Writes a little-endian dword at `offset`. */
export function writeHeaderWord(target: Uint8Array, word: number, offset = 0): void {
  target[offset] = word & 0xff;
  target[offset + 1] = (word >>> 8) & 0xff;
  target[offset + 2] = (word >>> 16) & 0xff;
  target[offset + 3] = (word >>> 24) & 0xff;
}

/**
 * One fragment on the wire: header dword then `payload` (whose length goes into the header).
 * @throws RangeError when the payload is longer than the 9-bit length field allows
 */
export function encodeFragment(meAddress: number, hostAddress: number, payload: Uint8Array, messageComplete: boolean): Uint8Array {
  const frame = allocate(MEI_HEADER_BYTES + payload.length);
  writeHeaderWord(frame, packMeiHeader({ meAddress, hostAddress, length: payload.length, messageComplete }));
  frame.set(payload, MEI_HEADER_BYTES);
  return frame;
}

/**
 * Reads the header of a fragment and checks the frame holds exactly `length` payload bytes.
 * @throws DecodeError on a short frame or a length that disagrees with the bytes present
 */
export function decodeFragment(frame: Uint8Array): { header: MeiHeader; payload: Uint8Array } {
  if (frame.length < MEI_HEADER_BYTES) MEI_HEADER.parse(frame); // throws the codec's truncation error
  const header = unpackMeiHeader(readHeaderWord(frame));
  const present = frame.length - MEI_HEADER_BYTES;
  if (present !== header.length) {
    throw new DecodeError({
      structure: 'MEI fragment', field: 'length', offset: 0, reason: present < header.length ? 'truncated' : 'trailing bytes',
      expected: `${header.length} payload bytes`, actual: `${present}`,
    });
  }
  return { header, payload: frame.subarray(MEI_HEADER_BYTES) };
}
