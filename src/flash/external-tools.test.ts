// Our images checked by tools we did not write: ifdtool (-d -f -x -t -l -u), flashrom --ifd, UEFIExtract.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTool, findTool, withTempDir, describeResult, type ToolResult } from '../../test/support/external-tools.js';
import { assembleImage, regionBytes, imageRegions } from './image.js';
import { buildDescriptor, parseDescriptor, lockDescriptor, unlockDescriptor, defaultLayout, type RegionName } from './descriptor.js';
import { buildFmap, fmapForRegions } from './fmap.js';
import { FlashController } from './controller.js';
import { MemoryBacking } from './backing.js';
import { FlashAccessDenied } from './errors.js';
import { minimalMeRegion } from './test-fixtures.js';

const MiB = 1024 * 1024;
const hex8 = (n: number): string => n.toString(16).padStart(8, '0');
const image8 = (access?: 'locked' | 'unlocked'): Uint8Array => assembleImage({ sizeBytes: 8 * MiB, meRegion: minimalMeRegion(), ...(access ? { access } : {}) });

/** Write `image` to DIR/img.bin and run ifdtool -p sklkbl with `args` in DIR. */
function ifdtool(dir: string, image: Uint8Array, ...args: string[]): ToolResult {
  writeFileSync(join(dir, 'img.bin'), image);
  return runTool('ifdtool', ['-p', 'sklkbl', ...args, 'img.bin'], { cwd: dir });
}

function ok(name: string, result: ToolResult): ToolResult {
  assert.equal(result.code, 0, describeResult(name, result));
  return result;
}

test('ifdtool -d: region lines and master registers equal parseDescriptor', () => {
  withTempDir((dir) => {
    const image = image8();
    const out = ok('ifdtool -d', ifdtool(dir, image, '-d')).stdout;
    assert.doesNotMatch(out, /FD is corrupted|No Flash Descriptor found/);
    const lines = [...out.matchAll(/^\s*Flash Region (\d+) \([^)]*\): ([0-9a-f]{8}) - ([0-9a-f]{8})\s*(\(unused\))?$/gm)];
    const theirs = lines.filter((m) => !m[4]).map((m) => [Number(m[1]), m[2], m[3]]);
    const ours = parseDescriptor(image).regions.filter((r) => r.used).map((r) => [r.index, hex8(r.base), hex8(r.limit)]);
    assert.deepEqual(theirs, ours);
    assert.deepEqual(lines.map((m) => Number(m[1])), [0, 1, 2, 3, 4, 8], 'ifdtool -d prints regions 0-4 and 8 on SKL');
    const d = parseDescriptor(image);
    for (const [register, master] of [['FLMSTR1', 'host'], ['FLMSTR2', 'me'], ['FLMSTR3', 'gbe'], ['FLMSTR5', 'ec']] as const) {
      assert.match(out, new RegExp(`^${register}:\\s+0x${hex8(d.masters[master].raw)}`, 'm'));
    }
    assert.match(out, /Component 1 Density:\s+8MB/);
  });
});

test('ifdtool -f: the flashrom layout file lists exactly our regions', () => {
  withTempDir((dir) => {
    const image = image8();
    ok('ifdtool -f', ifdtool(dir, image, '-f', 'layout.txt'));
    const layout = readFileSync(join(dir, 'layout.txt'), 'utf8').trim().split('\n').sort();
    const ours = imageRegions(image).map((r) => `${hex8(r.base)}:${hex8(r.limit)} ${r.name}`).sort();
    assert.deepEqual(layout, ours);
  });
});

test('ifdtool -x: every extracted region is byte-identical to ours', () => {
  withTempDir((dir) => {
    const image = image8();
    ok('ifdtool -x', ifdtool(dir, image, '-x'));
    const files = readdirSync(dir).filter((f) => f.startsWith('flashregion_'));
    assert.equal(files.length, 4, files.join(', '));
    for (const region of imageRegions(image)) {
      const file = files.find((f) => f.startsWith(`flashregion_${region.index}_`));
      assert.ok(file, `no extracted file for region ${region.index}`);
      assert.ok(Buffer.from(regionBytes(image, region.name)).equals(readFileSync(join(dir, file))), `${file} differs`);
    }
  });
});

