/**
 * The process's app-host workers: one (or `workersPerKind` shards) per app module, shared by every
 * platform in the process. A platform's instance is placed on a shard by its platform number, a
 * worker starts on first use and is terminated when its last instance leaves, so the thread count
 * depends on the number of app kinds, never on the number of platforms.
 */
import type { ResourceLimits } from 'node:worker_threads';
import { AppHost } from './app-host.js';
import { sharedScheduler, type Scheduler } from './scheduler.js';

export interface AppHostPoolOptions {
  /** Workers per app module (default 1); instances are spread over them by platform number. */
  readonly workersPerKind?: number;
  /** V8 limits of each worker (its heap is the memory budget of that app kind's instances). */
  readonly resourceLimits?: ResourceLimits;
  /** Per-module overrides of `resourceLimits` (keyed by module URL). */
  readonly resourceLimitsByModule?: Readonly<Record<string, ResourceLimits>>;
  readonly pingTimeoutMs?: number;
  readonly scheduler?: Scheduler;
}

export class AppHostPool {
  readonly #hosts = new Map<string, AppHost>();
  readonly #shards: number;
  #nextInstance = 1;

  constructor(readonly options: AppHostPoolOptions = {}) {
    this.#shards = options.workersPerKind ?? 1;
    if (!Number.isSafeInteger(this.#shards) || this.#shards < 1) throw new RangeError('workersPerKind must be a positive integer');
  }

  /** A fresh instance number (unique in the process, never reused). */
  nextInstance(): number {
    return this.#nextInstance++;
  }

  /** The host for a module and platform number. */
  hostFor(moduleUrl: string, platformNumber: number): AppHost {
    const key = `${moduleUrl}#${platformNumber % this.#shards}`;
    let host = this.#hosts.get(key);
    if (!host) {
      const limits = this.options.resourceLimitsByModule?.[moduleUrl] ?? this.options.resourceLimits;
      host = new AppHost(moduleUrl, {
        pingTimeoutMs: this.options.pingTimeoutMs ?? 1000,
        scheduler: this.options.scheduler ?? sharedScheduler(),
        ...(limits ? { resourceLimits: limits } : {}),
      });
      this.#hosts.set(key, host);
    }
    return host;
  }

  /** Terminates hosts that no longer hold instances. */
  async releaseIdle(): Promise<void> {
    const idle = [...this.#hosts].filter(([, host]) => host.instanceCount === 0);
    for (const [key] of idle) this.#hosts.delete(key);
    await Promise.all(idle.map(([, host]) => host.terminate()));
  }

  /** Workers currently configured (started or startable). */
  get hostCount(): number {
    return this.#hosts.size;
  }

  /** Terminates every worker. */
  async close(): Promise<void> {
    const hosts = [...this.#hosts.values()];
    this.#hosts.clear();
    await Promise.all(hosts.map((host) => host.terminate()));
  }
}

let shared: AppHostPool | undefined;

/** The process-wide pool engines use unless given their own. */
export function sharedAppHostPool(): AppHostPool {
  shared ??= new AppHostPool();
  return shared;
}
