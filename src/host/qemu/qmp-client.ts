/**
 * The thin socket adapter over `QmpSession`: one stream socket to QEMU's QMP monitor (a Unix
 * socket), capabilities negotiated before `open` resolves, `execute` with a per-command timeout,
 * and event subscribers. Every failure is a typed error: QEMU's refusal (VME_ERR_QMP_COMMAND),
 * no answer or a closed connection (VME_ERR_QMP_UNAVAILABLE), garbage (VME_ERR_QMP_PROTOCOL).
 */
import { connect, type Socket } from 'node:net';
import { VmeError } from '../../common/errors.js';
import { QmpSession, type QmpEvent, type QmpOutput, type QmpVersion } from './qmp-protocol.js';

export const QMP_DEFAULT_TIMEOUT_MS = 10_000;

interface Waiter {
  readonly command: string;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export class QmpClient {
  readonly #socket: Socket;
  readonly #session = new QmpSession();
  readonly #waiters = new Map<string, Waiter>();
  readonly #listeners = new Set<(event: QmpEvent) => void>();
  readonly #closeListeners = new Set<(error: Error | undefined) => void>();
  #ready: { resolve: () => void; reject: (error: Error) => void } | undefined;
  #closed: Error | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#data(chunk));
    socket.on('error', (error) => this.#close(unavailable(`QMP connection error: ${error.message}`)));
    socket.on('close', () => this.#close(unavailable('QMP connection closed')));
  }

  /** Negotiates over a connected socket (QEMU connected to us, or we to it). @throws VmeError */
  static async open(socket: Socket, timeoutMs = QMP_DEFAULT_TIMEOUT_MS): Promise<QmpClient> {
    const client = new QmpClient(socket);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(unavailable(`no QMP greeting and negotiation within ${timeoutMs} ms`)), timeoutMs);
      client.#ready = { resolve: () => { clearTimeout(timer); resolve(); }, reject: (error) => { clearTimeout(timer); reject(error); } };
      if (client.#closed) client.#ready.reject(client.#closed);
    }).catch((error: unknown) => {
      client.close();
      throw error;
    });
    return client;
  }

  /** Connects to a QMP server socket at `path` and negotiates. @throws VmeError VME_ERR_QMP_UNAVAILABLE */
  static async connect(path: string, timeoutMs = QMP_DEFAULT_TIMEOUT_MS): Promise<QmpClient> {
    const socket = connect(path);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(unavailable(`QMP connect to ${path} timed out`)), timeoutMs);
      socket.once('connect', () => { clearTimeout(timer); resolve(); });
      socket.once('error', (error) => { clearTimeout(timer); reject(unavailable(`QMP connect to ${path}: ${error.message}`)); });
    }).catch((error: unknown) => {
      socket.destroy();
      throw error;
    });
    return QmpClient.open(socket, timeoutMs);
  }

  get version(): QmpVersion | undefined {
    return this.#session.version;
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Runs a command; resolves with its "return" value. @throws VmeError VME_ERR_QMP_COMMAND / VME_ERR_QMP_UNAVAILABLE */
  execute<T = unknown>(command: string, args?: Readonly<Record<string, unknown>>, timeoutMs = QMP_DEFAULT_TIMEOUT_MS): Promise<T> {
    if (this.#closed) return Promise.reject(this.#closed);
    const { id, bytes } = this.#session.command(command, args);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(id);
        reject(unavailable(`QMP command ${command} got no reply within ${timeoutMs} ms`, { command }));
      }, timeoutMs);
      this.#waiters.set(id, { command, resolve: resolve as (value: unknown) => void, reject, timer });
      this.#socket.write(bytes);
    });
  }

  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (event: QmpEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Called once when the connection ends (undefined error: closed by us). */
  onClose(listener: (error: Error | undefined) => void): () => void {
    this.#closeListeners.add(listener);
    return () => this.#closeListeners.delete(listener);
  }

  /** Resolves with the next event named `name` (matching `accept`), or rejects after `timeoutMs`. */
  nextEvent(name: string, timeoutMs: number, accept: (event: QmpEvent) => boolean = () => true): Promise<QmpEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { stop(); reject(unavailable(`no QMP event ${name} within ${timeoutMs} ms`)); }, timeoutMs);
      const stop = this.onEvent((event) => {
        if (event.event !== name || !accept(event)) return;
        clearTimeout(timer);
        stop();
        resolve(event);
      });
    });
  }

  close(): void {
    this.#close(undefined);
    this.#socket.destroy();
  }

  #data(chunk: Buffer): void {
    let result: { outputs: QmpOutput[]; send: Uint8Array[] };
    try {
      result = this.#session.feed(chunk);
    } catch (error) {
      this.#close(error as Error);
      this.#socket.destroy();
      return;
    }
    for (const bytes of result.send) this.#socket.write(bytes);
    for (const output of result.outputs) this.#output(output);
    if (this.#session.phase === 'ready' && this.#ready) {
      this.#ready.resolve();
      this.#ready = undefined;
    }
  }

  #output(output: QmpOutput): void {
    if (output.kind === 'greeting') return;
    if (output.kind === 'event') {
      for (const listener of [...this.#listeners]) listener(output.event);
      return;
    }
    const waiter = this.#waiters.get(output.id);
    if (!waiter) return; // timed out meanwhile
    this.#waiters.delete(output.id);
    clearTimeout(waiter.timer);
    if (output.kind === 'return') waiter.resolve(output.value);
    else waiter.reject(new VmeError('VME_ERR_QMP_COMMAND', `QEMU refused ${waiter.command}: ${output.errorClass}: ${output.description}`, { command: waiter.command, errorClass: output.errorClass, description: output.description }));
  }

  #close(error: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = error ?? unavailable('QMP connection closed by vme');
    this.#ready?.reject(this.#closed);
    this.#ready = undefined;
    for (const waiter of this.#waiters.values()) {
      clearTimeout(waiter.timer);
      waiter.reject(error ?? this.#closed);
    }
    this.#waiters.clear();
    for (const listener of [...this.#closeListeners]) listener(error);
  }
}

function unavailable(message: string, details: Record<string, unknown> = {}): VmeError {
  return new VmeError('VME_ERR_QMP_UNAVAILABLE', message, details);
}
