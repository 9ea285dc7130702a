/**
 * The network device of one platform (design 0009): every app's granted listeners, bound to the
 * platform's own loopback address (e.g. 127.0.0.2, so a host-side LMS can own 127.0.0.1 and many
 * platforms share one process). Built only when the engine is given an address; without one no
 * socket is ever opened. Listeners open at boot, survive app restarts and close at shutdown.
 */
import { isIP } from 'node:net';
import { VmeError } from '../../common/errors.js';
import type { NetworkListenerGrant } from '../../me/app-manifest.js';
import type { AppSlot } from '../app-slot.js';
import type { NetFromWorker } from '../protocol.js';
import type { Trace } from '../trace.js';
import { AppNetwork, DEFAULT_NETWORK_LIMITS, type NetworkLimits } from './app-network.js';
import type { NetworkListenerStatus } from './listeners.js';

/** The engine's `network` option. */
export interface NetworkOptions {
  /** A loopback literal: 127.0.0.0/8 or ::1. */
  readonly address: string;
  readonly limits?: Partial<NetworkLimits>;
}

/** @throws VmeError VME_ERR_USAGE unless `address` is a 127.0.0.0/8 or ::1 literal. */
export function checkNetworkAddress(address: string): string {
  const loopback = (isIP(address) === 4 && address.startsWith('127.')) || address === '::1';
  if (!loopback) throw new VmeError('VME_ERR_USAGE', `a platform's network address must be a loopback literal (127.0.0.0/8 or ::1), got ${JSON.stringify(address)}`, { address });
  return address;
}

export class PlatformNetwork {
  readonly address: string;
  readonly limits: NetworkLimits;
  readonly #apps = new Map<string, AppNetwork>();
  /** Called on every network event (the engine wakes from power gating). */
  activity: () => void = () => undefined;

  /** @throws VmeError VME_ERR_USAGE for a non-loopback address */
  constructor(options: NetworkOptions, readonly trace: Trace) {
    this.address = checkNetworkAddress(options.address);
    this.limits = { ...DEFAULT_NETWORK_LIMITS, ...options.limits };
  }

  /** Creates the app's listeners (not yet bound); undefined when it is granted none. */
  register(slot: AppSlot, grants: readonly NetworkListenerGrant[]): AppNetwork | undefined {
    if (grants.length === 0) return undefined;
    const network = new AppNetwork(slot, grants, { address: this.address, limits: this.limits, trace: this.trace, activity: () => this.activity() });
    this.#apps.set(slot.name, network);
    return network;
  }

  /** Binds every listener; failures are reported (status, `net-listen` event), never thrown. */
  async open(): Promise<NetworkListenerStatus[]> {
    const listeners = [...this.#apps.values()].flatMap((app) => app.listeners);
    await Promise.all(listeners.map((l) => l.listen()));
    const statuses = listeners.map((l) => l.status());
    for (const s of statuses) {
      this.trace.record('net', { kind: 'net-listen', app: s.app, protocol: s.protocol, address: s.address, port: s.port, ok: s.listening, ...(s.error !== undefined ? { error: s.error } : {}) });
    }
    return statuses;
  }

  listeners(): NetworkListenerStatus[] {
    return [...this.#apps.values()].flatMap((app) => app.status());
  }

  /** What an app instance did with one of its connections. */
  onNet(slot: AppSlot, message: NetFromWorker): void {
    this.#apps.get(slot.name)?.fromApp(message);
  }

  /** The app's instance ended: its connections are destroyed. */
  instanceEnded(slot: AppSlot): void {
    this.#apps.get(slot.name)?.instanceEnded();
  }

  /** Closes every listener and connection; resolves when the ports are free. */
  async close(): Promise<void> {
    await Promise.all([...this.#apps.values()].map((app) => app.close()));
  }
}
