/**
 * `bootEngine`: the composition root. Reads the ME region through the flash controller as the ME
 * master, runs the ROM, then (unless the engine stays down) creates the devices, mounts NVRAM on
 * MFS, loads and starts the verified manifest's apps in order, and arms the idle timer. The boot
 * log continues from the ROM's entries into the kernel's. Given a `network` address, the apps'
 * granted listeners are bound on it after the apps start (design 0009); without one, no sockets.
 */
import { FlashController, type FlashBacking } from '../flash/index.js';
import type { Fuses } from '../platform/fuses.js';
import type { AppManifest } from '../me/app-manifest.js';
import { versionText } from '../me/manifest.js';
import { bootLocatedRegion, type RomBootResult } from '../rom/index.js';
import { JsonFileCounter, MemoryCounter, type MonotonicCounter } from '../kernel/nvram/index.js';
import { Kernel, KernelBootLog, PlatformFacts, PlatformNetwork, PowerGate, Trace, sharedAppHostPool, sharedScheduler, type AppHostPool, type AppRegistry, type AppSlot, type EngineBootLogEntry, type HostPorts, type NetworkOptions, type PlatformInfo, type Scheduler } from '../kernel/index.js';
import { DEFAULT_APP_REGISTRY } from '../apps/registry.js';
import { createDevices } from './devices.js';
import { Engine, type EngineState } from './engine.js';
import { mountNvram } from './nvram-mount.js';
import { platformIdentity } from './platform-identity.js';
import { createKernelServices, defaultHostPorts } from './services.js';

export interface EngineOptions {
  /** The NVRAM anti-replay counter; default `<imagePath>.counters.json` if `imagePath` is given, else in memory. */
  readonly counter?: MonotonicCounter;
  readonly imagePath?: string;
  /** App code by name (default: this build's apps). */
  readonly registry?: AppRegistry;
  /** App-host workers (default: the process-wide pool). */
  readonly pool?: AppHostPool;
  readonly scheduler?: Scheduler;
  /** Deadline of every request to an app (default 5000 ms). */
  readonly requestDeadlineMs?: number;
  /** Deadline of an app's start, which includes a cold worker's boot (default max(requestDeadlineMs, 10 s)). */
  readonly startDeadlineMs?: number;
  /** Supervisor back-off: first delay and cap (default 100 ms, 10 s). */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
  /** Idle time before the engine sleeps (default 30 s; Infinity never sleeps). */
  readonly idleMs?: number;
  readonly traceCapacity?: number;
  /** Spreads platforms over worker shards (default: a process-wide sequence). */
  readonly platformNumber?: number;
  readonly ports?: HostPorts;
  /**
   * The platform's own loopback address (e.g. 127.0.0.2): the apps' granted listeners bind there.
   * Absent: no sockets at all. Optional `limits` override the per-listener limits (design 0009).
   */
  readonly network?: NetworkOptions;
}

export interface BootEngineInput {
  readonly flash: FlashBacking;
  readonly fuses: Fuses;
  readonly options?: EngineOptions;
}

let platformSequence = 0;

/**
 * Boots one platform's engine; resolves when every app has started (or failed to). Never throws on
 * a bad image or failing app. @throws VmeError VME_ERR_USAGE for a non-loopback network address
 */
