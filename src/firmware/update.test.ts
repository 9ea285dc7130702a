// Firmware updates from the attacker's side (every refusal is precise and leaves every byte of the
// image and the fuse file as it was) and the successful paths (versions, floor, reinstall, bad FTPR).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VmeError, type ErrorCode } from '../common/errors.js';
import { DecodeError } from '../codec/index.js';
import { testPlatform } from '../image/testing.js';
import { writeFusesAtomic, readFuses, type Fuses } from '../platform/fuses.js';
import { parseCodePartition, Mn2Header, layoutOf } from '../me/index.js';
import { verifyCodePartition } from '../rom/index.js';
import { applyUpdate, type UpdateOptions } from './update.js';
import { parsePackage, serializePackage, type FirmwarePackage } from './package.js';
import { testPackage, attackerKeys, memoryFlash, bootImageBytes, versionOf, NEW_VERSION_TEXT, OLD_VERSION_TEXT } from './testing.js';

const platform = testPlatform();
const goodPackage = testPackage();

/** A fuse file holding `fuses` in a fresh temp directory; removed after `body`. */
function withFusesFile<T>(fuses: Fuses, body: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'vme-fw-'));
  try {
    const path = join(dir, 'flash.bin.fuses.json');
    writeFusesAtomic(path, fuses);
    return body(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Expectation = { code: ErrorCode; message: RegExp; details?: Record<string, unknown> };

/** Apply `packageBytes` and expect a refusal; assert not one byte of image or fuses changed. */
function refused(packageBytes: Uint8Array, expected: Expectation, options: Partial<UpdateOptions> & { image?: Uint8Array; fuses?: Fuses } = {}): void {
  const image = options.image ?? platform.image;
  const fuses = options.fuses ?? platform.fuses;
  withFusesFile(fuses, (fusesPath) => {
    const before = readFileSync(fusesPath, 'utf8');
    const flash = memoryFlash(image);
    assert.throws(() => applyUpdate({ controller: flash.controller, fuses, fusesPath, packageBytes, ...options }), (err: unknown) => {
      assert.ok(err instanceof VmeError, String(err));
      assert.equal(err.code, expected.code, err.message);
      assert.match(err.message, expected.message);
      for (const [key, value] of Object.entries(expected.details ?? {})) assert.deepEqual(err.details[key], value, `details.${key}`);
      return true;
    });
    assert.ok(Buffer.from(flash.memory.snapshot()).equals(Buffer.from(image)), 'the image must be unchanged');
    assert.equal(readFileSync(fusesPath, 'utf8'), before, 'the fuse file must be unchanged');
  });
}

function editPackage(bytes: Uint8Array, edit: (pkg: FirmwarePackage) => void): Uint8Array {
  const pkg = parsePackage(bytes);
  edit(pkg);
  return serializePackage(pkg); // fresh container digests: only the signed manifests can catch the edit
}

const partitionOf = (pkg: FirmwarePackage, name: 'FTPR' | 'NFTP'): Uint8Array => pkg.partitions.get(name) as Uint8Array;

test('a package signed with another key is refused (key check, fused vs package key hash)', () => {
  refused(testPackage({ keys: attackerKeys() }), {
    code: 'VME_ERR_VERIFY_KEY', message: new RegExp(`package partition FTPR refused: key check failed: .*expected ${platform.fuses.firmwareKeyHash}, actual [0-9a-f]{64}`),
    details: { partition: 'FTPR', check: 'key', expected: platform.fuses.firmwareKeyHash },
  });
});

test("another platform's package is refused (platform check)", () => {
  refused(testPackage({ platformId: 'other-board' }), {
    code: 'VME_ERR_VERIFY_PLATFORM', message: /FTPR refused: platform check failed: .*expected vme-virtual-pc, actual other-board/,
    details: { partition: 'FTPR', check: 'platform', expected: 'vme-virtual-pc', actual: 'other-board' },
  });
});

test('a package whose ARB SVN is below the fuse floor is refused (rollback, exit status denied)', () => {
  const fuses = { ...platform.fuses, svnFloor: 3 };
  refused(testPackage({ svn: 2 }), { code: 'VME_ERR_VERIFY_ROLLBACK', message: /FTPR refused: rollback check failed: .*expected >= 3, actual 2/, details: { check: 'rollback', expected: '>= 3', actual: '2' } }, { fuses });
  assert.equal(new VmeError('VME_ERR_VERIFY_ROLLBACK', '').exitStatus, 4);
});

test('tampered module bytes, re-packed with fresh container digests, fail the module hash', () => {
  const tampered = editPackage(goodPackage, (pkg) => {
    const nftp = partitionOf(pkg, 'NFTP');
    const module = parseCodePartition(nftp, 'NFTP').modules[1];
    assert.ok(module);
    nftp[module.offset + 2] = (nftp[module.offset + 2] ?? 0) ^ 0x20;
  });
  refused(tampered, { code: 'VME_ERR_VERIFY_HASH', message: /package partition NFTP refused: (partition|module)-hash check failed: .*expected [0-9a-f]{64}.*actual [0-9a-f]{64}/, details: { partition: 'NFTP' } });
});

test('a tampered signed manifest field (version) fails the signature', () => {
  const tampered = editPackage(goodPackage, (pkg) => {
    const ftpr = partitionOf(pkg, 'FTPR');
    const at = parseCodePartition(ftpr, 'FTPR').manifestOffset + Mn2Header.offsetOf('versionMajor');
    ftpr[at] = 9;
  });
  refused(tampered, { code: 'VME_ERR_VERIFY_SIGNATURE', message: /FTPR refused: signature check failed/, details: { partition: 'FTPR', check: 'signature' } });
});

test('truncated, garbled and foreign packages are refused as malformed input', () => {
  const decode = (field: RegExp): Expectation => ({ code: 'VME_ERR_DECODE', message: field });
  refused(goodPackage.subarray(0, goodPackage.length - 100), decode(/firmware package\.entry\[1\]\.offset/));
  refused(goodPackage.subarray(0, 0x20), decode(/firmware package header/));
  const garbled = Uint8Array.from(goodPackage);
  garbled[0x200] = (garbled[0x200] ?? 0) ^ 1;
  refused(garbled, decode(/entry\[0\]\.sha256 .*bad digest/));
  refused(platform.image.subarray(0, 0x10000), decode(/magic/));
  assert.ok(new DecodeError({ structure: 's', field: 'f', offset: 0, reason: 'r' }).exitStatus === 3);
});

test('a package without NFTP, or mixing two releases, is refused', () => {
  refused(editPackage(goodPackage, (pkg) => pkg.partitions.delete('NFTP')), { code: 'VME_ERR_UPDATE_PACKAGE', message: /no NFTP partition/ });
  const older = parsePackage(testPackage({ version: { major: 1, minor: 0, hotfix: 5, build: 0 } }));
  const mixed = editPackage(goodPackage, (pkg) => pkg.partitions.set('FTPR', partitionOf(older, 'FTPR')));
  refused(mixed, { code: 'VME_ERR_UPDATE_PACKAGE', message: /differ in version: FTPR 1\.0\.5\.0, NFTP 1\.1\.0\.2/ });
});

test('a partition larger than its $FPT slot is refused before anything is written', () => {
  const slot = layoutOf('FTPR').size;
  const oversized = editPackage(goodPackage, (pkg) => {
    const bigger = new Uint8Array(slot + 0x1000).fill(0xff);
    bigger.set(partitionOf(pkg, 'FTPR'));
    pkg.partitions.set('FTPR', bigger);
  });
  refused(oversized, { code: 'VME_ERR_UPDATE_FIT', message: /package FTPR is 0x81000 bytes; its \$FPT slot holds 0x80000/, details: { partition: 'FTPR' } });
});

test('a floor raise without a fuse file is refused before anything is written', () => {
  refused(testPackage({ svn: 2, raiseSvnFloor: true }), { code: 'VME_ERR_USAGE', message: /raise the fuse floor to 2 but no fuse file/ }, { fusesPath: undefined });
});

/** Apply a package to a copy of the image with a fuse file; return the result, new image and fuses. */
function applied(packageBytes: Uint8Array, image = platform.image, options: Partial<UpdateOptions> = {}) {
  return withFusesFile(platform.fuses, (fusesPath) => {
    const flash = memoryFlash(image);
    const result = applyUpdate({ controller: flash.controller, fuses: platform.fuses, fusesPath, packageBytes, ...options });
    const fuses = readFuses(fusesPath);
    return { result, image: flash.memory.snapshot(), fuses, boot: bootImageBytes(flash.memory.snapshot(), fuses) };
  });
}

test('success: old -> new version, NFTP then FTPR, floor unchanged when not asked', () => {
  const { result, boot, fuses } = applied(goodPackage);
  assert.deepEqual(result.before, { state: 'operational', partition: 'NFTP', version: OLD_VERSION_TEXT });
  assert.equal(result.newVersion, NEW_VERSION_TEXT);
  assert.deepEqual(result.order, ['NFTP', 'FTPR']);
  assert.ok(result.bytesWritten > 0);
  assert.deepEqual([result.svnFloorBefore, result.svnFloorAfter, fuses.svnFloor], [1, 1, 1]);
  assert.equal(boot.state, 'operational');
  assert.equal(versionOf(boot), NEW_VERSION_TEXT);
});

test('success: the floor is raised to the package ARB SVN when asked, and not when not asked', () => {
  const raised = applied(testPackage({ svn: 2, raiseSvnFloor: true }));
  assert.deepEqual([raised.result.svnFloorBefore, raised.result.svnFloorAfter, raised.fuses.svnFloor], [1, 2, 2]);
  assert.equal(raised.boot.state, 'operational');
  assert.equal(bootImageBytes(platform.image, raised.fuses).state, 'down', 'the old firmware no longer boots');
  const kept = applied(testPackage({ svn: 2 }));
  assert.deepEqual([kept.result.svnFloorAfter, kept.fuses.svnFloor], [1, 1]);
  assert.equal(bootImageBytes(platform.image, kept.fuses).state, 'operational', 'the old firmware still boots');
});

test('same-version reinstall is allowed and writes nothing; every chunk is rewritten on request', () => {
  const first = applied(goodPackage);
  const again = applied(goodPackage, first.image);
  assert.equal(again.result.before.version, NEW_VERSION_TEXT);
  assert.equal(again.result.bytesWritten, 0);
  assert.deepEqual(again.result.partitions.map((p) => p.chunksWritten), [0, 0]);
  assert.ok(Buffer.from(again.image).equals(Buffer.from(first.image)));
  const forced = applied(goodPackage, first.image, { rewriteUnchanged: true });
  assert.deepEqual(forced.result.partitions.map((p) => [p.partition, p.chunksWritten, p.chunksUnchanged]), [['NFTP', 16, 0], ['FTPR', 8, 0]]);
  assert.ok(Buffer.from(forced.image).equals(Buffer.from(first.image)));
});

/** The image with one byte of FTPR's first module flipped (and optionally NFTP's too). */
function corrupted(names: ('FTPR' | 'NFTP')[]): Uint8Array {
  const image = Uint8Array.from(platform.image);
  const me = 0x3000;
  for (const name of names) {
    const slot = layoutOf(name);
    const module = parseCodePartition(image.subarray(me + slot.offset, me + slot.offset + slot.size), name).modules[0];
    assert.ok(module);
    image[me + slot.offset + module.offset] = (image[me + slot.offset + module.offset] ?? 0) ^ 1;
  }
  return image;
}

function ftprVerifies(image: Uint8Array): boolean {
  const slot = layoutOf('FTPR');
  return verifyCodePartition(image.subarray(0x3000 + slot.offset, 0x3000 + slot.offset + slot.size), 'FTPR', platform.fuses).ok;
}

test('a corrupted FTPR on flash: FTPR is rewritten first (the good NFTP boots meanwhile)', () => {
  const image = corrupted(['FTPR']);
  assert.equal(bootImageBytes(image, platform.fuses).state, 'operational');
  assert.equal(ftprVerifies(image), false);
  const after = applied(goodPackage, image);
  assert.deepEqual(after.result.order, ['FTPR', 'NFTP']);
  assert.equal(after.boot.state, 'operational');
  assert.equal(ftprVerifies(after.image), true);
});

test('a platform that is already down is repaired (FTPR first, then NFTP)', () => {
  const image = corrupted(['FTPR', 'NFTP']);
  assert.equal(bootImageBytes(image, platform.fuses).state, 'down');
  const { result, boot } = applied(goodPackage, image);
  assert.deepEqual(result.before, { state: 'down', partition: null, version: null });
  assert.deepEqual(result.order, ['FTPR', 'NFTP']);
  assert.equal(boot.state, 'operational');
  assert.equal(versionOf(boot), NEW_VERSION_TEXT);
});

test('progress reports the verified package, the order, each chunk and each partition', () => {
  const steps: string[] = [];
  applied(goodPackage, platform.image, { onProgress: (p) => steps.push(p.step) });
  assert.equal(steps[0], 'verified');
  assert.equal(steps[1], 'order');
  assert.equal(steps.filter((s) => s === 'chunk').length, 16 + 8);
  assert.equal(steps.filter((s) => s === 'partition').length, 2);
});
