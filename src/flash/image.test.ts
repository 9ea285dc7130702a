// Whole-image assembly: regions at the design record's offsets, FMAP at the BIOS base, volume at the top, GbE NVM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../codec/index.js';
import { assembleImage, regionBytes, imageRegions, DEFAULT_BIOS_VOLUME_SIZE } from './image.js';
import { parseDescriptor } from './descriptor.js';
import { findFmap } from './fmap.js';
import { parseFirmwareVolume, VTF_GUID } from './uefi-volume.js';
import { buildGbeRegion, parseGbeRegion, GbeNvm } from './gbe.js';
import { FlashRangeError } from './errors.js';
import { minimalMeRegion } from './test-fixtures.js';

const MiB = 1024 * 1024;

test('an 8 MiB image places descriptor, GbE, ME and BIOS per the layout', () => {
  const me = minimalMeRegion();
  const image = assembleImage({ sizeBytes: 8 * MiB, meRegion: me });
  assert.equal(image.length, 8 * MiB);
  assert.deepEqual(imageRegions(image).map((r) => [r.name, r.base, r.limit]), [['fd', 0, 0xfff], ['gbe', 0x1000, 0x2fff], ['me', 0x3000, 0x2fffff], ['bios', 0x300000, 0x7fffff]]);
  assert.deepEqual(regionBytes(image, 'me'), me);
  assert.equal(parseDescriptor(image).locked, true);
  assert.deepEqual(findFmap(image)?.fmap.areas.map((a) => a.name), ['SI_DESC', 'SI_GBE', 'SI_ME', 'SI_BIOS', 'FMAP']);
  assert.equal(findFmap(image)?.offset, 0x300000);
  const volume = parseFirmwareVolume(image, 8 * MiB - DEFAULT_BIOS_VOLUME_SIZE);
  assert.equal(volume.files.at(-1)?.name, VTF_GUID);
  const vtf = volume.files.at(-1);
  assert.equal((vtf?.offset ?? 0) + (vtf?.size ?? 0), DEFAULT_BIOS_VOLUME_SIZE);
  assert.deepEqual(parseGbeRegion(regionBytes(image, 'gbe'), 0x1000), { mac: '02:00:00:56:4d:45', imageVersion: 0x100 });
});

test('16 MiB images, unlocked access, short ME input padded with erased bytes', () => {
  const image = assembleImage({ sizeBytes: 16 * MiB, meRegion: Uint8Array.from([1, 2, 3]), access: 'unlocked' });
  const me = regionBytes(image, 'me');
  assert.equal(me.length, 0x4fd000);
  assert.deepEqual([...me.subarray(0, 4)], [1, 2, 3, 0xff]);
  assert.equal(parseDescriptor(image).locked, false);
  assert.equal(findFmap(image)?.offset, 0x500000);
});

test('oversized region data and impossible sizes are refused', () => {
  assert.throws(() => assembleImage({ sizeBytes: 8 * MiB, meRegion: new Uint8Array(0x2fd001) }), FlashRangeError);
  assert.throws(() => assembleImage({ sizeBytes: 8 * MiB, meRegion: new Uint8Array(0), biosPayload: new Uint8Array(0x500000) }), /no room for the FMAP/);
  assert.throws(() => assembleImage({ sizeBytes: 4 * MiB, meRegion: new Uint8Array(0) }), /no default flash layout/);
  assert.throws(() => regionBytes(new Uint8Array(0x100), 'me'), DecodeError);
});

test('GbE NVM words sum to 0xBABA; a damaged bank is refused', () => {
  const gbe = buildGbeRegion({ mac: Uint8Array.from([0, 0x1b, 0x21, 1, 2, 3]) });
  let sum = 0;
  for (let i = 0; i < 0x80; i += 2) sum = (sum + (gbe[i] ?? 0) + ((gbe[i + 1] ?? 0) << 8)) & 0xffff;
  assert.equal(sum, 0xbaba);
  assert.equal(parseGbeRegion(gbe).mac, '00:1b:21:01:02:03');
  const bad = Uint8Array.from(gbe);
  bad[3] = 0;
  assert.throws(() => parseGbeRegion(bad, 0x1000), (e: unknown) => e instanceof DecodeError && e.problem.offset === 0x1000 + GbeNvm.offsetOf('checksum'));
  const unsigned = Uint8Array.from(gbe);
  unsigned[0x27] = 0xff;
  assert.throws(() => parseGbeRegion(unsigned), (e: unknown) => e instanceof DecodeError && e.problem.field === 'initControl');
});
