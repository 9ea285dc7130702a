/**
 * One app on one platform: its verified manifest, minted capabilities and current instance in an
 * app-host worker, with the supervisor's restart loop. A fault (thrown, hung, over memory) stops
 * the instance and schedules a fresh one after back-off; its in-memory state is gone, its NVRAM
 * namespace is not. Requests while it restarts are refused at once (never queued behind a fault).
 * The kernel itself faults an instance whose syscall failed with an `InstanceFaultError` (engine
 * memory lost to tampering): the app gets the error, then the instance is stopped and restarted.
 * Network events reach only the running incarnation (`postNet`); what an instance does with its
 * connections goes to the kernel's network (`onNet`), which checks ownership.
 */
import type { AppManifest } from '../me/app-manifest.js';
import type { AppHost, InstanceSink } from './app-host.js';
import type { AppHostPool } from './app-host-pool.js';
import type { CapabilitySet } from './capabilities.js';
import { InstanceFaultError, KernelError } from './errors.js';
import type { InterfaceSpec } from './interfaces.js';
import type { NetFromWorker, NetToWorker, PlatformInfo, RequestBody, WithoutInstance } from './protocol.js';
import type { PlatformFactsView } from './platform-facts.js';
import type { Scheduler } from './scheduler.js';
import { RestartBudget, type RestartPolicy } from './supervisor.js';
import type { FaultKind, Trace } from './trace.js';

export type AppState = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped';

/** Where an app's code lives and which interface it serves. */
export interface AppModuleEntry {
  readonly moduleUrl: string;
  readonly interface?: InterfaceSpec;
}

/** What a slot needs from its kernel. */
export interface SlotEnvironment {
  readonly pool: AppHostPool;
  readonly platformNumber: number;
  readonly trace: Trace;
  readonly scheduler: Scheduler;
  readonly policy: RestartPolicy;
  readonly requestDeadlineMs: number;
  /** Deadline of an app's start (includes a cold worker's boot); default max(requestDeadlineMs, 10 s). */
  readonly startDeadlineMs?: number;
  platformInfo(): PlatformInfo;
  /** The platform facts now (sent with `start`; changes are pushed with `pushFacts`). */
  platformFacts?(): PlatformFactsView | undefined;
  /** Serves a syscall of this slot's instance; resolves to the reply or rejects with a typed error. */
  syscall(slot: AppSlot, capability: string, operation: string, args: unknown): Promise<unknown>;
  /** The current instance ended (faulted, stopped): release what the kernel holds for it. */
  instanceEnded?(slot: AppSlot): void;
  /** A network message from the current instance (write, end, destroy, ack of one of its connections). */
  onNet?(slot: AppSlot, message: NetFromWorker): void;
}

export interface AppStatus {
  readonly name: string;
  readonly version: string;
  readonly state: AppState;
  readonly incarnation: number;
  readonly restarts: number;
  readonly faults: number;
  readonly lastFault?: { readonly fault: FaultKind; readonly message: string };
}

export class AppSlot {
  state: AppState = 'starting';
  #incarnation = 0;
  #instance: number | undefined;
  #faults = 0;
  #lastFault: { fault: FaultKind; message: string } | undefined;
  readonly #budget: RestartBudget;
  readonly #host: AppHost;
  #ready: Promise<void> = Promise.resolve();

  constructor(readonly manifest: AppManifest, readonly capabilities: CapabilitySet, readonly entry: AppModuleEntry, readonly env: SlotEnvironment) {
    this.#budget = new RestartBudget(env.policy);
    this.#host = env.pool.hostFor(entry.moduleUrl, env.platformNumber);
    this.#host.warm();
  }

  get name(): string {
    return this.manifest.name;
  }

  /** The current incarnation (1 for the first start; each restart adds one). */
  get incarnation(): number {
    return this.#incarnation;
  }

  /** Starts (or restarts) the instance; resolves once it runs or has faulted. */
  start(): Promise<void> {
    this.#ready = this.#startIncarnation();
    return this.#ready;
  }

  /** Resolves when the current start attempt has finished. */
  get ready(): Promise<void> {
    return this.#ready;
  }

  /** Sends a request to the running instance. @throws KernelError VME_ERR_APP_UNAVAILABLE unless running */
  request(body: RequestBody): Promise<unknown> {
    if (this.state !== 'running' || this.#instance === undefined) {
      return Promise.reject(new KernelError('VME_ERR_APP_UNAVAILABLE', `${this.name} is ${this.state}`, { app: this.name, state: this.state }));
    }
    return this.#host.request(this.#instance, body, this.env.requestDeadlineMs);
  }

  /** True while incarnation `incarnation` runs (network events are for it only). */
  isRunning(incarnation: number): boolean {
    return this.state === 'running' && incarnation === this.#incarnation && this.#instance !== undefined;
  }

