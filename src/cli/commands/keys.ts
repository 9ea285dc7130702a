/** `vme keys init`: create clearly labelled development keys (never Intel's) in a directory. */
import type { Command } from 'commander';
import { initKeys, DEFAULT_KEYS_DIR, type KeysInitResult } from '../../platform/keys.js';
import { emit } from '../output.js';

interface InitOptions {
  dir: string;
  force?: boolean;
  json?: boolean;
}

function render(result: KeysInitResult): string {
  return [
    `Created vme DEVELOPMENT keys in ${result.dir} (not Intel's, not any vendor's):`,
    ...result.files.map((f) => `  ${f}`),
    `firmware key hash (fuse firmwareKeyHash): ${result.firmwareKeyHash}`,
    `OEM key hash (fuse oemKeyHash):           ${result.oemKeyHash}`,
  ].join('\n');
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('development signing keys');
  keys.command('init')
    .description('create development RSA-2048 keys: firmware signing (silicon vendor role) and OEM')
    .option('--dir <dir>', 'directory for the key files', DEFAULT_KEYS_DIR)
    .option('--force', 'replace existing key files')
    .option('--json', 'print the result as JSON')
    .action((opts: InitOptions) => {
      emit(initKeys(opts.dir, { force: opts.force }), opts, render);
    });
}
