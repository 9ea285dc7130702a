// UEFI firmware volume tests: layout, checksums, round trip and every parser refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError, sum8 } from '../codec/index.js';
import { buildFirmwareVolume, parseFirmwareVolume, buildFfsFile, defaultVtfData, VTF_GUID, FV_FILETYPE_PAD, FV_FILETYPE_RAW, FFS_STATE_VALID } from './uefi-volume.js';
import { guidToBytes, guidToText } from './guid.js';

const APP_GUID = '11111111-2222-3333-4444-555555555555';

test('GUIDs store the first three groups little-endian', () => {
  assert.equal(Buffer.from(guidToBytes(VTF_GUID)).toString('hex'), '2e06a01b79c782458566336ae8f78f09');
  assert.equal(guidToText(guidToBytes(VTF_GUID)), VTF_GUID);
  assert.throws(() => guidToBytes('not-a-guid'), RangeError);
});

test('a volume holds the caller files, a pad file, and the VTF ending at the top', () => {
  const fv = buildFirmwareVolume({ size: 0x10000, files: [{ name: APP_GUID, type: FV_FILETYPE_RAW, data: Uint8Array.from([1, 2, 3]) }] });
  assert.equal(fv.length, 0x10000);
  assert.equal(Buffer.from(fv.subarray(0x28, 0x2c)).toString('latin1'), '_FVH');
  const parsed = parseFirmwareVolume(fv);
  assert.deepEqual(parsed.blockMap, [{ blockCount: 16, blockLength: 0x1000 }]);
  assert.deepEqual(parsed.files.map((f) => [f.name, f.type, f.offset, f.size]), [
    [APP_GUID, FV_FILETYPE_RAW, 0x48, 0x1b],
    ['00000000-0000-0000-0000-000000000000', FV_FILETYPE_PAD, 0x68, 0x10000 - 0x58 - 0x68],
    [VTF_GUID, FV_FILETYPE_RAW, 0x10000 - 0x58, 0x58],
  ]);
  assert.deepEqual(parsed.files[2]?.data, defaultVtfData());
  assert.deepEqual(parsed.files[0]?.data, Uint8Array.from([1, 2, 3]));
});

test('FFS headers sum to zero (state and file checksum excluded); data checksums hold', () => {
  const file = buildFfsFile({ name: APP_GUID, type: FV_FILETYPE_RAW, data: Uint8Array.from([9, 8, 7, 6]) });
  assert.equal(file[0x17], FFS_STATE_VALID);
  const header = Uint8Array.from(file.subarray(0, 0x18));
  header[0x11] = 0;
  header[0x17] = 0;
  assert.equal(sum8(header), 0);
  assert.equal(sum8(file.subarray(0x18)) + (file[0x11] ?? 0) & 0xff, 0);
  assert.equal(buildFfsFile({ name: APP_GUID, type: FV_FILETYPE_RAW, data: new Uint8Array(8), checksum: false })[0x11], 0xaa);
});

/** Damage one byte of a fresh volume and return the DecodeError. */
function errorAfter(at: number, value: number, fix?: (fv: Uint8Array) => void): DecodeError {
  const fv = buildFirmwareVolume({ size: 0x4000 });
  fv[at] = value;
  fix?.(fv);
  try {
    parseFirmwareVolume(fv, 0, 0x7f0000);
  } catch (err) {
    assert.ok(err instanceof DecodeError);
    return err;
  }
  assert.fail('damaged volume accepted');
}

test('parser refusals name the field at its absolute offset', () => {
  assert.deepEqual(pick(errorAfter(0x28, 0x41)), ['signature', 0x7f0028, 'bad magic']);
  assert.deepEqual(pick(errorAfter(0x2c, 0x00)), ['checksum', 0x7f0032, 'bad checksum']);
  assert.deepEqual(pick(errorAfter(0x10, 0x00)), ['fileSystemGuid', 0x7f0010, 'unsupported file system']);
  assert.deepEqual(pick(errorAfter(0x25, 0x01)), ['fvLength', 0x7f0020, 'volume outside the input']);
  assert.deepEqual(pick(errorAfter(0x48, 0x01)), ['headerChecksum', 0x7f0058, 'bad checksum']); // pad file name byte
  assert.deepEqual(pick(errorAfter(0x4000 - 0x10, 0x01)), ['fileChecksum', 0x7f4000 - 0x58 + 0x11, 'bad checksum']); // VTF data
  assert.deepEqual(pick(errorAfter(0x48 + 0x17, 0xfc)), ['state', 0x7f005f, 'file not in the valid state']);
});

test('non-erased bytes in free space and truncated input are refused', () => {
  const fv = buildFirmwareVolume({ size: 0x2000, vtfData: new Uint8Array(0x1f68) }); // VTF at 0x80, pad file 0x48-0x7F
  assert.equal(parseFirmwareVolume(fv).files.length, 2);
  const withSpace = new Uint8Array(0x2000).fill(0xff);
  withSpace.set(fv.subarray(0, 0x48));
  withSpace[0x1000] = 0;
  assert.throws(() => parseFirmwareVolume(withSpace), (e: unknown) => e instanceof DecodeError && e.problem.reason === 'non-erased data in free space' && e.problem.offset === 0x1000);
  assert.throws(() => parseFirmwareVolume(fv.subarray(0, 0x30)), (e: unknown) => e instanceof DecodeError && e.problem.reason === 'truncated');
  assert.throws(() => buildFirmwareVolume({ size: 0x1800 }), RangeError);
});

function pick(e: DecodeError): [string, number, string] {
  return [e.problem.field, e.problem.offset, e.problem.reason];
}
