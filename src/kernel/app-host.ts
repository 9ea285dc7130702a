/**
 * The kernel's side of one app-host worker. It multiplexes the instances of many platforms over
 * the worker's port, enforces a deadline on every request and, when one passes, pings the worker:
 * an answer means only that instance hangs (it is faulted); silence means the worker's thread is
 * stuck, so the worker is terminated and every instance in it is lost (the hung one is blamed, the
 * others are re-initialised without penalty). A worker that dies (heap limit, uncaught error) is
 * respawned on the next request. Network data posted to an instance is watched the same way: no
 * acknowledgement for a whole deadline, and no answer to a ping, blames that instance's worker.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { fromWireError, KernelError, toWireError } from './errors.js';
import { checkWorkerMessage, type KernelToWorker, type NetFromWorker, type NetToWorker, type RequestBody, type WorkerToKernel } from './protocol.js';
import type { PlatformFactsView } from './platform-facts.js';
import type { Scheduler, ScheduledTask } from './scheduler.js';
import type { FaultKind } from './trace.js';

/** Where a host delivers what concerns one instance (implemented by the instance's kernel). */
export interface InstanceSink {
  onSyscall(call: number, capability: string, operation: string, args: unknown): void;
  /** The instance is broken (`blamed`) or lost through no fault of its own (`blamed: false`). */
  onFault(fault: FaultKind, message: string, blamed: boolean): void;
  /** What the instance did with a network connection (not yet checked to be its own). */
  onNet?(message: NetFromWorker): void;
}

export interface AppHostOptions {
  readonly resourceLimits?: ResourceLimits;
  /** How long a worker has to answer a ping before it is declared stuck (ms). */
  readonly pingTimeoutMs: number;
  readonly scheduler: Scheduler;
}

interface InFlight {
  readonly instance: number;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  deadline: ScheduledTask | undefined;
}

/** Network data posted to one instance and not yet acknowledged. */
interface Unacked {
  /** Bytes (acknowledgements are coalesced, so they are counted in bytes, not messages). */
  bytes: number;
  /** An acknowledgement arrived since the deadline was armed (the instance is making progress). */
  progress: boolean;
  deadline: ScheduledTask;
}

const WORKER_URL = new URL('./worker/app-worker.js', import.meta.url);

/** A fault error for callers: the request failed because the callee faulted. */
const faultError = (fault: FaultKind, message: string): KernelError => new KernelError('VME_ERR_APP_FAULT', message, { fault });

export class AppHost {
  #worker: Worker | undefined;
  readonly #sinks = new Map<number, InstanceSink>();
  readonly #inFlight = new Map<number, InFlight>();
  readonly #pongs = new Map<number, () => void>();
  readonly #unacked = new Map<number, Unacked>();
  #nextRequest = 1;
  #nextPing = 1;
  #spawns = 0;

  constructor(readonly moduleUrl: string, readonly options: AppHostOptions) {}

  get instanceCount(): number {
    return this.#sinks.size;
  }

  /** Workers started so far (1 + respawns). */
  get spawns(): number {
    return this.#spawns;
  }

  /** Starts the worker now (so several app kinds can start theirs in parallel). */
  warm(): void {
    this.#ensureWorker();
  }

  attach(instance: number, sink: InstanceSink): void {
    this.#sinks.set(instance, sink);
  }

