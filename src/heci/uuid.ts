/**
 * Client UUIDs in the `uuid_le` byte order the MEI driver and HBM client properties use: the first
 * three fields little-endian (like a Windows GUID), the last two as written. [brief §3.3, §3.5;
 * amt-protocol §5.2 "Bytes as passed to the ioctl"]
 */
import type { FieldCodec } from '../codec/index.js';
import { VmeError } from '../common/errors.js';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** True when `text` is a UUID in the canonical 8-4-4-4-12 hexadecimal form (any case). */
export const isUuid = (text: string): boolean => UUID_PATTERN.test(text.toLowerCase());

/**
 * The 16 `uuid_le` bytes of a canonical UUID string.
 * @throws VmeError VME_ERR_HECI_REGISTRATION when `text` is not a UUID
 * @example uuidToBytes('12f80028-b4b7-4b2d-aca8-46e0ff65814c') // 28 00 f8 12 b7 b4 2d 4b ...
 */
export function uuidToBytes(text: string): Uint8Array {
  const lower = text.toLowerCase();
  if (!UUID_PATTERN.test(lower)) throw new VmeError('VME_ERR_HECI_REGISTRATION', `not a UUID: ${JSON.stringify(text)}`);
  const plain = Buffer.from(lower.replaceAll('-', ''), 'hex');
  const out = new Uint8Array(16);
  out.set(plain.subarray(0, 4).reverse(), 0);
  out.set(plain.subarray(4, 6).reverse(), 4);
  out.set(plain.subarray(6, 8).reverse(), 6);
  out.set(plain.subarray(8, 16), 8);
  return out;
}

/** The canonical lower-case string of 16 `uuid_le` bytes at `offset`. */
export function uuidFromBytes(data: Uint8Array, offset = 0): string {
  const raw = Buffer.from(data.subarray(offset, offset + 16));
  const hex = (start: number, end: number, reverse: boolean): string => {
    const part = Buffer.from(raw.subarray(start, end));
    return (reverse ? part.reverse() : part).toString('hex');
  };
  return [hex(0, 4, true), hex(4, 6, true), hex(6, 8, true), hex(8, 10, false), hex(10, 16, false)].join('-');
}

/** A codec field holding a `uuid_le`, parsed to and serialized from the canonical string. */
export const uuidLe = (): FieldCodec<string> => ({
  size: 16, kind: 'uuid_le', fallback: '00000000-0000-0000-0000-000000000000',
  read: (view, offset) => uuidFromBytes(new Uint8Array(view.buffer, view.byteOffset, view.byteLength), offset),
  write: (view, offset, value) => new Uint8Array(view.buffer, view.byteOffset + offset, 16).set(uuidToBytes(value)),
  describe: (value) => value,
});
