// Tests of the ME region: ROM bypass, $FPT at 0x10, partitions at the design record's offsets, erased data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VmeError } from '../common/errors.js';
import { buildMeRegion, parseMeRegion, ME_LAYOUT } from './me-region.js';
import { parseCodePartition } from './code-partition.js';
import { testMeRegion, REGION_SIZE_8M } from './testing.js';

test('layout of the design record', () => {
  assert.deepEqual(ME_LAYOUT.map((p) => [p.name, p.offset, p.size, p.type]), [
    ['FTPR', 0x1000, 0x80000, 0], ['NFTP', 0x81000, 0x100000, 0], ['MFS', 0x181000, 0x80000, 1], ['FLOG', 0x201000, 0x10000, 1],
  ]);
});

test('built region: bypass zeros, $FPT, code partitions parse, data erased', () => {
  const region = testMeRegion();
  assert.equal(region.length, REGION_SIZE_8M);
  assert.ok(region.subarray(0, 16).every((b) => b === 0));
  assert.equal(Buffer.from(region.subarray(0x10, 0x14)).toString('latin1'), '$FPT');
  const parsed = parseMeRegion(region, 0x3000);
  assert.deepEqual(parsed.partitions.map((p) => p.name), ['FTPR', 'NFTP', 'MFS', 'FLOG']);
  for (const p of parsed.partitions.filter((x) => x.type === 1)) assert.ok(p.bytes.every((b) => b === 0xff), p.name);
  const nftp = parsed.partitions.find((p) => p.name === 'NFTP');
  assert.ok(nftp);
  assert.deepEqual(parseCodePartition(nftp.bytes, 'NFTP', 0x3000 + nftp.offset).modules.map((m) => m.name), ['kernel', 'mkhi', 'amt']);
});

test('too small region and oversize partitions are typed build errors', () => {
  assert.throws(() => buildMeRegion({ regionSize: 0x100000, ftpr: new Uint8Array(1), nftp: new Uint8Array(1) }), (e: unknown) => e instanceof VmeError && e.code === 'VME_ERR_ME_BUILD');
  assert.throws(() => buildMeRegion({ regionSize: REGION_SIZE_8M, ftpr: new Uint8Array(0x80001), nftp: new Uint8Array(1) }), /FTPR is 0x80001 bytes/);
});
