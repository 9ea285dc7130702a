/**
 * `vme up`: the main job. On first run it "manufactures" a platform in a state folder (development
 * keys, a signed 8 MiB image, its fuses); on later runs it resumes the same platform. It then boots
 * the whole machine — engine (ROM → kernel → apps), HECI device socket, host (BIOS POST with
 * DRAM-init-done and End-of-POST, simulated OS) — prints what runs and how to reach it, and serves
 * until Ctrl-C. The engine's listeners (AMT's ports) bind on the platform's own loopback address
 * (`--address`, default 127.0.0.2), recorded in `<state>/network.json` for `vme status` while it runs.
 * On the host side it starts LMS (127.0.0.1:16992/16993) and activates AMT in client control mode
 * through it with a generated admin password kept in the state folder (up-local-management.ts).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { initKeys, loadKeys, readFuses, writeFusesAtomic, fusesPathFor } from '../../platform/index.js';
import { loadManifestDefinition } from '../../me/index.js';
import { buildPlatform, writeFileAtomic } from '../../image/index.js';
import { FileBacking } from '../../flash/index.js';
import { Machine } from '../../machine/index.js';
import { RealTimeClock } from '../../host/index.js';
import { checkNetworkAddress } from '../../kernel/index.js';
import { amtUrls, removeNetworkFile, writeNetworkFile } from '../../status/index.js';
import { EXIT } from '../../common/errors.js';
import { emit, selfCommand } from '../output.js';
import { startLocalManagement, type LocalManagement } from './up-local-management.js';
import { upHostFactory, type UpHostOptions } from './up-host.js';
import { parseVersion, DEFAULT_FIRMWARE_VERSION_TEXT } from '../parse.js';

/** The platform's own loopback address unless --address says otherwise (127.0.0.1 stays free for a host LMS). */
export const DEFAULT_PLATFORM_ADDRESS = '127.0.0.2';

interface UpOptions extends UpHostOptions {
  state: string;
  address: string;
  json?: boolean;
  quiet?: boolean;
  once?: boolean;
  mebx?: boolean;
  console?: boolean;
  /** commander: `--no-lms` sets false. */
  lms: boolean;
  lmsAddress: string;
  unprovisioned?: boolean;
}

export interface StatePaths {
  dir: string;
  keys: string;
  image: string;
  fuses: string;
  meiSocket: string;
}

export const statePaths = (dir: string): StatePaths => {
  const abs = resolve(dir);
  const image = join(abs, 'platform.bin');
  return { dir: abs, keys: join(abs, 'keys'), image, fuses: fusesPathFor(image), meiSocket: join(abs, 'mei0.sock') };
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
    const built = buildPlatform({ sizeBytes: 8 * 1024 * 1024, keys: loadKeys(paths.keys), definition: loadManifestDefinition(), version: parseVersion(DEFAULT_FIRMWARE_VERSION_TEXT) });
    writeFileAtomic(paths.image, built.image);
    writeFusesAtomic(paths.fuses, built.fuses);
    created.push('image', 'fuses');
  }
  return created;
}

async function up(opts: UpOptions): Promise<void> {
  // Listen for Ctrl-C before anything else: a signal during boot then shuts down gracefully after
  // it, and "press Ctrl-C" is only ever printed once the handler is in place.
  const stopSignal = waitForStopSignal();
  const address = checkNetworkAddress(opts.address);
  const paths = statePaths(opts.state);
  const say = (line: string): void => { if (!opts.quiet && !opts.json) process.stderr.write(`vme up: ${line}\n`); };
  const created = ensurePlatform(paths, say);
  if (created.length === 0) say(`resuming the platform in ${paths.dir}`);
  const flash = FileBacking.open(paths.image);
  const started = performance.now();
  const machine = await Machine.create({
    flash, fuses: readFuses(paths.fuses), clock: new RealTimeClock(), meiSocketPath: paths.meiSocket, network: { address },
    engine: { imagePath: paths.image }, host: { ...(opts.mebx ? { mebx: true } : {}) }, createHost: upHostFactory(opts, paths.dir, say),
    onEvent: (kind, detail) => { if (kind === 'uma-reserved') say(`BIOS: DRAM init done, ${detail}`); },
  });
  const bootMs = performance.now() - started;
  try {
    if (machine.engine.state !== 'down') writeNetworkFile(paths.dir, address, machine.engine.networkListeners());
    await serve(machine, paths, created, bootMs, opts, say, stopSignal);
  } finally {
    removeNetworkFile(paths.dir);
    await machine.shutdown();
    flash.close();
  }
}

