/** Checksums used by the flash formats: the 8-bit two's-complement sum ($FPT) and CRC-32 ($CPD). */
import { crc32 as zlibCrc32 } from 'node:zlib';

/** The byte that makes `data` (with that byte counted as 0) sum to 0 mod 256. */
export function checksum8(data: Uint8Array): number {
  let sum = 0;
  for (const b of data) sum = (sum + b) & 0xff;
  return (0x100 - sum) & 0xff;
}

/** Sum of all bytes mod 256 (0 means a checksum-8 structure is intact). */
export function sum8(data: Uint8Array): number {
  let sum = 0;
  for (const b of data) sum = (sum + b) & 0xff;
  return sum;
}

/** The IEEE 802.3 / zlib CRC-32. */
export function crc32(data: Uint8Array): number {
  return zlibCrc32(data) >>> 0;
}
