// Images made by `vme image build` read by tools nobody here wrote (ifdtool, flashrom, UEFIExtract):
// each must accept the image and agree with `vme image inspect` on offsets and contents.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vme, tempDir } from './support/cli.js';
import { runTool, describeResult } from './support/external-tools.js';

const { dir, cleanup } = tempDir();
after(cleanup);
assert.equal(vme(['keys', 'init'], dir).status, 0);

interface Report { regions: { name: string; base: number; limit: number }[]; partitions: { name: string; offset: number; size: number }[] }
const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

for (const size of ['8M', '16M']) {
  const image = join(dir, `p-${size}.bin`);
  const built = vme(['image', 'build', '--out', image, '--size', size], dir);
  assert.equal(built.status, 0, built.stderr);
  const report = JSON.parse(vme(['image', 'inspect', image, '--json'], dir).stdout) as Report;
  const bytes = readFileSync(image);

  test(`${size}: ifdtool -d/-f/-x/-t agree with vme's regions and bytes`, () => {
    const dump = runTool('ifdtool', ['-p', 'sklkbl', '-d', image]);
    assert.equal(dump.code, 0, describeResult('ifdtool -d', dump));
    assert.doesNotMatch(dump.stdout, /FD is corrupted|No Flash Descriptor found/);
    const layout = join(dir, `layout-${size}`);
    assert.equal(runTool('ifdtool', ['-p', 'sklkbl', '-f', layout, image]).code, 0);
    const lines = readFileSync(layout, 'utf8').trim().split('\n').sort();
    assert.deepEqual(lines, report.regions.map((r) => `${hex8(r.base)}:${hex8(r.limit)} ${r.name}`).sort());
    runTool('ifdtool', ['-p', 'sklkbl', '-x', image], { cwd: dir });
    for (const r of ['fd', 'bios', 'me', 'gbe'] as const) {
      const region = report.regions.find((x) => x.name === r);
      assert.ok(region);
      const file = { fd: 'flashregion_0_flashdescriptor.bin', bios: 'flashregion_1_bios.bin', me: 'flashregion_2_intel_me.bin', gbe: 'flashregion_3_gbe.bin' }[r];
      assert.ok(readFileSync(join(dir, file)).equals(bytes.subarray(region.base, region.limit + 1)), `extracted ${r} equals vme's ${r} region`);
    }
    const fmapCheck = runTool('ifdtool', ['-p', 'sklkbl', '-t', image]);
    assert.equal(fmapCheck.code, 0, describeResult('ifdtool -t', fmapCheck));
  });

  test(`${size}: flashrom reads every region through the descriptor byte-identically`, () => {
    for (const r of report.regions) {
      const chip = join(dir, `chip-${size}.bin`);
      copyFileSync(image, chip); // the dummy programmer writes its image back on exit
      const out = join(dir, `${r.name}-${size}.out`);
      const res = runTool('flashrom', ['-p', `dummy:emulate=VARIABLE_SIZE,size=${bytes.length},image=${chip}`, '--ifd', '-i', `${r.name}:${out}`, '-r', join(dir, `full-${size}.bin`)]);
      assert.equal(res.code, 0, describeResult('flashrom', res));
      assert.ok(readFileSync(out).equals(bytes.subarray(r.base, r.limit + 1)), `flashrom's ${r.name} equals vme's`);
    }
  });

  test(`${size}: UEFIExtract lists the same $FPT partitions at the same offsets, without complaint`, () => {
    const res = runTool('UEFIExtract', [image, 'report'], { cwd: dir });
    assert.equal(res.code, 0, describeResult('UEFIExtract', res));
    assert.equal(res.stdout.trim(), '', `UEFIExtract printed messages:\n${res.stdout}`);
    const text = readFileSync(`${image}.report.txt`, 'utf8');
    assert.doesNotMatch(text, /intersects|outside of the opened image|too small|invalid|Unknown/i);
    for (const p of report.partitions) {
      const row = new RegExp(`^\\s*FPT partition\\s*\\| \\w+\\s*\\| ${hex8(p.offset).toUpperCase()} \\| ${hex8(p.size).toUpperCase()} \\|.*${p.name.trim()}`, 'm');
      assert.match(text, row, `UEFIExtract shows ${p.name} at 0x${p.offset.toString(16)}`);
    }
    assert.match(text, /CPD entry .*NFTP\.man/);
    assert.match(text, /Signed Package Info/);
  });
}

test('the host cannot write the ME region until ifdtool -u unlocks the descriptor; ifdtool -l locks it again', () => {
  const image = join(dir, 'p-8M.bin');
  const payload = join(dir, 'payload.bin');
  writeFileSync(payload, Buffer.alloc(4096, 0x5a));
  const write = (file: string): number | null => vme(['flash', 'write', file, '--region', 'me', '--as', 'host', '--in', payload, '--offset', '0x200000'], dir).status;
  assert.equal(write(image), 4);
  const unlocked = join(dir, 'unlocked.bin');
  assert.equal(runTool('ifdtool', ['-p', 'sklkbl', '-u', image, '-O', unlocked]).code, 0);
  assert.equal(write(unlocked), 0);
  const relocked = join(dir, 'relocked.bin');
  assert.equal(runTool('ifdtool', ['-p', 'sklkbl', '-l', unlocked, '-O', relocked]).code, 0);
  assert.equal(write(relocked), 4);
  // ifdtool's lock pattern is exactly the descriptor vme builds ("locked as real parts set it").
  assert.ok(readFileSync(relocked).subarray(0, 0x1000).equals(readFileSync(image).subarray(0, 0x1000)));
});