export async function bootEngine(input: BootEngineInput): Promise<Engine> {
  const options = input.options ?? {};
  const trace = new Trace(options.traceCapacity ?? 64);
  const network = options.network ? new PlatformNetwork(options.network, trace) : undefined;
  const pool = options.pool ?? sharedAppHostPool();
  const registry = options.registry ?? DEFAULT_APP_REGISTRY;
  const platformNumber = options.platformNumber ?? platformSequence++;
  // Start this build's app hosts now: the ROM below is synchronous CPU work, so workers boot on another
  // core meanwhile. (A caller-supplied registry may hold apps the manifest never loads: not warmed.)
  if (!options.registry) for (const entry of Object.values(registry)) pool.hostFor(entry.moduleUrl, platformNumber).warm();
  const rom = runRom(input.flash, input.fuses);
  const bootLog: EngineBootLogEntry[] = [...rom.result.log];
  if (rom.result.state === 'down' || !rom.result.firmware || !rom.controller || !rom.meRegion) {
    return new Engine('down', { rom: rom.result, bootLog, trace, release: () => pool.releaseIdle() });
  }
  const firmware = rom.result.firmware;
  const log = new KernelBootLog(bootLog, firmware.partition);
  const { devices, ok: devicesOk } = createDevices(input.fuses, firmware.kernel.sramBudgetBytes, log);
  const counter = options.counter ?? (options.imagePath ? new JsonFileCounter(`${options.imagePath}.counters.json`) : new MemoryCounter());
  const nvram = mountNvram(rom.controller, rom.meRegion, input.fuses, counter, trace, log);
  const nvramOk = !(nvram instanceof Error);
  const apps = firmware.apps.map((a) => a.name);
  const platform: PlatformInfo = {
    platformId: firmware.platformId, firmwareVersion: versionText(firmware.version),
    svn: firmware.svn, partition: firmware.partition, engineState: !nvramOk ? 'degraded' : rom.result.state, apps,
    ...(await platformIdentity(devices.crypto, rom.controller, apps)),
    ...(network ? { networkAddress: network.address } : {}),
  };
  const facts = new PlatformFacts(trace);
  const scheduler = options.scheduler ?? sharedScheduler();
  const kernel = new Kernel({
    pool, scheduler, trace, platformNumber,
    policy: { ...firmware.kernel.supervisor, baseDelayMs: options.backoffBaseMs ?? 100, maxDelayMs: options.backoffMaxMs ?? 10_000 },
    requestDeadlineMs: options.requestDeadlineMs ?? 5000, ...(options.startDeadlineMs ? { startDeadlineMs: options.startDeadlineMs } : {}), registry,
    platformInfo: () => platform,
    servicesFor: createKernelServices(devices, nvram, options.ports ?? defaultHostPorts(trace), facts),
    ...(network ? { network } : {}),
  });
  const appsOk = await startApps(kernel, firmware.apps, log);
  if (network) await openListeners(network, log);
  const state: EngineState = !nvramOk || !appsOk || !devicesOk ? 'degraded' : rom.result.state;
  const ready = kernel.apps.filter((a) => a.state === 'running').length;
  log.add('ready', state !== 'degraded', `${ready} of ${firmware.apps.length} apps ready; engine ${state}`);
  const power = new PowerGate(options.idleMs ?? 30_000, scheduler, trace);
  if (network) network.activity = () => power.activity('network');
  return new Engine(state, { rom: rom.result, bootLog, trace, kernel, devices, nvram, power, facts, platform, ...(network ? { network } : {}), release: () => pool.releaseIdle() });
}

/**
 * Binds the granted listeners; one that cannot bind (port taken, privileged port) is a FAIL line
 * in the boot log but does not degrade the engine: the app runs, that port is simply unreachable.
 */
async function openListeners(network: PlatformNetwork, log: KernelBootLog): Promise<void> {
  for (const s of await network.open()) {
    const where = `${s.app} ${s.protocol} ${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}${s.tls ? ' (TLS by the app)' : ''}`;
    log.add('network', s.listening, s.listening ? `${where} listening` : `${where} not listening: ${s.error ?? 'unknown error'}`, { app: s.app });
  }
}

/** Loads every app (minting capabilities, warming workers in parallel), then starts them in manifest order. */
async function startApps(kernel: Kernel, apps: readonly AppManifest[], log: KernelBootLog): Promise<boolean> {
  let ok = true;
  const slots: AppSlot[] = [];
  for (const manifest of apps) {
    try {
      const slot = kernel.load(manifest);
      slots.push(slot);
      log.add('app-load', true, `${manifest.name} ${manifest.version}: ${slot.capabilities.ids.join(', ') || 'no capabilities'}`, { app: manifest.name });
    } catch (error) {
      ok = false;
      log.add('app-load', false, (error as Error).message, { app: manifest.name });
    }
  }
  for (const slot of slots) {
    const started = performance.now();
    await slot.start();
    const status = slot.status();
    const running = status.state === 'running';
    ok &&= running;
    log.add('app-start', running, running ? `${slot.name} started in ${(performance.now() - started).toFixed(1)} ms` : `${slot.name} did not start: ${status.lastFault?.message ?? status.state}`, { app: slot.name });
  }
  return ok;
}

interface RomStage {
  result: RomBootResult;
  controller?: FlashController;
  meRegion?: Uint8Array;
}

/** The chipset part: descriptor → ME region read as the ME master → ROM. */
function runRom(flash: FlashBacking, fuses: Fuses): RomStage {
  let controller: FlashController | undefined;
  const { region, ...result } = bootLocatedRegion(() => {
    controller = new FlashController(flash);
    const me = controller.region('me');
    return { base: me.base, bytes: controller.read('me', 'me', 0, me.size), how: 'read as the ME master' };
  }, fuses);
  return region && controller ? { result, controller, meRegion: region.bytes } : { result };
}