/** Runs the booted machine: the console, or report and (unless --once) wait for Ctrl-C. */
async function serve(machine: Machine, paths: StatePaths, created: string[], bootMs: number, opts: UpOptions, say: (line: string) => void, stopSignal: Promise<void>): Promise<void> {
  if (opts.console) return runConsole(machine, say, stopSignal);
  let local: LocalManagement | undefined;
  if (machine.engine.state !== 'down') {
    say(`engine ${machine.engine.state} in ${Math.round(bootMs)} ms; powering on the host`);
    machine.host.powerOn();
    await waitForHost(machine, 30_000);
    if (machine.device) {
      local = await startLocalManagement({
        device: paths.meiSocket, stateDir: paths.dir, lmsAddress: opts.lms ? checkNetworkAddress(opts.lmsAddress) : undefined, activate: !opts.unprovisioned,
      }, say);
    }
  }
  try {
    report(machine, paths, created, bootMs, opts, local);
    process.exitCode = machine.engine.state === 'operational' ? EXIT.ok : machine.engine.state === 'down' ? EXIT.failure : EXIT.degraded;
    if (!opts.once && machine.engine.state !== 'down') {
      say('running; press Ctrl-C to shut down');
      await stopSignal;
      say('shutting down');
    }
  } finally {
    await local?.close();
  }
}

