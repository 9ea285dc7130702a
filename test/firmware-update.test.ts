// Firmware update atomicity: a simulated power loss at EVERY write and erase of the update (every
// k from 0 until the update completes), with the torn operation leaving 0 bytes, half, or all of
// its bytes. After each loss the platform must boot (operational or recovery) the old or the new
// firmware, and re-running the update must finish and boot the new firmware operationally. Also a
// few runs of the real CLI (`vme firmware pack|update`) on temporary files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SimulatedPowerLoss } from '../src/flash/index.js';
import { layoutOf, parseCodePartition } from '../src/me/index.js';
import { testPlatform } from '../src/image/testing.js';
import { writeFusesAtomic, readFuses, type Fuses } from '../src/platform/fuses.js';
import { applyUpdate } from '../src/firmware/update.js';
import { testPackage, attackerKeys, memoryFlash, bootImageBytes, versionOf, NEW_VERSION_TEXT, OLD_VERSION_TEXT } from '../src/firmware/testing.js';
import { SeededRandom } from './support/random.js';

const platform = testPlatform();
const ME_BASE = 0x3000;

function withTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'vme-fw-update-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The platform's image with one byte of FTPR's first module flipped: FTPR no longer verifies. */
function imageWithBadFtpr(): Uint8Array {
  const image = Uint8Array.from(platform.image);
  const slot = layoutOf('FTPR');
  const module = parseCodePartition(image.subarray(ME_BASE + slot.offset, ME_BASE + slot.offset + slot.size), 'FTPR').modules[0];
  assert.ok(module);
  image[ME_BASE + slot.offset + module.offset] = (image[ME_BASE + slot.offset + module.offset] ?? 0) ^ 1;
  return image;
}

interface Scenario {
  name: string;
  image: Uint8Array;
  packageBytes: Uint8Array;
  /** Rewrite every 64 KiB chunk (24 erases) instead of only the changed ones. */
  rewriteUnchanged: boolean;
  floorAfter: number;
}

const TORN: { label: string; tornBytes: (length: number) => number }[] = [
  { label: 'nothing of the torn operation lands', tornBytes: () => 0 },
  { label: 'half of it lands', tornBytes: (n) => n / 2 },
  { label: 'all of it lands (power lost right after)', tornBytes: (n) => n },
];

interface SweepStats {
  faults: number;
  states: Set<string>;
}

/** One fault at operation k; returns false once the update completes without a fault. */
function faultAt(s: Scenario, k: number, tornBytes: (n: number) => number, dir: string, random: SeededRandom, stats: SweepStats): boolean {
  const fusesPath = join(dir, `k${k}.fuses.json`);
  writeFusesAtomic(fusesPath, platform.fuses);
  const flash = memoryFlash(s.image, { failAfter: k, tornBytes });
  const options = { fuses: platform.fuses, fusesPath, packageBytes: s.packageBytes, rewriteUnchanged: s.rewriteUnchanged };
  let completed = false;
  try {
    applyUpdate({ controller: flash.controller, ...options });
    completed = true;
  } catch (err) {
    assert.ok(err instanceof SimulatedPowerLoss, `k=${k}: ${String(err)}`);
  }
  const where = `${s.name}, fault at operation ${k}`;
  const onDisk = readFuses(fusesPath);
  const boot = bootImageBytes(flash.memory.snapshot(), onDisk);
  assert.notEqual(boot.state, 'down', `${where}: the platform must boot`);
  assert.ok([OLD_VERSION_TEXT, NEW_VERSION_TEXT].includes(versionOf(boot) ?? ''), `${where}: boots ${versionOf(boot)}`);
  stats.states.add(`${boot.state} ${versionOf(boot)}`);
  if (completed) {
    assertFinal(flash.memory.snapshot(), onDisk, s, where);
    return false;
  }
  stats.faults += 1;
  assert.equal(onDisk.svnFloor, platform.fuses.svnFloor, `${where}: the floor must not rise before both partitions are new`);
  resumeAfterFault(s, flash.memory.snapshot(), fusesPath, random.int(40), where);
  return true;
}

