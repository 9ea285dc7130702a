/** Runs the real `vme` executable (bin/vme.js → dist) in a child process, as a user would. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const VME_BIN = fileURLToPath(new URL('../../../bin/vme.js', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run `vme ...args` in `cwd`; never throws for a non-zero exit. */
export function vme(args: string[], cwd: string, timeoutMs = 60_000): CliResult {
  const r = spawnSync(process.execPath, [VME_BIN, ...args], { cwd, encoding: 'utf8', timeout: timeoutMs });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A temporary directory, removed by the returned cleanup function. */
export function tempDir(prefix = 'vme-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
