/**
 * `vme up`: the main job. On first run it "manufactures" a platform in a state folder (development
 * keys, a signed 8 MiB image, its fuses); on later runs it resumes the same platform. It then boots
 * the platform through the ROM and prints what runs and how to reach it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { initKeys, loadKeys, readFuses, writeFusesAtomic, fusesPathFor } from '../../platform/index.js';
import { loadManifestDefinition } from '../../me/index.js';
import { buildPlatform, bootImage, readImageFile, writeFileAtomic } from '../../image/index.js';
import { formatBootLog } from '../../rom/index.js';
import { EXIT } from '../../common/errors.js';
import { emit, selfCommand } from '../output.js';

interface UpOptions {
  state: string;
  json?: boolean;
  quiet?: boolean;
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

function up(opts: UpOptions): void {
  const paths = statePaths(opts.state);
  const say = (line: string): void => { if (!opts.quiet && !opts.json) process.stderr.write(`vme up: ${line}\n`); };
  const created = ensurePlatform(paths, say);
  if (created.length === 0) say(`resuming the platform in ${paths.dir}`);
  const boot = bootImage(readImageFile(paths.image), readFuses(paths.fuses));
  const result = {
    state: paths.dir, created, image: paths.image, fuses: paths.fuses, keys: paths.keys,
    engine: boot.state, partition: boot.partition, firmware: boot.firmware ?? null, log: boot.log,
  };
  const vme = selfCommand();
  emit(result, opts, (r) => [
    formatBootLog(r.log),
    '',
    `engine: ${r.engine}${r.partition ? ` (${r.partition}, apps: ${r.firmware?.apps.map((a) => a.name).join(', ') ?? ''})` : ''}`,
    `platform image: ${r.image}`,
    `fuses:          ${r.fuses}   (chipset-only; the host never reads them)`,
    `keys:           ${r.keys}   (DEVELOPMENT keys, not Intel's)`,
    '',
    'reach it with:',
    `  ${vme} image inspect ${r.image}`,
    `  ${vme} flash read ${r.image} --region me --as host      # refused: the descriptor locks the ME region`,
    `  ${vme} image verify ${r.image} --json`,
  ].join('\n'));
  process.exitCode = boot.state === 'operational' ? EXIT.ok : boot.state === 'recovery' ? EXIT.degraded : EXIT.failure;
}

export function registerUp(program: Command): void {
  program.command('up')
    .description('create (first run) or resume a platform in a state folder and boot it')
    .option('--state <dir>', 'state folder holding keys, image and fuses', './state')
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress lines on stderr')
    .addHelpText('after', '\nExit status: 0 the operational firmware boots, 6 only the recovery firmware boots, 1 the engine stays down.')
    .action((opts: UpOptions) => up(opts));
}
