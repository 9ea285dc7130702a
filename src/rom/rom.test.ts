// The ROM from the attacker's side: every tampering is caught at the exact check, with expected/actual values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KeyObject } from 'node:crypto';
import { sha256, reversed, signSha256LE, randomBytes, toHex } from '../crypto/index.js';
import { parseCodePartition, type CodePartitionName } from '../me/code-partition.js';
import { signedParts, keyBlockHash } from '../me/manifest.js';
import { layoutOf } from '../me/me-region.js';
import { testKeys, testFuses, testMeRegion } from '../me/testing.js';
import { romBoot, formatRomBoot, verdictError, type RomBootResult } from './boot.js';
import { verifyCodePartition } from './verify.js';
import type { BootLogEntry } from './boot-log.js';

const slice = (region: Uint8Array, name: CodePartitionName): Uint8Array => region.subarray(layoutOf(name).offset, layoutOf(name).offset + layoutOf(name).size);
const failure = (r: RomBootResult, name: CodePartitionName): BootLogEntry | undefined => r.log.find((e) => e.partition === name && !e.ok);

/** Change a partition, then recompute its partition hash and signature with `key` (an insider or a signing bug). */
function resign(region: Uint8Array, name: CodePartitionName, key: KeyObject, mutate: (partition: Uint8Array) => void): void {
  const partition = slice(region, name);
  mutate(partition);
  const parsed = parseCodePartition(partition, name);
  const man = parsed.manifestOffset;
  const size = parsed.manifest.header.size * 4;
  const info = parsed.manifest.extensions.partitionInfo;
  assert.ok(info);
  partition.set(reversed(sha256(partition.subarray(0, man), partition.subarray(man + size, info.partitionSize))), man + 0x284 + 0x10);
  partition.set(signSha256LE(key, Buffer.concat(signedParts(partition.subarray(man, man + size), 0x284, size))), man + 0x184);
}

const moduleOffset = (region: Uint8Array, name: CodePartitionName, module: string): number => {
  const m = parseCodePartition(slice(region, name), name).modules.find((x) => x.name === module);
  assert.ok(m);
  return layoutOf(name).offset + m.offset;
};

test('a valid image boots NFTP with the firmware described by its manifests', () => {
  const r = romBoot(testMeRegion(), testFuses(), { regionBase: 0x3000 });
  assert.equal(r.state, 'operational');
  assert.equal(r.partition, 'NFTP');
  assert.deepEqual(r.firmware?.version, { major: 1, minor: 0, hotfix: 0, build: 1 });
  assert.equal(r.firmware?.platformId, 'vme-virtual-pc');
  assert.equal(r.firmware?.arbSvn, 1);
  assert.equal(r.firmware?.kernel.sramBudgetBytes, 512 * 1024);
  assert.deepEqual(r.firmware?.apps.map((a) => a.name), ['mkhi', 'amt']);
  assert.ok(r.log.every((e) => e.ok && e.stage === 'rom'));
  assert.deepEqual(r.log.map((e) => e.check), ['fpt', 'partition', 'cpd', 'manifest', 'key', 'signature', 'partition-hash', 'metadata-hash', 'metadata-hash', 'metadata-hash', 'module-hash', 'module-hash', 'module-hash', 'platform', 'rollback', 'apps', 'decision']);
  assert.match(formatRomBoot(r), /rom NFTP signature\s+ok/);
  assert.doesNotThrow(() => JSON.stringify(r.log));
});

test('flipped module byte in NFTP: partition hash fails there, FTPR boots as recovery', () => {
  const region = testMeRegion();
  const at = moduleOffset(region, 'NFTP', 'mkhi') + 5;
  region[at] = (region[at] ?? 0) ^ 0x20;
  const r = romBoot(region, testFuses(), { regionBase: 0x3000 });
  assert.equal(r.state, 'recovery');
  assert.equal(r.partition, 'FTPR');
  assert.deepEqual(r.firmware?.apps.map((a) => a.name), ['mkhi']);
  const f = failure(r, 'NFTP');
  assert.equal(f?.check, 'partition-hash');
  assert.notEqual(f.expected, f.actual);
  assert.match(f.expected ?? '', /^[0-9a-f]{64}$/);
});

test('flipped manifest byte: the signature fails', () => {
  const region = testMeRegion();
  const man = layoutOf('NFTP').offset + parseCodePartition(slice(region, 'NFTP'), 'NFTP').manifestOffset;
  region[man + 0x24] = 9; // major version
  const f = failure(romBoot(region, testFuses()), 'NFTP');
  assert.equal(f?.check, 'signature');
  assert.equal(f.offset, man + 0x184);
});

test('forged signature', () => {
  const region = testMeRegion();
  const man = layoutOf('NFTP').offset + parseCodePartition(slice(region, 'NFTP'), 'NFTP').manifestOffset;
  region.set(randomBytes(256), man + 0x184);
  const r = romBoot(region, testFuses());
  assert.equal(failure(r, 'NFTP')?.check, 'signature');
  assert.equal(r.state, 'recovery');
});

test('manifest re-signed with another key: key hash mismatch names both hashes', () => {
  const region = testMeRegion({ signingKey: testKeys().other });
  const r = romBoot(region, testFuses());
  assert.equal(r.state, 'down');
  for (const name of ['NFTP', 'FTPR'] as const) {
    const f = failure(r, name);
    assert.equal(f?.check, 'key');
    assert.equal(f.expected, testFuses().firmwareKeyHash);
    assert.equal(f.actual, toHex(keyBlockHash(testKeys().other)));
  }
  assert.deepEqual(r.verdicts.map((v) => v.errorCode), ['VME_ERR_VERIFY_KEY', 'VME_ERR_VERIFY_KEY']);
  assert.match(r.log.at(-1)?.message ?? '', /engine stays down \(NFTP: key; FTPR: key\)/);
});