test('ifdtool -t accepts our FMAP and rejects one whose SI_ME disagrees with the descriptor', () => {
  withTempDir((dir) => {
    const image = image8();
    ok('ifdtool -t', ifdtool(dir, image, '-t'));
    const layout = defaultLayout(8 * MiB).map((r) => (r.name === 'me' ? { ...r, base: r.base + 0x1000 } : r));
    const wrong = Uint8Array.from(image);
    wrong.set(buildFmap(fmapForRegions(layout, 8 * MiB, 0x300000)), 0x300000);
    const result = ifdtool(dir, wrong, '-t');
    assert.equal(result.code, 1, describeResult('ifdtool -t (wrong FMAP)', result));
    assert.match(result.stdout + result.stderr, /Region mismatch between me and SI_ME/);
  });
});

/** Run ifdtool with one of -l/-u on `image` and return the new image it writes. */
function ifdtoolRewrite(dir: string, image: Uint8Array, flag: '-l' | '-u'): Uint8Array {
  ok(`ifdtool ${flag}`, ifdtool(dir, image, flag, '-O', 'out.bin'));
  return readFileSync(join(dir, 'out.bin'));
}

test('ifdtool -l / -u give the same bytes as lockDescriptor / unlockDescriptor', () => {
  withTempDir((dir) => {
    const locked = image8();
    const unlocked = image8('unlocked');
    assert.deepEqual(Buffer.from(ifdtoolRewrite(dir, locked, '-u')), Buffer.from(unlockDescriptor(locked)));
    assert.deepEqual(Buffer.from(ifdtoolRewrite(dir, locked, '-u')), Buffer.from(unlocked));
    assert.deepEqual(Buffer.from(ifdtoolRewrite(dir, unlocked, '-l')), Buffer.from(locked));
    assert.deepEqual(Buffer.from(ifdtoolRewrite(dir, locked, '-l')), Buffer.from(lockDescriptor(locked)));
  });
});

test('ifdtool -l agrees with our lock pattern for other region sets (no GbE; PDR and EC)', () => {
  withTempDir((dir) => {
    const sets: { name: RegionName; base: number; limit: number }[][] = [
      [{ name: 'fd', base: 0, limit: 0xfff }, { name: 'me', base: 0x1000, limit: 0x2fffff }, { name: 'bios', base: 0x300000, limit: 0x7fffff }],
      [...defaultLayout(8 * MiB).map((r) => (r.name === 'me' ? { ...r, limit: 0x2dffff } : r)), { name: 'ec', base: 0x2e0000, limit: 0x2effff }, { name: 'pd', base: 0x2f0000, limit: 0x2fffff }],
    ];
    for (const regions of sets) {
      const image = new Uint8Array(8 * MiB).fill(0xff);
      image.set(buildDescriptor({ sizeBytes: 8 * MiB, regions, access: 'unlocked' }));
      assert.deepEqual(Buffer.from(ifdtoolRewrite(dir, image, '-l')), Buffer.from(lockDescriptor(image)));
      assert.equal(parseDescriptor(lockDescriptor(image)).locked, true);
    }
  });
});

test('images unlocked or locked by the real ifdtool are enforced accordingly by the controller', () => {
  withTempDir((dir) => {
    const byTool = ifdtoolRewrite(dir, image8(), '-u');
    const open = new FlashController(new MemoryBacking(byTool));
    open.write('host', 'me', 0, Uint8Array.from([0x42]));
    assert.equal(open.read('host', 'me', 0, 1)[0], 0x42);
    const relocked = ifdtoolRewrite(dir, byTool, '-l');
    const closed = new FlashController(new MemoryBacking(relocked));
    assert.throws(() => closed.write('host', 'me', 0, Uint8Array.from([0x42])), FlashAccessDenied);
    assert.throws(() => closed.read('host', 'me', 0, 1), FlashAccessDenied);
    closed.write('host', 'bios', 0x1000, Uint8Array.from([1]));
  });
});

