/**
 * `vme up`: the main job. On first run it "manufactures" a platform in a state folder (development
 * keys, a signed 8 MiB image, its fuses); on later runs it resumes the same platform. It then boots
 * the engine (ROM → kernel → apps), prints what runs and how to reach it, and serves until Ctrl-C.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { initKeys, loadKeys, readFuses, writeFusesAtomic, fusesPathFor } from '../../platform/index.js';
import { loadManifestDefinition } from '../../me/index.js';
import { buildPlatform, writeFileAtomic } from '../../image/index.js';
import { FileBacking } from '../../flash/index.js';
import { bootEngine } from '../../engine/index.js';
import { EXIT } from '../../common/errors.js';
import { emit, selfCommand } from '../output.js';

interface UpOptions {
  state: string;
  json?: boolean;
  quiet?: boolean;
  once?: boolean;
}

export interface StatePaths {
  dir: string;
  keys: string;
  image: string;
  fuses: string;
}

export const statePaths = (dir: string): StatePaths => {
  const abs = resolve(dir);
  const image = join(abs, 'platform.bin');
  return { dir: abs, keys: join(abs, 'keys'), image, fuses: fusesPathFor(image) };
};

/** Create keys, image and fuses in the state folder unless they exist; returns what was created. */
export function ensurePlatform(paths: StatePaths, log: (line: string) => void): string[] {
  const created: string[] = [];
  mkdirSync(paths.dir, { recursive: true });
  if (!existsSync(paths.keys)) {
    log(`creating development keys in ${paths.keys}`);
    initKeys(paths.keys);
    created.push('keys');
  }
  if (!existsSync(paths.image) || !existsSync(paths.fuses)) {
    log(`building a signed 8 MiB platform image ${paths.image}`);
    const built = buildPlatform({ sizeBytes: 8 * 1024 * 1024, keys: loadKeys(paths.keys), definition: loadManifestDefinition(), version: { major: 16, minor: 1, hotfix: 27, build: 2225 } });
    writeFileAtomic(paths.image, built.image);
    writeFusesAtomic(paths.fuses, built.fuses);
    created.push('image', 'fuses');
  }
  return created;
}

async function up(opts: UpOptions): Promise<void> {
  const paths = statePaths(opts.state);
  const say = (line: string): void => { if (!opts.quiet && !opts.json) process.stderr.write(`vme up: ${line}\n`); };
  const created = ensurePlatform(paths, say);
  if (created.length === 0) say(`resuming the platform in ${paths.dir}`);
  const flash = FileBacking.open(paths.image);
  const started = performance.now();
  const engine = await bootEngine({ flash, fuses: readFuses(paths.fuses), options: { imagePath: paths.image } });
  const bootMs = performance.now() - started;
  const status = engine.status();
  const result = {
    state: paths.dir, created, image: paths.image, fuses: paths.fuses, keys: paths.keys, bootMs: Math.round(bootMs),
    engine: status.state, power: status.power, apps: status.apps, counters: status.counters, log: engine.bootLog,
  };
  const vme = selfCommand();
  emit(result, opts, (r) => [
    engine.formatBootLog(),
    '',
    `engine: ${r.engine} in ${r.bootMs} ms (power ${r.power}); apps: ${r.apps.map((a) => `${a.name} ${a.state}`).join(', ') || 'none'}`,
    `platform image: ${r.image}`,
    `fuses:          ${r.fuses}   (chipset-only; the host never reads them)`,
    `keys:           ${r.keys}   (DEVELOPMENT keys, not Intel's)`,
    '',
    'reach it with:',
    `  ${vme} image inspect ${r.image}`,
    `  ${vme} flash read ${r.image} --region me --as host      # refused: the descriptor locks the ME region`,
    `  ${vme} image verify ${r.image} --json`,
  ].join('\n'));
  process.exitCode = engine.state === 'operational' ? EXIT.ok : engine.state === 'down' ? EXIT.failure : EXIT.degraded;
  if (!opts.once && engine.state !== 'down') {
    say('running; press Ctrl-C to shut down');
    await waitForStopSignal();
    say('shutting down');
  }
  await engine.shutdown();
  flash.close();
}

/** Resolves on the first SIGINT or SIGTERM. */
function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerUp(program: Command): void {
  program.command('up')
    .description('create (first run) or resume a platform in a state folder, boot its engine and keep it running until Ctrl-C')
    .option('--state <dir>', 'state folder holding keys, image and fuses', './state')
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress lines on stderr')
    .option('--once', 'boot, print and shut down (for scripts) instead of running until Ctrl-C')
    .addHelpText('after', '\nExit status: 0 the operational firmware ran, 6 degraded (recovery firmware, NVRAM or an app failed), 1 the engine stayed down.')
    .action((opts: UpOptions) => up(opts));
}