  /** Forgets an instance: tells the worker to stop it and rejects its requests (with `error`, default VME_ERR_APP_UNAVAILABLE). */
  detach(instance: number, error: KernelError = new KernelError('VME_ERR_APP_UNAVAILABLE', 'the app instance was stopped')): void {
    if (!this.#sinks.delete(instance)) return;
    this.#forgetAcks(instance);
    this.#post({ t: 'stop', instance });
    for (const [id, flight] of this.#inFlight) if (flight.instance === instance) this.#settle(id, false, error);
  }

  /** Sends a request to an instance; rejects with AppError (app's reply), or KernelError VME_ERR_APP_FAULT. */
  request(instance: number, body: RequestBody, deadlineMs: number): Promise<unknown> {
    const worker = this.#ensureWorker();
    const request = this.#nextRequest++;
    return new Promise((resolve, reject) => {
      const flight: InFlight = { instance, resolve, reject, deadline: undefined };
      flight.deadline = this.options.scheduler.schedule(deadlineMs, () => this.#deadlinePassed(request, deadlineMs));
      this.#inFlight.set(request, flight);
      worker.postMessage({ t: 'request', instance, request, body } satisfies KernelToWorker);
    });
  }

  replySyscall(instance: number, call: number, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }): void {
    if (!this.#sinks.has(instance)) return;
    const message: KernelToWorker = outcome.ok
      ? { t: 'syscall-reply', instance, call, ok: true, value: outcome.value }
      : { t: 'syscall-reply', instance, call, ok: false, error: toWireError(outcome.error) };
    this.#post(message);
  }

  /** Posts the platform's new facts to an attached instance (in order with everything posted after). */
  postFacts(instance: number, facts: PlatformFactsView): void {
    if (this.#sinks.has(instance)) this.#post({ t: 'facts', instance, facts });
  }

  /**
   * Posts a network event to an attached instance (ArrayBuffers in `transfer` move); false when it
   * is not attached. `net-data` must be acknowledged within `ackDeadlineMs` of the last progress,
   * else the worker is pinged and, if it does not answer, terminated with that instance blamed.
   */
  postNet(message: NetToWorker, transfer: ArrayBuffer[] = [], ackDeadlineMs?: number): boolean {
    const worker = this.#worker;
    if (!worker || !this.#sinks.has(message.instance)) return false;
    const bytes = message.t === 'net-data' ? message.bytes.length : 0; // read before the transfer detaches it
    worker.postMessage(message satisfies KernelToWorker, transfer);
    if (message.t === 'net-data' && ackDeadlineMs !== undefined) this.#expectAck(message.instance, bytes, ackDeadlineMs);
    return true;
  }

  /** Stops the worker for good (no respawn until the next request). */
  async terminate(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#forgetAcks();
    for (const id of [...this.#inFlight.keys()]) this.#settle(id, false, new KernelError('VME_ERR_APP_UNAVAILABLE', 'the app host is shutting down'));
    if (worker) await worker.terminate();
  }

  #ensureWorker(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(WORKER_URL, { workerData: { moduleUrl: this.moduleUrl }, ...(this.options.resourceLimits ? { resourceLimits: this.options.resourceLimits } : {}) });
    this.#spawns++;
    worker.on('message', (message: unknown) => this.#onMessage(worker, message));
    worker.on('error', (error: Error & { code?: string }) => this.#lose(worker, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'memory' : 'threw', error.message));
    worker.on('exit', (code) => this.#lose(worker, 'worker-lost', `app host worker exited with code ${code}`));
    this.#worker = worker;
    return worker;
  }

  #post(message: KernelToWorker): void {
    this.#worker?.postMessage(message);
  }

  #onMessage(worker: Worker, message: unknown): void {
    if (worker !== this.#worker) return;
    if (!checkWorkerMessage(message)) {
      this.#kill(worker, 'threw', 'the app host sent a malformed message');
      return;
    }
    this.#route(message);
  }

  #route(message: WorkerToKernel): void {
    if (message.t === 'pong') {
      this.#pongs.get(message.nonce)?.();
      return;
    }
    if (message.t === 'syscall') {
      this.#sinks.get(message.instance)?.onSyscall(message.call, message.capability, message.operation, message.args);
      return;
    }
    if (message.t === 'fault') {
      this.#sinks.get(message.instance)?.onFault('threw', fromWireError(message.error).message, true);
      return;
    }
    if (message.t !== 'reply') {
      if (message.t === 'net-ack') this.#acked(message.instance, message.bytes);
      else if (message.t === 'net-write' && message.ack !== undefined) this.#acked(message.instance, message.ack);
      this.#sinks.get(message.instance)?.onNet?.(message);
      return;
    }
    const flight = this.#inFlight.get(message.request);
    if (!flight || flight.instance !== message.instance) return;
    if (message.ok) return this.#settle(message.request, true, message.value);
    const error = fromWireError(message.error);
    if (message.fault) {
      this.#settle(message.request, false, faultError('threw', error.message));
      this.#sinks.get(message.instance)?.onFault('threw', error.message, true);
    } else {
      this.#settle(message.request, false, error);
    }
  }

  #deadlinePassed(request: number, deadlineMs: number): void {
    const flight = this.#inFlight.get(request);
    const worker = this.#worker;
    if (!flight || !worker) return;
    const nonce = this.#nextPing++;
    const stuck = this.options.scheduler.schedule(this.options.pingTimeoutMs, () => {
      this.#pongs.delete(nonce);
      this.#kill(worker, 'hung', `the app host did not answer within ${this.options.pingTimeoutMs} ms`, flight.instance);
    });
    this.#pongs.set(nonce, () => {
      stuck.cancel();
      this.#pongs.delete(nonce);
      const message = `no reply within ${deadlineMs} ms`;
      this.#settle(request, false, faultError('hung', message));
      this.#sinks.get(flight.instance)?.onFault('hung', message, true);
    });
    worker.postMessage({ t: 'ping', nonce } satisfies KernelToWorker);
  }

  #expectAck(instance: number, bytes: number, deadlineMs: number): void {
    const pending = this.#unacked.get(instance);
    if (pending) {
      pending.bytes += bytes;
      return;
    }
    const entry: Unacked = { bytes, progress: false, deadline: this.options.scheduler.schedule(deadlineMs, () => this.#ackOverdue(instance, entry, deadlineMs)) };
    this.#unacked.set(instance, entry);
  }

  #acked(instance: number, bytes: number): void {
    const pending = this.#unacked.get(instance);
    if (!pending) return;
    pending.progress = true;
    if ((pending.bytes -= bytes) > 0) return;
    pending.deadline.cancel();
    this.#unacked.delete(instance);
  }

  #forgetAcks(instance?: number): void {
    for (const [id, pending] of this.#unacked) {
      if (instance !== undefined && id !== instance) continue;
      pending.deadline.cancel();
      this.#unacked.delete(id);
    }
  }

  /** No acknowledgement for a whole deadline: a blocked thread (no pong) is this instance's fault. */
  #ackOverdue(instance: number, pending: Unacked, deadlineMs: number): void {
    const worker = this.#worker;
    if (this.#unacked.get(instance) !== pending || !worker) return;
    if (pending.progress) {
      pending.progress = false;
      pending.deadline = this.options.scheduler.schedule(deadlineMs, () => this.#ackOverdue(instance, pending, deadlineMs));
      return;
    }
    const nonce = this.#nextPing++;
    const stuck = this.options.scheduler.schedule(this.options.pingTimeoutMs, () => {
      this.#pongs.delete(nonce);
      this.#kill(worker, 'hung', `network data unacknowledged for ${deadlineMs} ms and no answer to a ping within ${this.options.pingTimeoutMs} ms`, instance);
    });
    // An answer means the thread runs: acks posted before the pong have arrived, so what is left was dropped with its instance.
    this.#pongs.set(nonce, () => {
      stuck.cancel();
      this.#pongs.delete(nonce);
      if (this.#unacked.get(instance) === pending) this.#unacked.delete(instance);
    });
    worker.postMessage({ t: 'ping', nonce } satisfies KernelToWorker);
  }

  /** Terminates a misbehaving worker; `culprit` (or, if unknown, instances with requests in flight) is blamed. */
  #kill(worker: Worker, fault: FaultKind, message: string, culprit?: number): void {
    this.#lose(worker, fault, message, culprit);
    void worker.terminate();
  }

  #lose(worker: Worker, fault: FaultKind, message: string, culprit?: number): void {
    if (worker !== this.#worker) return;
    this.#worker = undefined;
    this.#pongs.clear();
    this.#forgetAcks();
    const busy = new Set([...this.#inFlight.values()].map((f) => f.instance));
    const blamed = culprit !== undefined ? new Set([culprit]) : busy.size > 0 ? busy : new Set(this.#sinks.keys());
    for (const id of [...this.#inFlight.keys()]) this.#settle(id, false, faultError(fault, message));
    for (const [instance, sink] of [...this.#sinks]) {
      sink.onFault(blamed.has(instance) ? fault : 'worker-lost', message, blamed.has(instance));
    }
  }

  #settle(request: number, ok: boolean, value: unknown): void {
    const flight = this.#inFlight.get(request);
    if (!flight) return;
    this.#inFlight.delete(request);
    flight.deadline?.cancel();
    if (ok) flight.resolve(value);
    else flight.reject(value);
  }
}
