/**
 * Runs the Debian programs the tests use as independent validators (ifdtool, fmaptool, flashrom,
 * UEFIExtract). A missing program is an error naming its Debian package — tests never skip.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Program -> Debian package (keep in step with scripts/install-test-deps.sh and docs/testing.md). */
export const TOOL_PACKAGES = {
  ifdtool: 'coreboot-utils',
  fmaptool: 'coreboot-utils',
  flashrom: 'flashrom',
  UEFIExtract: 'uefitool-cli',
} as const;
export type ToolName = keyof typeof TOOL_PACKAGES;

export interface ToolResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const EXTRA_DIRS = ['/usr/sbin', '/sbin', '/usr/local/sbin'];

/** Absolute path of a tool, searching PATH and the sbin directories. @throws Error naming the Debian package */
export function findTool(name: ToolName): string {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...EXTRA_DIRS];
  for (const dir of dirs) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory; keep looking
    }
  }
  throw new Error(`${name} is not installed: install the Debian package ${TOOL_PACKAGES[name]} (apt-get install ${TOOL_PACKAGES[name]}, or run scripts/install-test-deps.sh)`);
}

/** Run a tool with a timeout; never throws for a non-zero exit (callers assert on `code`). */
export function runTool(name: ToolName, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): ToolResult {
  const result = spawnSync(findTool(name), args, {
    cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw new Error(`${name} ${args.join(' ')} failed to run: ${result.error.message}`);
  return { code: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Run `body` with a fresh temporary directory that is removed afterwards, whatever happens. */
export function withTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'vme-tools-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One-line summary of a result, for assertion messages. */
export function describeResult(name: string, result: ToolResult): string {
  return `${name} exited ${result.code ?? result.signal}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`;
}
