/**
 * Field kinds PTHI needs beyond the codec's basics: a fixed array of u32 (hash handles) and the
 * AMT_ANSI_STRING, a u16 length followed by that many bytes, which ends a message (brief §5.3:
 * GetPKIFQDNSuffix, GetCertHashEntry name, GetRemoteAccessConnectionStatus host name).
 */
import { DecodeError, type FieldCodec } from '../../codec/index.js';

/** `count` little-endian u32 values. */
export const u32Array = (count: number): FieldCodec<number[]> => ({
  size: 4 * count, kind: `u32le[${count}]`, fallback: new Array<number>(count).fill(0),
  read: (view, offset) => Array.from({ length: count }, (_, i) => view.getUint32(offset + 4 * i, true)),
  write: (view, offset, values) => {
    if (values.length !== count) throw new RangeError(`u32 array expects ${count} values, got ${values.length}`);
    values.forEach((value, i) => view.setUint32(offset + 4 * i, value >>> 0, true));
  },
});

/** Encodes an AMT_ANSI_STRING: u16 LE length, then the bytes (no NUL). */
export function encodeAnsiString(text: string): Uint8Array {
  const body = Buffer.from(text, 'latin1');
  if (body.length > 0xffff) throw new RangeError('AMT_ANSI_STRING longer than 65535 bytes');
  const out = new Uint8Array(2 + body.length);
  new DataView(out.buffer).setUint16(0, body.length, true);
  out.set(body, 2);
  return out;
}

/**
 * Decodes the AMT_ANSI_STRING at `offset`; it must end exactly at the end of `data`.
 * @throws DecodeError truncated (length runs past the end) or trailing bytes.
 */
export function decodeAnsiString(data: Uint8Array, offset: number, structure: string): string {
  const problem = (reason: string, expected: string, actual: string): DecodeError =>
    new DecodeError({ structure, field: 'AMT_ANSI_STRING', offset, reason, expected, actual });
  if (offset + 2 > data.length) throw problem('truncated', '2-byte length', `${Math.max(0, data.length - offset)} bytes`);
  const length = new DataView(data.buffer, data.byteOffset, data.byteLength).getUint16(offset, true);
  const end = offset + 2 + length;
  if (end > data.length) throw problem('truncated', `${length} string bytes`, `${data.length - offset - 2} bytes`);
  if (end < data.length) throw problem('trailing bytes', `${end} bytes`, `${data.length} bytes`);
  return Buffer.from(data.subarray(offset + 2, end)).toString('latin1');
}