/** After a fault: re-run once more with a second (seeded) fault, then to completion. */
function resumeAfterFault(s: Scenario, image: Uint8Array, fusesPath: string, secondFault: number, where: string): void {
  const retry = memoryFlash(image, { failAfter: secondFault, tornBytes: (n) => n / 3 });
  try {
    applyUpdate({ controller: retry.controller, fuses: readFuses(fusesPath), fusesPath, packageBytes: s.packageBytes, rewriteUnchanged: s.rewriteUnchanged });
  } catch (err) {
    assert.ok(err instanceof SimulatedPowerLoss, String(err));
  }
  const between = bootImageBytes(retry.memory.snapshot(), readFuses(fusesPath));
  assert.notEqual(between.state, 'down', `${where}, second fault at ${secondFault}: the platform must boot`);
  const final = memoryFlash(retry.memory.snapshot());
  applyUpdate({ controller: final.controller, fuses: readFuses(fusesPath), fusesPath, packageBytes: s.packageBytes, rewriteUnchanged: s.rewriteUnchanged });
  assertFinal(final.memory.snapshot(), readFuses(fusesPath), s, `${where}, resumed`);
}

function assertFinal(image: Uint8Array, fuses: Fuses, s: Scenario, where: string): void {
  const boot = bootImageBytes(image, fuses);
  assert.equal(boot.state, 'operational', where);
  assert.equal(versionOf(boot), NEW_VERSION_TEXT, where);
  assert.equal(fuses.svnFloor, s.floorAfter, `${where}: floor`);
  // The instant between the last flash write and the fuse write: new firmware, old floor.
  assert.equal(bootImageBytes(image, platform.fuses).state, 'operational', `${where}: boots before the floor is raised too`);
}

/** Count the write and erase operations of an uninterrupted update. */
function operationCount(s: Scenario): number {
  return withTempDir((dir) => {
    const fusesPath = join(dir, 'fuses.json');
    writeFusesAtomic(fusesPath, platform.fuses);
    const flash = memoryFlash(s.image, { failAfter: Infinity });
    applyUpdate({ controller: flash.controller, fuses: platform.fuses, fusesPath, packageBytes: s.packageBytes, rewriteUnchanged: s.rewriteUnchanged });
    return flash.fault?.operationCount ?? 0;
  });
}

function sweep(s: Scenario, expectedOperations: number, seed: number): SweepStats[] {
  assert.equal(operationCount(s), expectedOperations, `${s.name}: operations of one update`);
  return TORN.map(({ label, tornBytes }) => withTempDir((dir) => {
    const stats: SweepStats = { faults: 0, states: new Set() };
    const random = new SeededRandom(seed);
    let k = 0;
    while (faultAt(s, k, tornBytes, dir, random, stats)) k += 1;
    assert.equal(stats.faults, expectedOperations, `${s.name}, ${label}: every operation was interrupted once`);
    return stats;
  }));
}

const plain = testPackage();
const raising = testPackage({ svn: 2, raiseSvnFloor: true });

// Changed chunks only (the default): NFTP's and FTPR's first 64 KiB chunk each differ → erase + write, twice.
test('power loss at every operation, only changed chunks written (4 operations × 3 torn variants)', () => {
  sweep({ name: 'changed chunks', image: platform.image, packageBytes: plain, rewriteUnchanged: false, floorAfter: 1 }, 4, 1);
});

test('power loss at every operation, package raising the floor (4 operations × 3 torn variants)', () => {
  sweep({ name: 'raise floor', image: platform.image, packageBytes: raising, rewriteUnchanged: false, floorAfter: 2 }, 4, 2);
});

// Every chunk rewritten: 16 NFTP + 8 FTPR erases and 2 writes (the rest of each partition is 0xFF).
test('power loss at every operation, every chunk rewritten (26 operations × 3 torn variants); old FTPR carries recovery', () => {
  const stats = sweep({ name: 'every chunk', image: platform.image, packageBytes: plain, rewriteUnchanged: true, floorAfter: 1 }, 26, 3);
  const seen = new Set(stats.flatMap((s) => [...s.states]));
  assert.ok(seen.has(`recovery ${OLD_VERSION_TEXT}`), 'while NFTP is rewritten the old FTPR boots (recovery)');
  assert.ok(seen.has(`operational ${NEW_VERSION_TEXT}`), 'while FTPR is rewritten the new NFTP boots');
});

test('power loss at every operation, every chunk rewritten, raising the floor (26 operations × 3 torn variants)', () => {
  sweep({ name: 'every chunk, raise floor', image: platform.image, packageBytes: raising, rewriteUnchanged: true, floorAfter: 2 }, 26, 4);
});

