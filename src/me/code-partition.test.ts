// Tests of code partitions: layout, hashes as the ROM checks them, round trip, build errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VmeError } from '../common/errors.js';
import { sha256, reversed, toHex } from '../crypto/index.js';
import { buildCodePartition, parseCodePartition, type CodePartitionOptions } from './code-partition.js';
import { testKeys, TEST_DATE } from './testing.js';

const options = (over: Partial<CodePartitionOptions> = {}): CodePartitionOptions => ({
  name: 'FTPR', version: { major: 1, minor: 0, hotfix: 0, build: 7 }, svn: 2, arbSvn: 3, platformId: 'vme-virtual-pc', date: TEST_DATE,
  modules: [{ name: 'kernel', data: Buffer.from('{"k":1}') }, { name: 'mkhi', data: Buffer.from('{"app":"mkhi"}') }],
  signingKey: testKeys().signing, partitionSize: 0x2000, ...over,
});

test('layout: $CPD lists man, then met + module pairs; padding is 0xFF', () => {
  const p = buildCodePartition(options());
  const parsed = parseCodePartition(p, 'FTPR', 0x4000);
  assert.deepEqual(parsed.cpd.entries.map((e) => e.name), ['FTPR.man', 'kernel.met', 'kernel', 'mkhi.met', 'mkhi']);
  assert.ok(parsed.cpd.entries.every((e) => e.offset % 0x10 === 0));
  assert.equal(p.length, 0x2000);
  assert.equal(p[p.length - 1], 0xff);
  assert.deepEqual(parsed.modules.map((m) => Buffer.from(m.data).toString()), ['{"k":1}', '{"app":"mkhi"}']);
});

test('hashes: partition (0x03), .met (0x0F) and module (0x0A) are stored reversed', () => {
  const p = buildCodePartition(options());
  const parsed = parseCodePartition(p, 'FTPR');
  const info = parsed.manifest.extensions.partitionInfo;
  const pkg = parsed.manifest.extensions.signedPackageInfo;
  assert.ok(info && pkg);
  const manEnd = parsed.manifestOffset + parsed.manifest.bytes.length;
  const last = parsed.cpd.entries[parsed.cpd.entries.length - 1];
  assert.equal(info.partitionSize, (last?.offset ?? 0) + (last?.length ?? 0)); // content end
  assert.equal(toHex(reversed(info.hash)), toHex(sha256(p.subarray(0, parsed.manifestOffset), p.subarray(manEnd, info.partitionSize))));
  assert.equal(pkg.arbSvn, 3);
  parsed.modules.forEach((m, i) => {
    assert.equal(toHex(reversed(pkg.modules[i]?.metadataHash ?? new Uint8Array())), toHex(sha256(m.metadata)));
    assert.equal(toHex(reversed(m.attributes.hash)), toHex(sha256(m.data)));
    assert.equal(m.attributes.compression, 0);
    assert.equal(m.attributes.vendorId, 0x8086);
  });
});

test('build errors are typed', () => {
  const fails = (over: Partial<CodePartitionOptions>, pattern: RegExp): void => {
    assert.throws(() => buildCodePartition(options(over)), (e: unknown) => e instanceof VmeError && e.code === 'VME_ERR_ME_BUILD' && pattern.test(e.message));
  };
  fails({ partitionSize: 0x400 }, /content needs/);
  fails({ modules: [{ name: 'bootguard', data: new Uint8Array(1) }] }, /module name/);
  fails({ modules: [] }, /at least one module/);
  fails({ modules: [{ name: 'a', data: new Uint8Array(1) }, { name: 'a', data: new Uint8Array(1) }] }, /duplicate/);
  fails({ platformId: 'x'.repeat(17) }, /platform id/);
  fails({ arbSvn: -1 }, /arbSvn/);
});
