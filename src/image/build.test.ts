// Tests of whole-platform building: the image's regions, the fuses, and that the ROM boots it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDescriptor, regionBytes, findRegion } from '../flash/index.js';
import { romBoot } from '../rom/index.js';
import { testPlatform } from './testing.js';
import { meRegionSize } from './build.js';

test('an 8 MiB platform has the default regions and boots its operational firmware', () => {
  const { image, fuses } = testPlatform();
  assert.equal(image.length, 8 * 1024 * 1024);
  const desc = parseDescriptor(image);
  assert.equal(desc.locked, true);
  const me = findRegion(desc, 'me');
  assert.equal(me.base, 0x3000);
  const boot = romBoot(regionBytes(image, 'me'), fuses, { regionBase: me.base });
  assert.equal(boot.state, 'operational');
  assert.equal(boot.firmware?.platformId, fuses.platformId);
  assert.equal(fuses.svnFloor, 1);
});

test('16 MiB platforms, custom platform id, SVN and version', () => {
  const { image, fuses } = testPlatform({ sizeBytes: 16 * 1024 * 1024, platformId: 'lab-board-7', firmwareSvn: 4, version: { major: 16, minor: 1, hotfix: 27, build: 2225 } });
  assert.equal(fuses.platformId, 'lab-board-7');
  assert.equal(fuses.svnFloor, 4);
  const boot = romBoot(regionBytes(image, 'me'), fuses, { regionBase: 0x3000 });
  assert.equal(boot.state, 'operational');
  assert.deepEqual(boot.firmware?.version, { major: 16, minor: 1, hotfix: 27, build: 2225 });
  assert.equal(boot.firmware?.arbSvn, 4);
});

test('an unlocked build leaves every master access bit set', () => {
  const { image } = testPlatform({ access: 'unlocked' });
  assert.equal(parseDescriptor(image).locked, false);
});

test('ME region sizes follow the layout', () => {
  assert.equal(meRegionSize(8 * 1024 * 1024), 0x2fd000);
  assert.equal(meRegionSize(16 * 1024 * 1024), 0x4fd000);
  assert.throws(() => meRegionSize(4 * 1024 * 1024), /VME_ERR_USAGE|8 MiB|16 MiB/);
});
