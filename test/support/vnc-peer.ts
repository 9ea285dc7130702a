/**
 * The VNC side of the KVM tests: run Debian's vncsnapshot/djpeg, write a VNC password file as
 * vncpasswd does, decode the screenshot and tell which 8x16 text cells carry ink.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { desEncryptBlock, vncKey } from '../../src/protocols/rfb/des.js';

export interface ToolRun { readonly code: number; readonly output: string; readonly stdout: Buffer }

/** Runs a Debian peer (20 s timeout); a missing program names its package. */
export function runTool(program: string, args: readonly string[], pkg: string): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    execFile(program, [...args], { timeout: 20_000, encoding: 'buffer', maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new Error(`${program} is not installed: install the Debian package ${pkg} (scripts/install-test-deps.sh)`));
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, output: `${stdout.toString('latin1')}${stderr.toString('latin1')}`, stdout });
    });
  });
}

/** A VNC password file at `path` as vncpasswd writes it: the password DES-encrypted under VNC's fixed key. */
export function vncPasswordFile(path: string, password: string): string {
  const block = Buffer.alloc(8);
  block.write(password, 'latin1');
  writeFileSync(path, desEncryptBlock(vncKey(String.fromCharCode(23, 82, 107, 6, 35, 78, 88, 7)), block));
  return path;
}

export interface RgbImage { readonly width: number; readonly height: number; readonly rgb: Buffer }

/** vncsnapshot's JPEG as RGB pixels (djpeg -pnm). */
export async function decodeJpeg(path: string): Promise<RgbImage> {
  const { code, stdout, output } = await runTool('djpeg', ['-pnm', path], 'libjpeg-turbo-progs');
  assert.equal(code, 0, output);
  const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(stdout.subarray(0, 40).toString('latin1')) ?? assert.fail('djpeg did not write a P6 image');
  return { width: Number(header[1]), height: Number(header[2]), rgb: stdout.subarray(header[0].length) };
}

/** Cells of text row `row` with bright ink (any channel > 128 in at least 4 of its 8x16 pixels). */
export function inkedCells(image: Pick<RgbImage, 'width' | 'rgb'>, row: number, columns: number): boolean[] {
  return Array.from({ length: columns }, (_, column) => {
    let bright = 0;
    for (let y = row * 16; y < row * 16 + 16; y++) {
      for (let x = column * 8; x < column * 8 + 8; x++) {
        const i = (y * image.width + x) * 3;
        if (Math.max(image.rgb[i] ?? 0, image.rgb[i + 1] ?? 0, image.rgb[i + 2] ?? 0) > 128) bright++;
      }
    }
    return bright >= 4;
  });
}
