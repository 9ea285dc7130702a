// Cross-check with an independent parser: a full image holding vme's ME region, read by UEFIExtract (uefitool-cli).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assembleImage } from '../src/flash/image.js';
import { testMeRegion, testFuses } from '../src/me/testing.js';
import { romBoot } from '../src/rom/index.js';
import { runTool, withTempDir, describeResult } from './support/external-tools.js';

const ME_BASE = 0x3000;
const SIZES = [{ sizeBytes: 8 << 20, regionSize: 0x2fd000 }, { sizeBytes: 16 << 20, regionSize: 0x4fd000 }];

/** Runs `UEFIExtract IMG report` and returns stdout and the report text. */
function uefiExtractReport(image: Uint8Array): { stdout: string; report: string } {
  return withTempDir((dir) => {
    const path = join(dir, 'image.bin');
    writeFileSync(path, image);
    const result = runTool('UEFIExtract', [path, 'report'], { cwd: dir });
    assert.equal(result.code, 0, describeResult('UEFIExtract', result));
    return { stdout: result.stdout + result.stderr, report: readFileSync(`${path}.report.txt`, 'utf8') };
  });
}

const row = (type: string, subtype: string, name: string): RegExp =>
  new RegExp(`^ ${type}\\s*\\| ${subtype}\\s*\\|.*\\| -+ ${name.replace('.', '\\.')}$`, 'm');

for (const { sizeBytes, regionSize } of SIZES) {
  test(`UEFIExtract parses vme's ME region in a ${sizeBytes >> 20} MiB image without complaint`, () => {
    const me = testMeRegion({ regionSize });
    const image = assembleImage({ sizeBytes, meRegion: me });
    assert.deepEqual(image.subarray(ME_BASE, ME_BASE + regionSize), me, 'ME region placed at 0x3000');
    assert.equal(romBoot(image.subarray(ME_BASE, ME_BASE + regionSize), testFuses(), { regionBase: ME_BASE }).state, 'operational');
    const { stdout, report } = uefiExtractReport(image);
    assert.match(report, new RegExp(`^ Region\\s*\\| ME\\s*\\| 00003000 \\| ${regionSize.toString(16).toUpperCase().padStart(8, '0')} \\|`, 'm'));
    assert.match(report, /^ FPT store\s*\|/m);
    for (const name of ['FTPR', 'NFTP', 'MFS', 'FLOG']) assert.match(report, row('FPT entry', 'Valid', name), name);
    for (const name of ['FTPR', 'NFTP']) assert.match(report, row('FPT partition', 'Code', name));
    for (const name of ['MFS', 'FLOG']) assert.match(report, row('FPT partition', 'Data', name));
    for (const name of ['FTPR.man', 'NFTP.man', 'kernel', 'kernel.met', 'mkhi', 'mkhi.met', 'amt', 'amt.met']) assert.match(report, row('CPD entry', '', name), name);
    for (const name of ['FTPR.man', 'NFTP.man']) assert.match(report, row('CPD partition', 'Manifest', name));
    for (const name of ['kernel.met', 'mkhi.met']) assert.match(report, row('CPD partition', 'Metadata', name));
    assert.equal(report.match(/^ CPD extension .*Partition Info$/gm)?.length, 2);
    assert.equal(report.match(/^ CPD extension .*Signed Package Info$/gm)?.length, 2);
    assert.equal(report.match(/^ CPD SPI entry .*-- (kernel|mkhi|amt)$/gm)?.length, 5, 'each 0x0F lists its modules: FTPR kernel and mkhi, NFTP also amt');
    assert.equal(report.match(/^ CPD extension .*Module Attributes$/gm)?.length, 5);
    for (const text of [report, stdout]) {
      assert.doesNotMatch(text, /intersects|outside|too small|invalid|unknown|Unknown/, text);
    }
    assert.doesNotMatch(stdout, /Fpt|Cpd|ME region|Manifest/i, stdout);
  });
}
