/**
 * The `vme` command: builds the commander program from the command modules and maps errors to
 * the documented exit statuses (docs/cli.md).
 */
import { Command, CommanderError } from 'commander';
import { VmeError, EXIT } from '../common/errors.js';
import { COMMANDS } from './commands/index.js';
import { reportError } from './output.js';

export function buildProgram(): Command {
  const program = new Command('vme')
    .description('vme: a virtual security and management engine (Intel ME/AMT model, development keys only)')
    .version('0.1.0', '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: true })
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI with `argv` (as process.argv) and returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const json = argv.includes('--json');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end with a "commander.helpDisplayed"/"commander.version" pseudo-error.
      if (err.exitCode === 0) return EXIT.ok;
      return EXIT.usage;
    }
    if (err instanceof VmeError) {
      reportError(err, json);
      return err.exitStatus;
    }
    reportError(new VmeError('VME_ERR_INTERNAL', err instanceof Error ? (err.stack ?? err.message) : String(err)), json);
    return EXIT.internal;
  }
}
