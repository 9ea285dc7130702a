/**
 * One whole virtual PC (ARCHITECTURE §1): the engine booted from a flash image, its HECI bus with
 * the clients the verified manifest grants, a `/dev/mei0`-like Unix socket for host programs in
 * other processes, and the host (power, BIOS POST, serial, framebuffer, simulated OS) wired to the
 * engine: DRAM-init-done reserves UMA in shared host DRAM, End-of-POST goes over HECI, and the
 * engine's host-control capability drives the host's power.
 */
import { bootEngine, type Engine, type EngineOptions } from '../engine/index.js';
import type { FlashBacking } from '../flash/index.js';
import { HeciPlatform, MeiDeviceServer, registerGrantedClients, type HeciBus } from '../heci/index.js';
import { SimulatedHost, serveHostControl, type EngineHostPort, type Host, type HostClock, type HostControlLine, type MebxHandler, type SimulatedHostOptions, type TextFramebuffer } from '../host/index.js';
import type { HostDram } from '../devices/host-dram.js';
import type { HostPorts, HostScreenSnapshot, NetworkOptions } from '../kernel/index.js';
import type { HostMediaRequest } from '../kernel/services.js';
import type { Fuses } from '../platform/fuses.js';
import { biosEnginePort, heciMebxTransport } from './bios-engine-port.js';
import { hostScreenSnapshot } from './host-screen.js';
import { mebxHandler } from '../host/mebx/index.js';
import { HostSerialRelay } from './host-serial-relay.js';
import { ScreenOverlay } from './screen-overlay.js';

export interface MachineOptions {
  readonly flash: FlashBacking;
  readonly fuses: Fuses;
  /** Where host programs open the engine's HECI device (e.g. `<state>/mei0.sock`); none if omitted. */
  readonly meiSocketPath?: string;
  readonly clock: HostClock;
  readonly engine?: Omit<EngineOptions, 'ports'>;
  /** The platform's own loopback address for the engine's granted listeners (e.g. 127.0.0.2); none if omitted. */
  readonly network?: NetworkOptions;
  readonly host?: Omit<SimulatedHostOptions, 'clock' | 'engine' | 'dram'>;
  /** Builds another kind of host (e.g. a QEMU VM) from the engine wiring; default: the simulated host with `host` options. */
  readonly createHost?: (wiring: MachineHostWiring) => MachineHost;
  /** Machine events (UMA reserved, host power changes) for logs and tests. */
  readonly onEvent?: (kind: string, detail: string) => void;
}

/** A host the machine can run: the `Host` interface with a drawable text screen (overlays), pulling the plug, and an optional final close. */
export type MachineHost = Host & { readonly screen: TextFramebuffer; removeAc(): void; close?(): Promise<void> };

/** What the machine hands a host factory: the BIOS's engine port, the engine's host DRAM (UMA) and the MEBX handler. */
export interface MachineHostWiring {
  readonly engine: EngineHostPort;
  readonly dram?: HostDram;
  readonly onMebx?: MebxHandler;
}

/** Routes the kernel's host-control capability to the host once it exists. */
class HostControlRelay implements HostPorts {
  host: MachineHost | undefined;
  bus: HeciBus | undefined;
  engine: Engine | undefined;
  /** `host:serial` subscribers: the host UART's output goes to the engine app that opened it. */
  readonly serial = new HostSerialRelay((app, bytes) => this.engine?.handleHostSerial(app, bytes) ?? Promise.resolve());
  #overlay: ScreenOverlay | undefined;

  constructor(private readonly notify: (kind: string, detail: string) => void) {}

  hostControl(app: string, control: HostControlLine, request: string): boolean {
    this.notify('host-control', `${app}: ${control} ${request}`);
    if (!this.host) return false;
    if (control === 'serial') return request === 'open' ? this.serial.open(app, this.host.serial) : this.serial.close(app);
    return serveHostControl(this.host, control, request);
  }

  /** SOL keystrokes: into the host UART's receive FIFO. */
  hostSerialWrite(_app: string, bytes: Uint8Array): number {
    return this.host?.serial.inject(bytes) ?? 0;
  }

  /** A line over the host's screen (the user-consent code). */
  hostOverlay(app: string, text: string): boolean {
    if (!this.host) return false;
    this.notify('host-overlay', `${app}: ${JSON.stringify(text)}`);
    this.#overlay ??= new ScreenOverlay(this.host.screen);
    return this.#overlay.show(text);
  }

