/** Output helpers shared by all commands: JSON or human text, errors on stderr. */
import { relative } from 'node:path';
import type { VmeError } from '../common/errors.js';

export interface OutputOptions {
  json?: boolean;
}

/** Print `data` as pretty JSON when --json is set, otherwise the human text `render` returns. */
export function emit<T>(data: T, opts: OutputOptions, render: (data: T) => string): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(data, jsonReplacer, 2)}\n`);
  else process.stdout.write(`${render(data)}\n`);
}

/** JSON.stringify replacer: bigints as decimal strings, byte arrays as hex. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (value instanceof Set) return [...(value as Set<unknown>)];
  if (value instanceof Map) return Object.fromEntries(value as Map<unknown, unknown>);
  return value;
}

export function reportError(err: VmeError, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(err.toJSON(), jsonReplacer, 2)}\n`);
  process.stderr.write(`vme: error ${err.code}: ${err.message}\n`);
}

/** Parse a size like `8M`, `16M`, `4K`, `0x800000` or `8388608`. */
export function parseSize(text: string): number {
  const m = /^(0x[0-9a-f]+|\d+)([KMG]i?B?)?$/i.exec(text.trim());
  if (!m || m[1] === undefined) throw new RangeError(`not a size: ${text}`);
  const n = Number(m[1]);
  const unit = (m[2] ?? '').toUpperCase()[0];
  const mult = unit === 'K' ? 1024 : unit === 'M' ? 1024 ** 2 : unit === 'G' ? 1024 ** 3 : 1;
  return n * mult;
}

/** How the user can invoke this same `vme` again from their current directory (e.g. `./bin/vme.js`). */
export function selfCommand(): string {
  const script = process.argv[1];
  if (!script || /(^|\/)vme$/.test(script)) return 'vme';
  const rel = relative(process.cwd(), script);
  return rel.startsWith('.') || rel.startsWith('/') ? rel : `./${rel}`;
}
