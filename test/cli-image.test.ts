// The `vme keys|image` commands driven as a user would: build, verify, inspect, tamper, refuse.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vme, tempDir } from './support/cli.js';

const { dir, cleanup } = tempDir();
after(cleanup);
const image = join(dir, 'platform.bin');
const flip = (bytes: Buffer, offset: number): void => { bytes.writeUInt8(bytes.readUInt8(offset) ^ 0x01, offset); };

test('keys init, image build and verify: the operational firmware boots', () => {
  assert.equal(vme(['keys', 'init'], dir).status, 0);
  const built = vme(['image', 'build', '--out', image, '--firmware-svn', '3', '--json'], dir);
  assert.equal(built.status, 0, built.stderr);
  const result = JSON.parse(built.stdout) as { boot: string; svnFloor: number; apps: string[] };
  assert.deepEqual([result.boot, result.svnFloor, result.apps], ['operational', 3, ['mkhi', 'amt']]);
  const verified = vme(['image', 'verify', image], dir);
  assert.equal(verified.status, 0);
  assert.match(verified.stdout, /rom NFTP signature +ok/);
  assert.match(verified.stdout, /result: OPERATIONAL — boots NFTP firmware 16\.1\.27\.2225/);
});

test('build refuses to overwrite a platform without --force', () => {
  const again = vme(['image', 'build', '--out', image], dir);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /exists; pass --force/);
});

test('inspect --json reports regions, access, partitions and trusted signatures', () => {
  const r = vme(['image', 'inspect', image, '--json'], dir);
  assert.equal(r.status, 0, r.stderr);
  const report = JSON.parse(r.stdout) as { regions: { name: string; base: number }[]; access: Record<string, { write: string[] }>; code: { name: string; keyTrust: string; verified: boolean }[] };
  assert.deepEqual(report.regions.map((x) => [x.name, x.base]), [['fd', 0], ['bios', 0x300000], ['me', 0x3000], ['gbe', 0x1000]]);
  assert.deepEqual(report.access.host?.write, ['bios', 'gbe']);
  assert.deepEqual(report.code.map((c) => [c.name, c.keyTrust, c.verified]), [['FTPR', 'trusted', true], ['NFTP', 'trusted', true]]);
});

test('a tampered operational partition falls back to recovery (exit 6); both tampered: down (exit 1)', () => {
  const bytes = readFileSync(image);
  const report = JSON.parse(vme(['image', 'inspect', image, '--json'], dir).stdout) as { partitions: { name: string; offset: number }[] };
  const at = (name: string): number => report.partitions.find((p) => p.name === name)?.offset ?? -1;
  const tampered = join(dir, 'tampered.bin');
  flip(bytes, at('NFTP') + 0x600); // inside the NFTP modules
  writeFileSync(tampered, bytes);
  writeFileSync(`${tampered}.fuses.json`, readFileSync(`${image}.fuses.json`));
  const recovery = vme(['image', 'verify', tampered, '--json'], dir);
  assert.equal(recovery.status, 6);
  const rec = JSON.parse(recovery.stdout) as { state: string; log: { partition: string; check: string; ok: boolean }[] };
  assert.equal(rec.state, 'recovery');
  assert.ok(rec.log.some((e) => e.partition === 'NFTP' && !e.ok && /hash/.test(e.check)));
  flip(bytes, at('FTPR') + 0x200); // the FTPR manifest header: the signature no longer verifies
  writeFileSync(tampered, bytes);
  const down = vme(['image', 'verify', tampered], dir);
  assert.equal(down.status, 1);
  assert.match(down.stdout, /result: DOWN/);
});

test('bad input: a missing file, a garbage file, a file without fuses', () => {
  assert.equal(vme(['image', 'verify', join(dir, 'nope.bin')], dir).status, 5);
  const garbage = join(dir, 'garbage.bin');
  writeFileSync(garbage, Buffer.alloc(8192, 0x41));
  const g = vme(['image', 'verify', garbage, '--fuses', `${image}.fuses.json`], dir);
  assert.equal(g.status, 1);
  assert.match(g.stdout, /descriptor +FAIL/);
  const inspected = vme(['image', 'inspect', garbage], dir);
  assert.equal(inspected.status, 3);
  assert.match(inspected.stdout, /ERROR in descriptor: VME_ERR_DECODE/);
  const noFuses = vme(['image', 'verify', garbage], dir);
  assert.equal(noFuses.status, 5);
  assert.match(noFuses.stderr, /no fuse file/);
});

test('usage errors exit 2 with a message', () => {
  assert.equal(vme(['image', 'build', '--out', join(dir, 'x.bin'), '--size', '4M'], dir).status, 2);
  const v = vme(['image', 'build', '--out', join(dir, 'x.bin'), '--firmware-version', '1.2'], dir);
  assert.equal(v.status, 2);
  assert.match(v.stderr, /four numbers/);
});