  /** Posts a network event to incarnation `incarnation` if it still runs; false otherwise. */
  postNet(incarnation: number, message: WithoutInstance<NetToWorker>, transfer?: ArrayBuffer[]): boolean {
    const instance = this.#instance;
    if (!this.isRunning(incarnation) || instance === undefined) return false;
    return this.#host.postNet({ ...message, instance } as NetToWorker, transfer, this.env.requestDeadlineMs);
  }

  /** The platform facts changed: the current instance (starting or running) gets them before anything posted later. */
  pushFacts(facts: PlatformFactsView): void {
    if (this.#instance !== undefined) this.#host.postFacts(this.#instance, facts);
  }

  stop(): void {
    this.state = 'stopped';
    this.#detach();
  }

  status(): AppStatus {
    return {
      name: this.name, version: this.manifest.version, state: this.state, incarnation: this.#incarnation,
      restarts: this.#budget.restarts, faults: this.#faults, ...(this.#lastFault ? { lastFault: { ...this.#lastFault } } : {}),
    };
  }

  async #startIncarnation(): Promise<void> {
    const incarnation = ++this.#incarnation;
    const instance = this.env.pool.nextInstance();
    this.#instance = instance;
    this.state = 'starting';
    this.#host.attach(instance, this.#sink(incarnation));
    const started = performance.now();
    const facts = this.env.platformFacts?.();
    const body: RequestBody = { kind: 'start', app: this.name, capabilities: this.capabilities.ids, platform: this.env.platformInfo(), ...(facts ? { facts } : {}) };
    try {
      await this.#host.request(instance, body, this.env.startDeadlineMs ?? Math.max(this.env.requestDeadlineMs, 10_000));
      if (incarnation !== this.#incarnation || this.state !== 'starting') return;
      this.state = 'running';
      this.env.trace.record('kernel', { kind: 'app-ready', app: this.name, incarnation, ms: Math.round((performance.now() - started) * 100) / 100 });
    } catch (error) {
      // An AppError or a typed refusal from start() is as fatal as a throw: the instance never ran.
      if (incarnation === this.#incarnation && this.state === 'starting') this.#fault(incarnation, 'threw', (error as Error).message, true);
    }
  }

  #sink(incarnation: number): InstanceSink {
    return {
      onSyscall: (call, capability, operation, args) => {
        const instance = this.#instance;
        if (incarnation !== this.#incarnation || instance === undefined) return;
        this.env.syscall(this, capability, operation, args).then(
          (value) => this.#host.replySyscall(instance, call, { ok: true, value }),
          (error: unknown) => {
            this.#host.replySyscall(instance, call, { ok: false, error });
            if (error instanceof InstanceFaultError) this.#kernelFault(incarnation, error);
          },
        );
      },
      onFault: (fault, message, blamed) => this.#fault(incarnation, fault, message, blamed),
      onNet: (message) => {
        if (incarnation === this.#incarnation) this.env.onNet?.(this, message);
      },
    };
  }

  /** Faults the instance for a syscall error it must not survive; its requests in flight fail with VME_ERR_APP_FAULT. */
  #kernelFault(incarnation: number, error: InstanceFaultError): void {
    const message = `${error.code}: ${error.message}`;
    this.#fault(incarnation, error.fault, message, true, new KernelError('VME_ERR_APP_FAULT', message, { fault: error.fault }));
  }

  #fault(incarnation: number, fault: FaultKind, message: string, blamed: boolean, abort?: KernelError): void {
    if (incarnation !== this.#incarnation || this.state === 'restarting' || this.state === 'failed' || this.state === 'stopped') return;
    this.#detach(abort);
    if (!blamed) {
      this.state = 'restarting';
      this.env.scheduler.schedule(0, () => this.#restartIfWaiting());
      return;
    }
    this.#faults++;
    this.#lastFault = { fault, message };
    this.env.trace.record('supervisor', { kind: 'app-fault', app: this.name, fault, message });
    const decision = this.#budget.onFault(performance.now());
    if (decision.action === 'give-up') {
      this.state = 'failed';
      this.env.trace.record('supervisor', { kind: 'app-given-up', app: this.name, restarts: decision.restartsInWindow, windowMs: this.env.policy.restartWindowMs });
      return;
    }
    this.state = 'restarting';
    this.env.trace.record('supervisor', { kind: 'app-restart', app: this.name, restarts: decision.restartsInWindow, delayMs: decision.delayMs });
    this.env.scheduler.schedule(decision.delayMs, () => this.#restartIfWaiting());
  }

  #restartIfWaiting(): void {
    if (this.state === 'restarting') void this.start();
  }

  #detach(abort?: KernelError): void {
    if (this.#instance !== undefined) {
      this.#host.detach(this.#instance, abort);
      this.env.instanceEnded?.(this);
    }
    this.#instance = undefined;
  }
}