test('flashrom --ifd reads each region byte-identical to ours (dummy programmer)', () => {
  withTempDir((dir) => {
    for (const size of [8 * MiB, 16 * MiB]) {
      const image = assembleImage({ sizeBytes: size, meRegion: minimalMeRegion(size === 8 * MiB ? 0x2fd000 : 0x4fd000) });
      for (const region of imageRegions(image)) {
        writeFileSync(join(dir, 'chip.bin'), image);
        const result = runTool('flashrom', ['-p', `dummy:emulate=VARIABLE_SIZE,size=${size},image=chip.bin`, '--ifd', '-i', `${region.name}:region.bin`, '-r', 'full.bin'], { cwd: dir });
        ok(`flashrom -i ${region.name}`, result);
        assert.match(result.stdout, /Reading ich descriptor\.\.\. done\./);
        assert.match(result.stdout, new RegExp(`Using region: "${region.name}":"region.bin"`));
        assert.ok(Buffer.from(regionBytes(image, region.name)).equals(readFileSync(join(dir, 'region.bin'))), `${region.name} differs`);
        const full = readFileSync(join(dir, 'full.bin'));
        assert.ok(Buffer.from(regionBytes(image, region.name)).equals(full.subarray(region.base, region.limit + 1)), 'full read differs inside the region');
      }
    }
  });
});

const UEFI_COMPLAINTS = /intersects|outside of the opened image|too small|invalid|not a single Volume Top File|non-UEFI data|overlaps|damaged|unknown/i;

test('UEFIExtract parses our regions, $FPT and UEFI volume without a single message', () => {
  withTempDir((dir) => {
    for (const size of [8 * MiB, 16 * MiB]) {
      const image = assembleImage({ sizeBytes: size, meRegion: minimalMeRegion(size === 8 * MiB ? 0x2fd000 : 0x4fd000) });
      writeFileSync(join(dir, 'img.bin'), image);
      const result = ok('UEFIExtract', runTool('UEFIExtract', ['img.bin', 'report'], { cwd: dir }));
      assert.doesNotMatch(result.stdout + result.stderr, UEFI_COMPLAINTS);
      assert.equal(result.stdout.trim(), '', `UEFIExtract printed messages:\n${result.stdout}`);
      const report = readFileSync(join(dir, 'img.bin.report.txt'), 'utf8');
      assert.doesNotMatch(report, UEFI_COMPLAINTS);
      const row = (type: string, subtype: string, base: number, length: number): RegExp => new RegExp(`^ ${type}\\s+\\| ${subtype}\\s+\\| ${hex8(base).toUpperCase()} \\| ${hex8(length).toUpperCase()} \\|`, 'm');
      for (const r of imageRegions(image)) {
        const subtype = { fd: 'Descriptor', gbe: 'GbE', me: 'ME', bios: 'BIOS' }[r.name as 'fd' | 'gbe' | 'me' | 'bios'];
        assert.match(report, row('Region', subtype, r.base, r.size), `region ${r.name}`);
      }
      assert.match(report, row('FPT entry', 'Valid', 0x3030, 0x20));
      assert.match(report, row('Volume', 'FFSv2', size - 0x10000, 0x10000));
      assert.match(report, /^ File\s+\| Raw\s+\| [0-9A-F]{8} \| 00000058 \| [0-9A-F]{8} \| --- 1BA0062E-C779-4582-8566-336AE8F78F09 \| Volume Top File$/m);
      assert.match(report, /^ File\s+\| Pad\s+\|/m);
    }
  });
});

test('UEFIExtract notices a broken volume checksum (the check above is not vacuous)', () => {
  withTempDir((dir) => {
    const image = image8();
    const checksumAt = 8 * MiB - 0x10000 + 0x32;
    image[checksumAt] = (image[checksumAt] ?? 0) ^ 0xff;
    writeFileSync(join(dir, 'img.bin'), image);
    const result = runTool('UEFIExtract', ['img.bin', 'report'], { cwd: dir });
    assert.match(result.stdout, /volume header checksum is invalid/, describeResult('UEFIExtract', result));
  });
});

test('a missing tool is an error naming its Debian package, never a skip', () => {
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    assert.throws(() => findTool('UEFIExtract'), /UEFIExtract is not installed: install the Debian package uefitool-cli/);
  } finally {
    process.env.PATH = saved;
  }
});
