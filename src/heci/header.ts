/**
 * The MEI message header: one little-endian dword in front of every fragment in either circular
 * buffer. Address 0/0 carries host bus messages (HBM). [brief me-internals §3.2; Linux
 * drivers/misc/mei/hw.h `struct mei_msg_hdr`]
 */
import { at, bits, struct, u32, DecodeError } from '../codec/index.js';

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

/** Packs a header dword (flags not given are 0). @throws RangeError when a field does not fit */
export function packMeiHeader(header: Partial<MeiHeader> & Pick<MeiHeader, 'meAddress' | 'hostAddress' | 'length'>): number {
  return MEI_HEADER_BITS.pack({
    meAddress: header.meAddress, hostAddress: header.hostAddress, length: header.length,
    reserved: header.reserved ?? 0, dmaRing: header.dmaRing ? 1 : 0, internal: header.internal ? 1 : 0,
    messageComplete: header.messageComplete ? 1 : 0,
  });
}

/** Unpacks a header dword. */
export function unpackMeiHeader(word: number): MeiHeader {
  const fields = MEI_HEADER_BITS.unpack(word);
  return {
    meAddress: fields.meAddress, hostAddress: fields.hostAddress, length: fields.length,
    messageComplete: fields.messageComplete === 1, dmaRing: fields.dmaRing === 1,
    internal: fields.internal === 1, reserved: fields.reserved,
  };
}

/**
 * One fragment on the wire: header dword then `payload` (whose length goes into the header).
 * @throws RangeError when the payload is longer than the 9-bit length field allows
 */
export function encodeFragment(meAddress: number, hostAddress: number, payload: Uint8Array, messageComplete: boolean): Uint8Array {
  const frame = new Uint8Array(MEI_HEADER_BYTES + payload.length);
  MEI_HEADER.serialize({ word: packMeiHeader({ meAddress, hostAddress, length: payload.length, messageComplete }) }, frame);
  frame.set(payload, MEI_HEADER_BYTES);
  return frame;
}

/**
 * Reads the header of a fragment and checks the frame holds exactly `length` payload bytes.
 * @throws DecodeError on a short frame or a length that disagrees with the bytes present
 */
export function decodeFragment(frame: Uint8Array): { header: MeiHeader; payload: Uint8Array } {
  const header = unpackMeiHeader(MEI_HEADER.parse(frame).word);
  const present = frame.length - MEI_HEADER_BYTES;
  if (present !== header.length) {
    throw new DecodeError({
      structure: 'MEI fragment', field: 'length', offset: 0, reason: present < header.length ? 'truncated' : 'trailing bytes',
      expected: `${header.length} payload bytes`, actual: `${present}`,
    });
  }
  return { header, payload: frame.subarray(MEI_HEADER_BYTES) };
}
