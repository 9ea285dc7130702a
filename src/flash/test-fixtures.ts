/**
 * Test fixtures for the flash tests: a minimal ME region (ROM bypass + `$FPT` with one data
 * partition). UEFIExtract A62 gives up on a non-empty ME region that holds no `$MN2` anywhere
 * (exit 11, U_INVALID_REGION, no message), so the data partition starts with a bare `$MN2` marker;
 * real manifests come from src/me.
 */
import { struct, u8, u32, ascii, magicAscii, bytes, checksum8 } from '../codec/index.js';

/** `$FPT` v2.0 header as UEFIExtract reads it (brief §2.2); the real builder lives in src/me. */
const FptHeader = struct('test $FPT header', {
  signature: magicAscii('$FPT'), // 0x00
  entryCount: u32(), // 0x04
  headerVersion: u8(), // 0x08 0x20
  entryVersion: u8(), // 0x09 0x10
  headerLength: u8(), // 0x0A 0x20
  checksum: u8(), // 0x0B checksum-8 over the 0x20 header bytes
  reserved: bytes(20), // 0x0C
});

const FptEntry = struct('test $FPT entry', {
  name: ascii(4), // 0x00
  owner: bytes(4), // 0x04
  offset: u32(), // 0x08 from the ME region start
  size: u32(), // 0x0C
  reserved: bytes(12), // 0x10
  flags: u32(), // 0x1C type 1 (data), EntryValid 0 (valid)
});

/** An ME region of `size` bytes: 16 zero bytes, `$FPT` at 0x10 listing MFS (data, 0x1000 bytes at 0x1000). */
export function minimalMeRegion(size = 0x2fd000): Uint8Array {
  const out = new Uint8Array(size).fill(0xff);
  out.fill(0, 0, 0x10);
  const header = FptHeader.defaults({ entryCount: 1, headerVersion: 0x20, entryVersion: 0x10, headerLength: 0x20 });
  header.checksum = checksum8(FptHeader.serialize(header));
  FptHeader.serialize(header, out, 0x10);
  FptEntry.serialize(FptEntry.defaults({ name: 'MFS', offset: 0x1000, size: 0x1000, flags: 0x00000001 }), out, 0x30);
  out.set(Buffer.from('$MN2', 'latin1'), 0x1000);
  return out;
}
