/**
 * The worker side of one instance's network connections (design 0009): turns the kernel's `net-*`
 * messages into `AppConnection` objects and handler calls, and the app's writes into `net-write` /
 * `net-end` / `net-destroy` messages. After each `net-data` the bytes are acknowledged once
 * `onData` has returned — the kernel's flow control. Every crossing costs a wake-up, so the
 * messages are batched per connection (`Outbox`): the writes of one tick become one `net-write`
 * (posted on a microtask), and an acknowledgement rides on that connection's next `net-write`
 * (`ack`), else goes alone as `net-ack` at the end of the event-loop turn (`setImmediate`), or at
 * once before a pong, an end, a destroy or a fault. Nothing here holds authority: the kernel checks
 * that every connection id an instance names is its own.
 */
import type { MessagePort } from 'node:worker_threads';
import type { AppConnection, AppInstance } from '../app-api.js';
import type { InterfaceSpec } from '../interfaces.js';
import { MAX_NET_CHUNK, type NetFromWorker, type NetToWorker, type RemoteAddress, type WithoutInstance } from '../protocol.js';

type Post = (message: NetFromWorker, transfer?: ArrayBuffer[]) => void;
type ConnectionMessage = WithoutInstance<NetFromWorker>;

/** What one instance has not posted yet: writes (until the microtask) and acknowledgements (until a write or the turn's end). */
class Outbox {
  readonly #writes = new Map<number, Uint8Array[]>();
  readonly #acks = new Map<number, number>();
  #writesScheduled = false;
  #acksScheduled: ReturnType<typeof setImmediate> | undefined;

  constructor(readonly post: Post, readonly instance: number) {}

  /** Queues a copy the app can no longer change; posted with the tick's other writes. */
  write(connection: number, bytes: Uint8Array): void {
    const queued = this.#writes.get(connection);
    if (queued) queued.push(bytes);
    else this.#writes.set(connection, [bytes]);
    if (this.#writesScheduled) return;
    this.#writesScheduled = true;
    queueMicrotask(() => this.#flushWrites());
  }

  ack(connection: number, bytes: number): void {
    this.#acks.set(connection, (this.#acks.get(connection) ?? 0) + bytes);
    this.#acksScheduled ??= setImmediate(() => this.flush());
  }

  /** Posts the connection's writes (with its acknowledgement) now: an end or destroy must follow them. */
  flushConnection(connection: number): void {
    const chunks = this.#writes.get(connection);
    this.#writes.delete(connection);
    const ack = this.#acks.get(connection);
    this.#acks.delete(connection);
    if (chunks) this.#postWrites(connection, chunks, ack);
    else if (ack !== undefined) this.post({ t: 'net-ack', instance: this.instance, connection, bytes: ack });
  }

  /** Posts everything pending (before a pong, a fault, at the turn's end). */
  flush(): void {
    if (this.#acksScheduled !== undefined) clearImmediate(this.#acksScheduled);
    this.#acksScheduled = undefined;
    for (const connection of [...this.#writes.keys(), ...this.#acks.keys()]) this.flushConnection(connection);
  }

  #flushWrites(): void {
    this.#writesScheduled = false;
    for (const connection of [...this.#writes.keys()]) this.flushConnection(connection);
  }

  /** One `net-write` per 64 KiB of the concatenated chunks, moved (not cloned); the first carries the ack. */
  #postWrites(connection: number, chunks: Uint8Array[], ack: number | undefined): void {
    const whole = chunks.length === 1 ? (chunks[0] as Uint8Array) : concat(chunks);
    for (let at = 0; at < whole.length; at += MAX_NET_CHUNK) {
      const bytes = whole.length <= MAX_NET_CHUNK ? whole : whole.slice(at, at + MAX_NET_CHUNK);
      const message: NetFromWorker = at === 0 && ack !== undefined
        ? { t: 'net-write', instance: this.instance, connection, bytes, ack }
        : { t: 'net-write', instance: this.instance, connection, bytes };
      this.post(message, [bytes.buffer as ArrayBuffer]);
    }
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const whole = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    whole.set(chunk, at);
    at += chunk.length;
  }
  return whole;
}

/** What the app holds for one connection. `id` is plain data: a forged one is refused by the kernel. */
class WorkerConnection implements AppConnection {
  onData: ((bytes: Uint8Array) => void) | undefined = undefined;
  onClose: (() => void) | undefined = undefined;
  onEnd: (() => void) | undefined = undefined;
  /** True once the app ended or destroyed it, or the kernel closed it: writes are ignored. */
  finished = false;
  #destroyed = false;

  constructor(readonly id: number, readonly port: number, readonly remote: RemoteAddress, private readonly outbox: Outbox, private readonly send: (message: ConnectionMessage) => void) {}

  write(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('AppConnection.write takes a Uint8Array');
    if (this.finished || bytes.length === 0) return;
    // A copy in a buffer of its own (Buffer#slice would be a view of a shared, maybe pooled, buffer),
    // which the app cannot change afterwards, moved (not cloned) to the kernel.
    this.outbox.write(this.id, new Uint8Array(bytes));
  }

  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.outbox.flushConnection(this.id);
    this.send({ t: 'net-end', connection: this.id });
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.finished = true;
    this.outbox.flushConnection(this.id);
    this.send({ t: 'net-destroy', connection: this.id });
  }
}

/** One instance's connections, by id. */
export class InstanceNet {
  readonly #connections = new Map<number, WorkerConnection>();
  readonly #post: Post;
  readonly #outbox: Outbox;

  constructor(port: MessagePort, readonly instance: number) {
    this.#post = (message, transfer) => port.postMessage(message, transfer ?? []);
    this.#outbox = new Outbox(this.#post, instance);
  }

  /** Posts every pending write and acknowledgement now (before a pong or a fault). */
  flush(): void {
    this.#outbox.flush();
  }

  /** Handles one kernel message; app handler exceptions propagate (the caller faults the instance). */
  handle(app: AppInstance<InterfaceSpec | undefined> | undefined, message: NetToWorker): void {
    switch (message.t) {
      case 'net-open':
        return this.#open(app, message.connection, message.port, message.remote);
      case 'net-data': {
        const connection = this.#connections.get(message.connection);
        try {
          connection?.onData?.(message.bytes);
        } finally {
          this.#outbox.ack(message.connection, message.bytes.length);
        }
        return;
      }
      case 'net-eof':
        this.#connections.get(message.connection)?.onEnd?.();
        return;
      case 'net-close': {
        const connection = this.#connections.get(message.connection);
        if (!connection) return;
        this.#connections.delete(message.connection);
        connection.finished = true;
        connection.onClose?.();
      }
    }
  }

  /** The instance ended: its connections are gone (the kernel destroys the sockets). */
  clear(): void {
    this.#outbox.flush(); // what the app wrote before it ended still goes out (as it did before batching)
    for (const connection of this.#connections.values()) connection.finished = true;
    this.#connections.clear();
  }

  #open(app: AppInstance<InterfaceSpec | undefined> | undefined, id: number, port: number, remote: RemoteAddress): void {
    const connection = new WorkerConnection(id, port, remote, this.#outbox, (message) => this.#post({ ...message, instance: this.instance } as NetFromWorker));
    if (!app?.onConnection) {
      connection.destroy();
      return;
    }
    this.#connections.set(id, connection);
    app.onConnection(connection);
  }
}
