// `vme flash`: enforcement visible from the command line (exit 4 on refusal), JSON output, usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleImage } from '../../flash/image.js';
import { withTempDir } from '../../../test/support/external-tools.js';

const VME = fileURLToPath(new URL('../../../../bin/vme.js', import.meta.url));
const vme = (...args: string[]): { code: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [VME, 'flash', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

function withImage(body: (dir: string, image: string) => void): void {
  withTempDir((dir) => {
    const image = join(dir, 'flash.bin');
    writeFileSync(image, assembleImage({ sizeBytes: 8 * 1024 * 1024, meRegion: new Uint8Array(0) }));
    body(dir, image);
  });
}

test('the host is refused the ME region with exit 4 and the reason', () => {
  withImage((dir, image) => {
    writeFileSync(join(dir, 'in.bin'), Uint8Array.from([1, 2, 3, 4]));
    const r = vme('write', image, '--region', 'me', '--as', 'host', '--in', join(dir, 'in.bin'));
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /VME_ERR_FLASH_ACCESS_DENIED: master host may not write region me: FLMSTR1 = 0x00a00b00 has write bit 22/);
    assert.equal(vme('read', image, '--region', 'me', '--as', 'host').code, 4);
    const json = vme('erase', image, '--region', 'me', '--as', 'host', '--json');
    assert.equal(json.code, 4);
    assert.equal((JSON.parse(json.stdout) as { error: string }).error, 'VME_ERR_FLASH_ACCESS_DENIED');
  });
});

test('allowed writes land in the file; the override strap opens ME to the host', () => {
  withImage((dir, image) => {
    writeFileSync(join(dir, 'in.bin'), Uint8Array.from([0xde, 0xad]));
    const w = vme('write', image, '--region', 'me', '--as', 'me', '--offset', '0x10', '--in', join(dir, 'in.bin'));
    assert.equal(w.code, 0, w.stderr);
    assert.deepEqual([...readFileSync(image).subarray(0x3010, 0x3012)], [0xde, 0xad]);
    const r = vme('read', image, '--region', 'me', '--as', 'host', '--strap-override', '--offset', '0x10', '--length', '2', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { data: string }).data, 'dead');
    const out = join(dir, 'gbe.bin');
    assert.equal(vme('read', image, '--region', 'gbe', '--as', 'gbe', '--out', out).code, 0);
    assert.equal(readFileSync(out).length, 0x2000);
    assert.equal(vme('erase', image, '--region', 'me', '--as', 'me', '--length', '4K').code, 0);
    assert.deepEqual([...readFileSync(image).subarray(0x3010, 0x3012)], [0xff, 0xff]);
  });
});

test('bad names, ranges and missing files map to usage (2), range (2) and I/O (5) statuses', () => {
  withImage((dir, image) => {
    assert.equal(vme('read', image, '--region', 'nope', '--as', 'host').code, 2);
    assert.equal(vme('read', image, '--region', 'bios', '--as', 'cpu').code, 2);
    assert.equal(vme('read', image, '--region', 'bios', '--as', 'host', '--offset', 'lots').code, 2);
    assert.equal(vme('read', image, '--region', 'bios', '--as', 'host', '--offset', '0x500000', '--length', '1').code, 2);
    assert.equal(vme('write', image, '--region', 'bios', '--as', 'host').code, 2);
    assert.equal(vme('read', join(dir, 'missing.bin'), '--region', 'bios', '--as', 'host').code, 5);
    assert.match(vme('read', '--help').stdout, /--strap-override/);
  });
});