test('power loss at every operation with a corrupted FTPR on flash: FTPR is written first, the old NFTP boots meanwhile', () => {
  const stats = sweep({ name: 'bad FTPR', image: imageWithBadFtpr(), packageBytes: plain, rewriteUnchanged: true, floorAfter: 1 }, 26, 5);
  const seen = new Set(stats.flatMap((s) => [...s.states]));
  assert.ok(seen.has(`operational ${OLD_VERSION_TEXT}`));
  assert.ok(!seen.has(`recovery ${OLD_VERSION_TEXT}`), 'the corrupted FTPR never boots');
});

// ---- the real CLI on temporary files ----

const VME = fileURLToPath(new URL('../../bin/vme.js', import.meta.url));
const vme = (...args: string[]) => spawnSync(process.execPath, [VME, 'firmware', ...args], { encoding: 'utf8', timeout: 60_000 });

function withPlatformFiles(body: (dir: string, image: string) => void): void {
  withTempDir((dir) => {
    const image = join(dir, 'flash.bin');
    writeFileSync(image, platform.image);
    writeFusesAtomic(`${image}.fuses.json`, platform.fuses);
    body(dir, image);
  });
}

test('CLI: update applies a package, raises the floor, boots the new firmware; rollback then exits 4 with the image unchanged', () => {
  withPlatformFiles((dir, image) => {
    writeFileSync(join(dir, 'v2.pkg'), raising);
    const r = vme('update', image, '--package', join(dir, 'v2.pkg'));
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /package verified: firmware 1\.1\.0\.2, ARB SVN 2/);
    assert.match(r.stderr, /writing NFTP then FTPR/);
    assert.match(r.stdout, /ROM boot: operational from NFTP, firmware 1\.1\.0\.2/);
    assert.match(r.stdout, /anti-rollback floor .*: 1 -> 2/);
    assert.equal(readFuses(`${image}.fuses.json`).svnFloor, 2);
    writeFileSync(join(dir, 'old.pkg'), plain);
    const before = readFileSync(image);
    const rollback = vme('update', image, '--package', join(dir, 'old.pkg'), '--json');
    assert.equal(rollback.status, 4, rollback.stderr);
    assert.equal((JSON.parse(rollback.stdout) as { error: string }).error, 'VME_ERR_VERIFY_ROLLBACK');
    assert.ok(readFileSync(image).equals(before));
  });
});

test('CLI: a package signed with another key exits 1, a garbled one exits 3, the image unchanged', () => {
  withPlatformFiles((dir, image) => {
    writeFileSync(join(dir, 'evil.pkg'), testPackage({ keys: attackerKeys() }));
    const garbled = Uint8Array.from(plain);
    garbled[0x1000] = (garbled[0x1000] ?? 0) ^ 1;
    writeFileSync(join(dir, 'garbled.pkg'), garbled);
    const evil = vme('update', image, '--package', join(dir, 'evil.pkg'));
    assert.equal(evil.status, 1);
    assert.match(evil.stderr, /VME_ERR_VERIFY_KEY: package partition FTPR refused: key check failed/);
    assert.equal(vme('update', image, '--package', join(dir, 'garbled.pkg')).status, 3);
    assert.ok(readFileSync(image).equals(Buffer.from(platform.image)));
  });
});

test('CLI: pack with keys from `vme keys init`, then update an image built with those keys (JSON)', () => {
  withTempDir((dir) => {
    const keys = join(dir, 'keys');
    assert.equal(spawnSync(process.execPath, [VME, 'keys', 'init', '--dir', keys], { timeout: 60_000 }).status, 0);
    const image = join(dir, 'flash.bin');
    assert.equal(spawnSync(process.execPath, [VME, 'image', 'build', '--out', image, '--keys', keys], { timeout: 60_000 }).status, 0);
    const pack = vme('pack', '--keys', keys, '--out', join(dir, 'fw.pkg'), '--firmware-version', '16.2.0.1', '--svn', '3', '--raise-floor', '--json');
    assert.equal(pack.status, 0, pack.stderr);
    assert.equal((JSON.parse(pack.stdout) as { version: string }).version, '16.2.0.1');
    const update = vme('update', image, '--package', join(dir, 'fw.pkg'), '--json');
    assert.equal(update.status, 0, update.stderr);
    const result = JSON.parse(update.stdout) as { boot: { state: string; version: string }; svnFloorAfter: number };
    assert.deepEqual([result.boot.state, result.boot.version, result.svnFloorAfter], ['operational', '16.2.0.1', 3]);
    assert.equal(vme('pack', '--keys', keys, '--out', join(dir, 'x.pkg'), '--firmware-version', '1.2.3').status, 2);
  });
});