/** Waits until the host's OS runs (or it stops in POST / has no boot device), at most `timeoutMs`. */
async function waitForHost(machine: Machine, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { phase, os } = machine.host.state();
    if ((phase === 'os' && os === 'running') || phase === 'no-boot-device' || phase === 'off') return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The listeners as `vme up` prints them: one line each, failures with their reason. */
function networkLines(network: { address: string; amt: string[]; listeners: ReturnType<Machine['engine']['networkListeners']> }): string[] {
  if (network.listeners.length === 0) return [`network:        ${network.address}   (no app listens on it)`];
  return [
    `network:        ${network.address}   (this platform's own loopback address)`,
    ...network.listeners.map((l) => `  ${l.app} ${l.protocol} ${String(l.port).padEnd(5)} ${l.listening ? `listening${l.tls ? ' (TLS by the app)' : ''}` : `NOT listening: ${l.error ?? '?'}`}`),
    ...(network.amt.length ? [`AMT:            ${network.amt.join('  ')}`] : []),
  ];
}

/** The host-side management lines: LMS and the AMT activation with the admin credentials. */
function managementLines(local: LocalManagement | undefined, amtUrl: string | undefined): string[] {
  if (local === undefined) return [];
  const lms = local.lms?.map((a) => `http${a.amtPort === 16993 ? 's' : ''}://${a.address}:${a.port}`).join('  ');
  const lines = [`LMS:            ${lms ?? `not running${local.lmsError ? ` (${local.lmsError})` : ' (--no-lms)'}`}   (host-local AMT through HECI/LME)`];
  if (local.activation === 'skipped') lines.push(`AMT:            left in pre-provisioning (${local.skipped ?? 'not activated'}); activate through LMS, e.g. rpc-go activate -local`);
  if (local.activation === 'failed') lines.push(`AMT:            activation FAILED: ${local.activationError ?? '?'}`);
  if (local.admin) {
    lines.push(`AMT admin:      user admin, password ${local.admin.password}   (kept in ${local.admin.passwordFile}; client control mode)`);
    if (amtUrl) lines.push(`  try:          curl --digest -u admin:'${local.admin.password}' -H 'Content-Type: application/soap+xml' --data-binary @request.xml ${amtUrl}/wsman`);
  }
  return lines;
}

function report(machine: Machine, paths: StatePaths, created: string[], bootMs: number, opts: UpOptions, local: LocalManagement | undefined): void {
  const status = machine.engine.status();
  const host = machine.host.state();
  const listeners = machine.engine.networkListeners();
  const result = {
    state: paths.dir, created, image: paths.image, fuses: paths.fuses, keys: paths.keys, meiDevice: machine.device ? paths.meiSocket : null,
    network: { address: opts.address, amt: amtUrls(opts.address, listeners), listeners },
    lms: local?.lms ?? null,
    amt: local === undefined ? null : {
      activation: local.activation, ...(local.activationError ? { error: local.activationError } : {}), controlMode: local.controlMode ?? null,
      admin: local.admin ? { user: local.admin.user, password: local.admin.password, passwordFile: local.admin.passwordFile } : null,
    },
    bootMs: Math.round(bootMs), engine: status.state, enginePower: status.power, apps: status.apps, counters: status.counters,
    host: { power: host.powerState, phase: host.phase, os: host.os ?? null, bootDevice: host.bootDevice ?? null, endOfPost: host.endOfPostSent },
    log: machine.engine.bootLog,
  };
  const vme = selfCommand();
  const console = machine.host.serial.outputText().trimEnd().split('\n').slice(-4).map((l) => `  | ${l}`);
  emit(result, opts, (r) => [
    machine.engine.formatBootLog(),
    '',
    `engine: ${r.engine} in ${r.bootMs} ms (power ${r.enginePower}); apps: ${r.apps.map((a) => `${a.name} ${a.state}`).join(', ') || 'none'}`,
    `host:   ${r.host.power}, ${r.host.phase}${r.host.os ? ` (OS ${r.host.os} from ${r.host.bootDevice ?? '?'})` : ''}; End-of-POST ${r.host.endOfPost ? 'sent' : 'not sent'}`,
    `engine counters: ${Object.entries(r.counters).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    ...(console.length ? ['serial console:', ...console] : []),
    '',
    `HECI device:    ${r.meiDevice ?? '(none: the engine is down)'}   (like /dev/mei0, for host programs)`,
    ...networkLines(r.network),
    ...managementLines(local, r.network.amt[0]),
    `platform image: ${r.image}`,
    `fuses:          ${r.fuses}   (chipset-only; the host never reads them)`,
    `keys:           ${r.keys}   (DEVELOPMENT keys, not Intel's)`,
    '',
    'reach it with:',
    `  ${vme} status --state ${paths.dir}          # MEInfo/amtinfo over HECI`,
    `  ${vme} image inspect ${r.image}`,
    `  ${vme} flash read ${r.image} --region me --as host      # refused: the descriptor locks the ME region`,
  ].join('\n'));
}

/** Ctrl-] (0x1D), the telnet-style escape: leaves the console and shuts the machine down. */
const CONSOLE_ESCAPE = 0x1d;

/**
 * Attaches this terminal to the host's serial port (raw mode when it is a TTY): POST, MEBX (Ctrl-P
 * during POST, or --mebx) and the OS shell are typed into directly. Resolves on Ctrl-] or a signal.
 */
async function runConsole(machine: Machine, say: (line: string) => void, stopSignal: Promise<void>): Promise<void> {
  say('console attached to the host serial port; Ctrl-P during POST enters MEBX; Ctrl-] shuts down');
  const stdin = process.stdin;
  const raw = stdin.isTTY;
  if (raw) stdin.setRawMode(true);
  const detach = machine.host.serial.onOutput((bytes) => process.stdout.write(bytes));
  let leave: () => void = () => undefined;
  const left = new Promise<void>((resolve) => { leave = resolve; });
  const onInput = (chunk: Buffer): void => {
    const escape = chunk.indexOf(CONSOLE_ESCAPE);
    if (escape >= 0) {
      if (escape > 0) machine.host.serial.inject(chunk.subarray(0, escape));
      leave();
      return;
    }
    machine.host.serial.inject(chunk);
  };
  stdin.on('data', onInput);
  stdin.resume();
  if (machine.engine.state !== 'down') machine.host.powerOn();
  await Promise.race([left, stopSignal]);
  stdin.off('data', onInput);
  stdin.pause();
  if (raw) stdin.setRawMode(false);
  detach();
  process.stdout.write('\r\n');
  say('shutting down');
}

/**
 * Resolves on the first SIGINT or SIGTERM (graceful shutdown). The handler stays installed: a second
 * signal while shutting down exits at once with 130, instead of the default action killing vme mid-write.
 */
function waitForStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) {
        process.stderr.write('vme up: second signal, exiting now\n');
        process.exit(130);
      }
      stopping = true;
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
    .option('--address <ip>', "the platform's own loopback address for the engine's listeners (AMT 16992/16993, RMCP 623)", DEFAULT_PLATFORM_ADDRESS)
    .option('--json', 'print the result as JSON')
    .option('-q, --quiet', 'no progress lines on stderr')
    .option('--once', 'boot, print and shut down (for scripts) instead of running until Ctrl-C')
    .option('--mebx', 'enter the MEBX (BIOS extension) during the first POST')
    .option('--console', 'attach this terminal to the host serial port (POST, MEBX, OS shell); Ctrl-] shuts down')
    .option('--lms-address <ip>', 'loopback address where the in-process LMS listens for AMT 16992/16993 (as on a real PC)', '127.0.0.1')
    .option('--no-lms', 'do not start LMS (and so do not activate AMT)')
    .option('--unprovisioned', 'leave AMT in pre-provisioning (for activation flows) instead of activating client control mode')
    .option('--host <kind>', 'the host PC: simulated (default) or qemu (a QEMU VM booting --disk)', 'simulated')
    .option('--disk <image>', 'with --host qemu: the hard disk image (raw, or qcow2 by extension)')
    .option('--cdrom <iso>', 'with --host qemu: an ISO image in the CD/DVD drive')
    .option('--memory <MiB>', 'with --host qemu: guest RAM in MiB (default 256)')
    .addHelpText('after', '\nExit status: 0 the operational firmware ran, 6 degraded (recovery firmware, NVRAM or an app failed), 1 the engine stayed down.')
    .action((opts: UpOptions) => up(opts));
}