test('valid firmware for another platform does not boot', () => {
  const r = romBoot(testMeRegion({ platformId: 'other-pc' }), testFuses());
  assert.equal(r.state, 'down');
  const f = failure(r, 'NFTP');
  assert.deepEqual([f?.check, f?.expected, f?.actual], ['platform', 'vme-virtual-pc', 'other-pc']);
  assert.equal(r.verdicts[0]?.errorCode, 'VME_ERR_VERIFY_PLATFORM');
});

test('old ARB SVN is refused by the anti-rollback fuse', () => {
  const r = romBoot(testMeRegion({ arbSvn: 1 }), testFuses({ svnFloor: 2 }));
  assert.equal(r.state, 'down');
  const f = failure(r, 'FTPR');
  assert.deepEqual([f?.check, f?.expected, f?.actual], ['rollback', '>= 2', '1']);
  assert.equal(verdictError(r.verdicts[1] ?? r.verdicts[0] ?? assert.fail()).code, 'VME_ERR_VERIFY_ROLLBACK');
});

test('NFTP $CPD corrupted: boots FTPR as recovery; both corrupted: down with each reason', () => {
  const region = testMeRegion();
  region[layoutOf('NFTP').offset + 0x14] = 0x41; // first $CPD entry name
  const r = romBoot(region, testFuses(), { regionBase: 0x3000 });
  assert.equal(r.state, 'recovery');
  const f = failure(r, 'NFTP');
  assert.deepEqual([f?.check, f?.offset], ['cpd', 0x3000 + 0x81000 + 0x10]);
  const man = layoutOf('FTPR').offset + parseCodePartition(slice(region, 'FTPR'), 'FTPR').manifestOffset;
  region[man + 0x100] = (region[man + 0x100] ?? 0) ^ 1; // a modulus byte of FTPR
  const down = romBoot(region, testFuses(), { regionBase: 0x3000 });
  assert.equal(down.state, 'down');
  assert.equal(down.partition, null);
  assert.equal(failure(down, 'FTPR')?.check, 'key');
  assert.match(down.log.at(-1)?.message ?? '', /NFTP: cpd; FTPR: key/);
});

test('signed but inconsistent partitions fail at the .met or module check', () => {
  const met = testMeRegion();
  resign(met, 'NFTP', testKeys().signing, (p) => {
    const m = parseCodePartition(p, 'NFTP').modules[1];
    assert.ok(m);
    p[m.metadataOffset + 0x14] = 0x42; // .met device id
  });
  assert.deepEqual([failure(romBoot(met, testFuses()), 'NFTP')?.check, failure(romBoot(met, testFuses()), 'NFTP')?.message], ['metadata-hash', 'mkhi.met does not match its signed hash']);
  const mod = testMeRegion();
  resign(mod, 'NFTP', testKeys().signing, (p) => {
    const m = parseCodePartition(p, 'NFTP').modules[0];
    assert.ok(m);
    p[m.offset + 1] = 0x20; // kernel JSON
  });
  assert.equal(failure(romBoot(mod, testFuses()), 'NFTP')?.check, 'module-hash');
});

test('broken $FPT or missing NFTP entry', () => {
  const region = testMeRegion();
  region[0x11] = 0;
  const r = romBoot(region, testFuses(), { regionBase: 0x3000 });
  assert.deepEqual([r.state, r.log[0]?.check, r.log[0]?.offset], ['down', 'fpt', 0x3010]);
  const missing = testMeRegion();
  missing[0x50 + 0x1f] = 0xff; // NFTP EntryValid = invalid
  const m = romBoot(missing, testFuses());
  assert.equal(m.state, 'recovery');
  assert.equal(failure(m, 'NFTP')?.check, 'partition');
});

test('verifyCodePartition vets a lone partition (as the updater does) and never throws', () => {
  const region = testMeRegion();
  assert.equal(verifyCodePartition(slice(region, 'FTPR'), 'FTPR', testFuses()).ok, true);
  const wrongSlot = verifyCodePartition(slice(region, 'FTPR'), 'NFTP', testFuses(), 0x84000);
  assert.deepEqual([wrongSlot.ok, wrongSlot.failedCheck], [false, 'cpd']);
  for (const bytes of [new Uint8Array(0), new Uint8Array(3), randomBytes(0x1000)]) assert.equal(verifyCodePartition(bytes, 'NFTP', testFuses()).ok, false);
});

test('random byte flips in the signed part never boot a changed NFTP and never throw', () => {
  const clean = testMeRegion();
  const info = parseCodePartition(slice(clean, 'NFTP'), 'NFTP').manifest.extensions.partitionInfo;
  assert.ok(info);
  for (let i = 0; i < 300; i++) {
    const region = Uint8Array.from(clean);
    const at = layoutOf('NFTP').offset + Math.floor(Math.random() * info.partitionSize);
    region[at] = (region[at] ?? 0) ^ (1 + Math.floor(Math.random() * 255));
    const r = romBoot(region, testFuses());
    assert.notEqual(r.partition, 'NFTP', `flip at 0x${at.toString(16)} booted NFTP`);
  }
});

test('romBoot on a valid image takes a few milliseconds (goal: median <= 5 ms)', () => {
  const region = testMeRegion();
  const fuses = testFuses();
  romBoot(region, fuses);
  const times: number[] = [];
  for (let i = 0; i < 100; i++) {
    const start = process.hrtime.bigint();
    romBoot(region, fuses);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  assert.ok((times[50] ?? Infinity) <= 5, `median ${times[50]} ms`);
});
