/**
 * `vme up` to "OS booted" wall time, as a user sees it: a fresh state folder (keys, image, fuses
 * created) and a resumed one, each `vme up --once` run until the host's OS runs, against the same
 * process started with `vme --help` (Node start-up plus loading the CLI) as the baseline.
 *   node dist/bench/vme-up.js [--runs N]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, printTable } from './lib/measure.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;
const vme = fileURLToPath(new URL('../../bin/vme.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vme-bench-up-'));
let fresh = 0;

function run(args: string[]): void {
  const r = spawnSync(process.execPath, [vme, ...args], { encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`vme ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  if (args[0] === 'up' && !/"phase": "os"/.test(r.stdout)) throw new Error('the host OS did not boot');
}

try {
  const baseline = await measure('baseline: vme --help (process start + CLI load)', () => run(['--help']), runs, 1);
  const first = await measure('vme up, fresh state (keys + image + boot to OS)', () => run(['up', '--once', '--json', '--state', join(dir, `fresh-${fresh++}`)]), runs, 0);
  run(['up', '--once', '--json', '--state', join(dir, 'resume')]);
  const resume = await measure('vme up, resumed state (boot to OS)', () => run(['up', '--once', '--json', '--state', join(dir, 'resume')]), runs, 0);
  printTable([baseline, first, resume], baseline);
  console.log('\nThe simulated BIOS spends ~2.6 s of its POST on purpose (100 ms steps, a 2 s MEBX hotkey window), as a real POST would.');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
