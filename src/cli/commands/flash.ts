/**
 * `vme flash read|write|erase FILE --region NAME --as MASTER`: plays flashrom on the host (or any
 * master) against an image file through the flash controller, so descriptor enforcement is visible.
 * Refusals print the reason and exit with the "denied" status (4).
 */
import type { Command } from 'commander';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { VmeError } from '../../common/errors.js';
import { FileBacking } from '../../flash/backing.js';
import { FlashController } from '../../flash/controller.js';
import { REGION_NAMES, MASTER_NAMES, isMaster, isRegionName, type Master, type RegionName } from '../../flash/regions.js';
import { emit, parseSize } from '../output.js';

interface FlashOptions {
  region: string;
  as: string;
  strapOverride?: boolean;
  offset?: string;
  length?: string;
  out?: string;
  in?: string;
  json?: boolean;
}

interface FlashResult {
  operation: 'read' | 'write' | 'erase';
  file: string;
  region: RegionName;
  master: Master;
  strapOverride: boolean;
  offset: number;
  length: number;
  flashAddress: number;
  sha256?: string;
  out?: string;
  data?: string;
}

/** Bytes shown by `read` without --out or --length. */
const DEFAULT_SHOWN = 256;

const usage = (message: string): VmeError => new VmeError('VME_ERR_USAGE', message);

function sizeOption(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseSize(text);
  } catch {
    throw usage(`--${name}: not a number or size: ${text}`);
  }
}

function target(opts: FlashOptions): { region: RegionName; master: Master } {
  if (!isRegionName(opts.region)) throw usage(`--region must be one of ${REGION_NAMES.join(', ')} (got ${opts.region})`);
  if (!isMaster(opts.as)) throw usage(`--as must be one of ${MASTER_NAMES.join(', ')} (got ${opts.as})`);
  return { region: opts.region, master: opts.as };
}

/** Open the image, run `body` with a controller, always close the file. */
function withController<T>(file: string, readOnly: boolean, strapOverride: boolean, body: (c: FlashController) => T): T {
  const backing = FileBacking.open(file, { readOnly });
  try {
    return body(new FlashController(backing, { strapOverride }));
  } finally {
    backing.close();
  }
}

function ioRead(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new VmeError('VME_ERR_IO', `cannot read ${path}: ${(err as Error).message}`, { path });
  }
}

function ioWrite(path: string, data: Uint8Array): void {
  try {
    writeFileSync(path, data);
  } catch (err) {
    throw new VmeError('VME_ERR_IO', `cannot write ${path}: ${(err as Error).message}`, { path });
  }
}

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

function hexdump(data: Uint8Array, start: number): string {
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += 16) {
    const row = [...data.subarray(i, i + 16)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    lines.push(`${(start + i).toString(16).padStart(8, '0')}: ${row}`);
  }
  return lines.join('\n');
}

function render(r: FlashResult): string {
  const verb = { read: 'read', write: 'wrote', erase: 'erased' }[r.operation];
  const head = `${verb} 0x${r.length.toString(16)} bytes of region ${r.region} at offset 0x${r.offset.toString(16)} (flash 0x${r.flashAddress.toString(16)}) as ${r.master}${r.strapOverride ? ' (descriptor override strap set)' : ''}`;
  const lines = [head];
  if (r.out) lines.push(`saved to ${r.out} (sha256 ${r.sha256 ?? ''})`);
  if (r.data !== undefined) lines.push(hexdump(Buffer.from(r.data, 'hex'), r.flashAddress));
  return lines.join('\n');
}

function runRead(file: string, opts: FlashOptions): FlashResult {
  const { region, master } = target(opts);
  const offset = sizeOption(opts.offset, 'offset') ?? 0;
  return withController(file, true, opts.strapOverride ?? false, (c) => {
    const rest = Math.max(0, c.region(region).size - offset);
    const length = sizeOption(opts.length, 'length') ?? (opts.out ? rest : Math.min(DEFAULT_SHOWN, rest));
    const data = c.read(master, region, offset, length);
    if (opts.out) ioWrite(opts.out, data);
    const base = { operation: 'read' as const, file, region, master, strapOverride: opts.strapOverride ?? false, offset, length, flashAddress: c.regionAddress(region, offset), sha256: sha256(data) };
    return opts.out ? { ...base, out: opts.out } : { ...base, data: Buffer.from(data).toString('hex') };
  });
}

function runWrite(file: string, opts: FlashOptions): FlashResult {
  const { region, master } = target(opts);
  if (!opts.in) throw usage('flash write needs --in FILE (the bytes to write)');
  const data = ioRead(opts.in);
  const offset = sizeOption(opts.offset, 'offset') ?? 0;
  const length = sizeOption(opts.length, 'length');
  if (length !== undefined && length !== data.length) throw usage(`--length ${length} does not match the ${data.length} bytes of ${opts.in}`);
  return withController(file, false, opts.strapOverride ?? false, (c) => {
    c.write(master, region, offset, data);
    c.backing.sync();
    return { operation: 'write', file, region, master, strapOverride: opts.strapOverride ?? false, offset, length: data.length, flashAddress: c.regionAddress(region, offset), sha256: sha256(data) };
  });
}

function runErase(file: string, opts: FlashOptions): FlashResult {
  const { region, master } = target(opts);
  const offset = sizeOption(opts.offset, 'offset') ?? 0;
  return withController(file, false, opts.strapOverride ?? false, (c) => {
    const length = sizeOption(opts.length, 'length') ?? Math.max(0, c.region(region).size - offset);
    c.erase(master, region, offset, length);
    c.backing.sync();
    return { operation: 'erase', file, region, master, strapOverride: opts.strapOverride ?? false, offset, length, flashAddress: c.regionAddress(region, offset) };
  });
}

function addCommon(cmd: Command, lengthHelp: string): Command {
  return cmd
    .requiredOption('--region <name>', `flash region: ${REGION_NAMES.join(', ')}`)
    .requiredOption('--as <master>', `requesting master: ${MASTER_NAMES.join(', ')}`)
    .option('--strap-override', 'the descriptor-override strap is set (host master bits not in effect)')
    .option('--offset <n>', 'offset inside the region (e.g. 0x1000, 4K)', '0')
    .option('--length <n>', lengthHelp)
    .option('--json', 'print the result as JSON');
}

export function registerFlash(program: Command): void {
  const flash = program.command('flash').description('access a flash image as a bus master, enforced by its descriptor (like flashrom on the host)');
  addCommon(flash.command('read <file>').description('read bytes of a region (refused unless the master may read it)'), `bytes to read (default: the rest of the region with --out, else ${DEFAULT_SHOWN})`)
    .option('--out <file>', 'write the bytes to this file instead of showing a hex dump')
    .action((file: string, opts: FlashOptions) => emit(runRead(file, opts), opts, render));
  addCommon(flash.command('write <file>').description('write the bytes of --in into a region (refused unless the master may write it)'), 'must equal the size of --in when given')
    .option('--in <file>', 'the bytes to write')
    .action((file: string, opts: FlashOptions) => emit(runWrite(file, opts), opts, render));
  addCommon(flash.command('erase <file>').description('erase 4 KiB sectors of a region to 0xFF (needs write access)'), 'bytes to erase, a multiple of 4 KiB (default: the rest of the region)')
    .action((file: string, opts: FlashOptions) => emit(runErase(file, opts), opts, render));
}