  stop(): void {
    this.serial.closeAll();
    this.#overlay?.stop();
  }

  /** IDE-R: media an app serves goes into (or leaves) the host's IDE-R drive; its blocks are read through the app. */
  hostMedia(app: string, media: HostMediaRequest): boolean {
    if (!this.host) return false;
    this.notify('host-media', `${app}: ${media.action} ${media.device}`);
    if (media.action === 'detach') {
      this.host.setMedia(media.device, undefined);
      return true;
    }
    const engine = (): Engine | undefined => this.engine;
    this.host.setMedia(media.device, {
      description: media.description,
      commandLine: '',
      blocks: {
        blockSize: media.blockSize,
        count: media.blocks,
        read: (lba, count) => engine()?.handleHostMediaRead(app, media.device, lba, count) ?? Promise.reject(new Error('no engine')),
      },
    });
    return true;
  }

  /** KVM: the host's text screen, unless unchanged since `since`. */
  hostScreen(_app: string, since: number): HostScreenSnapshot | undefined {
    return this.host ? hostScreenSnapshot(this.host.screen, since) : undefined;
  }

  /** KVM key events: typed on the host keyboard. */
  hostKeys(_app: string, keys: Uint8Array): number {
    return this.host?.keyboard.press(keys) ?? 0;
  }

  /** KVM pointer events: to the host's pointer, when it has one. */
  hostPointer(_app: string, event: { x: number; y: number; buttons: number }): boolean {
    return this.host?.pointer?.(event) ?? false;
  }

  /** An app's unsolicited message (e.g. APF over LME) goes to the host on the client's connection. */
  heciSend(app: string, client: string, bytes: Uint8Array): boolean {
    const sent = this.bus?.sendToClient(client, bytes) ?? 0;
    if (sent === 0) this.notify('heci-send-dropped', `${app} → ${client}: no open connection`);
    return sent > 0;
  }

  /** An app's HECI notification reaches the host driver as the bus's notification event. */
  heciNotify(app: string, client: string): void {
    this.notify('heci-notify', `${app} → ${client}`);
    this.bus?.notifyClient(client);
  }
}

export class Machine {
  private constructor(
    private readonly relay: HostControlRelay,
    readonly engine: Engine,
    readonly heci: HeciPlatform | undefined,
    readonly device: MeiDeviceServer | undefined,
    readonly host: MachineHost,
  ) {}

  /** Boots the engine, brings up HECI and the device socket, and creates the host (powered off). */
  static async create(options: MachineOptions): Promise<Machine> {
    const notify = options.onEvent ?? ((): void => undefined);
    const relay = new HostControlRelay(notify);
    const network = options.network ?? options.engine?.network;
    const engine = await bootEngine({ flash: options.flash, fuses: options.fuses, options: { ...options.engine, ...(network ? { network } : {}), ports: relay } });
    let heci: HeciPlatform | undefined;
    let device: MeiDeviceServer | undefined;
    const firmware = engine.parts.rom.firmware;
    if (engine.state !== 'down' && firmware) {
      heci = new HeciPlatform();
      const grants = firmware.apps.flatMap((app) => app.grants.heciClients);
      registerGrantedClients(heci.bus, grants, (uuid, bytes) => engine.handleHostMessage(uuid, bytes), (uuid, event) => engine.handleHostConnection(uuid, event));
      relay.bus = heci.bus;
      await heci.start();
      if (options.meiSocketPath) device = await MeiDeviceServer.listen(options.meiSocketPath, heci.driver);
    }
    const wiring: MachineHostWiring = {
      ...(heci ? { onMebx: mebxHandler(heciMebxTransport(heci.driver)) } : {}),
      engine: biosEnginePort(engine, heci?.driver, notify),
      ...(engine.parts.devices ? { dram: engine.parts.devices.dram } : {}),
    };
    const host = options.createHost ? options.createHost(wiring) : new SimulatedHost({ ...wiring, ...options.host, clock: options.clock });
    relay.host = host;
    relay.engine = engine;
    engine.parts.facts?.setHostPower(host.state().cimPowerState); // changes follow through the engine port
    return new Machine(relay, engine, heci, device, host);
  }

  /** Stops the host's activity, closes the device socket and shuts the engine down. */
  async shutdown(): Promise<void> {
    this.relay.stop();
    this.host.removeAc();
    await this.host.close?.();
    await this.device?.close();
    this.heci?.engineDown();
    await this.engine.shutdown();
  }
}
