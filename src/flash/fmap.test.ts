// FMAP tests: round trip, the layout's areas, errors, and byte equality with coreboot's fmaptool.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DecodeError } from '../codec/index.js';
import { buildFmap, parseFmap, findFmap, fmapForRegions, FmapHeader } from './fmap.js';
import { defaultLayout } from './descriptor.js';
import { runTool, withTempDir, describeResult } from '../../test/support/external-tools.js';

const MiB = 1024 * 1024;

test('the default layout FMAP lists SI_DESC, SI_GBE, SI_ME, SI_BIOS and FMAP and round-trips', () => {
  const fmap = fmapForRegions(defaultLayout(8 * MiB), 8 * MiB, 0x300000);
  assert.deepEqual(fmap.areas.map((a) => [a.name, a.offset, a.size]), [
    ['SI_DESC', 0, 0x1000], ['SI_GBE', 0x1000, 0x2000], ['SI_ME', 0x3000, 0x2fd000], ['SI_BIOS', 0x300000, 0x500000], ['FMAP', 0x300000, 0x1000],
  ]);
  const bytes = buildFmap(fmap);
  assert.equal(bytes.length, 0x38 + 5 * 0x2a);
  assert.deepEqual(parseFmap(bytes), { ...fmap, areas: fmap.areas.map((a) => ({ ...a, flags: 0 })) });
  const image = new Uint8Array(8 * MiB).fill(0xff);
  image.set(bytes, 0x300000);
  assert.equal(findFmap(image)?.offset, 0x300000);
  assert.equal(findFmap(new Uint8Array(0x2000)), undefined);
});

test('FMAP errors: bad signature, version, truncated area table, area outside the flash', () => {
  const good = buildFmap(fmapForRegions(defaultLayout(8 * MiB), 8 * MiB, 0x300000));
  const damaged = (at: number, value: number): Uint8Array => Uint8Array.from(good, (b, i) => (i === at ? value : b));
  assert.throws(() => parseFmap(damaged(0, 0x41), 0, 0x300000), (e: unknown) => e instanceof DecodeError && e.problem.field === 'signature' && e.problem.offset === 0x300000);
  assert.throws(() => parseFmap(damaged(8, 2)), (e: unknown) => e instanceof DecodeError && e.problem.field === 'versionMajor');
  assert.throws(() => parseFmap(good.subarray(0, good.length - 1)), (e: unknown) => e instanceof DecodeError && e.problem.reason === 'truncated');
  const small = Uint8Array.from(good);
  new DataView(small.buffer).setUint32(FmapHeader.offsetOf('size'), 0x400000, true);
  assert.throws(() => parseFmap(small), (e: unknown) => e instanceof DecodeError && e.problem.reason === 'area outside the flash' && /SI_BIOS/.test(e.problem.structure));
});

test('our encoding is byte-identical to fmaptool for the same areas', () => {
  withTempDir((dir) => {
    const fmd = [
      'FLASH@0 0x800000 {',
      '  SI_DESC@0 0x1000', '  SI_GBE@0x1000 0x2000', '  SI_ME@0x3000 0x2fd000',
      '  SI_BIOS@0x300000 0x500000 {', '    FMAP@0 0x1000', '    COREBOOT(CBFS)@0x1000 0x4ff000', '  }',
      '}',
    ].join('\n');
    writeFileSync(join(dir, 'layout.fmd'), fmd);
    const result = runTool('fmaptool', ['layout.fmd', 'fmap.bin'], { cwd: dir });
    assert.equal(result.code, 0, describeResult('fmaptool', result));
    const theirs = readFileSync(join(dir, 'fmap.bin'));
    const parsed = parseFmap(theirs);
    assert.deepEqual(parsed.areas.map((a) => a.name), ['SI_DESC', 'SI_GBE', 'SI_ME', 'SI_BIOS', 'FMAP', 'COREBOOT']);
    assert.deepEqual(Buffer.from(buildFmap(parsed)), theirs);
  });
});

test('findFmap: an FMAP claiming a larger flash than the image (so its areas may lie outside it) is refused at header.size', () => {
  const image = new Uint8Array(8 * MiB).fill(0xff);
  const fmap = fmapForRegions(defaultLayout(8 * MiB), 8 * MiB, 0x300000);
  image.set(buildFmap({ ...fmap, size: 0x7fffffff, areas: [...fmap.areas, { name: 'BEYOND', offset: 16 * MiB, size: 0x1000 }] }), 0x300000);
  assert.throws(() => findFmap(image), (e: unknown) => e instanceof DecodeError && e.problem.structure === 'FMAP header' && e.problem.field === 'size'
    && e.problem.offset === 0x300000 + FmapHeader.offsetOf('size') && e.problem.expected === '0x800000' && e.problem.actual === '0x7fffffff');
});
