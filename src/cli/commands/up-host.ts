/**
 * `vme up --host simulated|qemu`: which host PC the machine runs. The simulated host is the default;
 * `--host qemu --disk IMAGE [--cdrom ISO] [--memory MiB]` makes the host a QEMU VM (QemuHost), with
 * its QMP and COM1 sockets in `<state>/qemu`. Checks the options and that QEMU is installed before
 * the engine boots, so a mistake is a clear error (VME_ERR_USAGE, VME_ERR_IO, VME_ERR_QEMU_NOT_FOUND).
 */
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { VmeError } from '../../common/errors.js';
import type { MachineHost, MachineHostWiring } from '../../machine/index.js';
import { checkQemu, QemuHost } from '../../host/qemu/index.js';

export interface UpHostOptions {
  /** commander: `--host <kind>`, default 'simulated'. */
  host?: string;
  disk?: string;
  cdrom?: string;
  memory?: string;
  mebx?: boolean;
}

/** Longest run folder that keeps `<dir>/com1.sock` inside a Unix socket path (108 bytes). */
const MAX_RUN_DIR = 90;

/**
 * The host factory for Machine.create, or undefined for the simulated host.
 * @throws VmeError VME_ERR_USAGE (bad combination), VME_ERR_IO (image unreadable), VME_ERR_QEMU_NOT_FOUND
 */
export function upHostFactory(opts: UpHostOptions, stateDir: string, say: (line: string) => void): ((wiring: MachineHostWiring) => MachineHost) | undefined {
  const kind = opts.host ?? 'simulated';
  if (kind !== 'simulated' && kind !== 'qemu') throw new VmeError('VME_ERR_USAGE', `--host must be simulated or qemu, got ${JSON.stringify(kind)}`);
  if (kind === 'simulated') {
    const stray = (['disk', 'cdrom', 'memory'] as const).find((name) => opts[name] !== undefined);
    if (stray) throw new VmeError('VME_ERR_USAGE', `--${stray} needs --host qemu`);
    return undefined;
  }
  if (!opts.disk) throw new VmeError('VME_ERR_USAGE', '--host qemu needs --disk IMAGE (a raw or qcow2 disk image)');
  if (opts.mebx) throw new VmeError('VME_ERR_USAGE', '--mebx needs the simulated host (the QEMU guest runs SeaBIOS, which has no MEBX)');
  const disk = readable(opts.disk, 'disk image', constants.R_OK | constants.W_OK);
  const cdrom = opts.cdrom === undefined ? undefined : readable(opts.cdrom, 'CD image', constants.R_OK);
  const memoryMiB = opts.memory === undefined ? 256 : memory(opts.memory);
  say(`host: ${checkQemu()} (TCG), disk ${disk}${cdrom ? `, CD ${cdrom}` : ''}, ${memoryMiB} MiB`);
  const wanted = join(resolve(stateDir), 'qemu');
  const runDir = wanted.length <= MAX_RUN_DIR ? wanted : mkdtempSync(join(tmpdir(), 'vme-qemu-'));
  return (wiring) => new QemuHost({
    runDir, disk, memoryMiB, engine: wiring.engine, ...(wiring.dram ? { dram: wiring.dram } : {}), ...(cdrom ? { cdrom } : {}),
    diskFormat: disk.endsWith('.qcow2') ? 'qcow2' : 'raw',
  });
}

function readable(path: string, what: string, mode: number): string {
  const full = resolve(path);
  try {
    accessSync(full, mode);
  } catch (error) {
    throw new VmeError('VME_ERR_IO', `cannot use ${what} ${full}: ${(error as Error).message}`, { path: full });
  }
  return full;
}

function memory(text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < 16 || value > 65536) throw new VmeError('VME_ERR_USAGE', `--memory must be MiB from 16 to 65536, got ${JSON.stringify(text)}`);
  return value;
}
