/**
 * The worker side of one instance's network connections (design 0009): turns the kernel's `net-*`
 * messages into `AppConnection` objects and handler calls, and the app's writes into `net-write` /
 * `net-end` / `net-destroy` messages. After each `net-data` the bytes are acknowledged (`net-ack`)
 * once `onData` has returned — the kernel's flow control. Nothing here holds authority: the
 * kernel checks that every connection id an instance names is its own.
 */
import type { MessagePort } from 'node:worker_threads';
import type { AppConnection, AppInstance } from '../app-api.js';
import type { InterfaceSpec } from '../interfaces.js';
import { MAX_NET_CHUNK, type NetFromWorker, type NetToWorker, type RemoteAddress, type WithoutInstance } from '../protocol.js';

type Post = (message: NetFromWorker, transfer?: ArrayBuffer[]) => void;
type ConnectionMessage = WithoutInstance<NetFromWorker>;

/** What the app holds for one connection. `id` is plain data: a forged one is refused by the kernel. */
class WorkerConnection implements AppConnection {
  onData: ((bytes: Uint8Array) => void) | undefined = undefined;
  onClose: (() => void) | undefined = undefined;
  onEnd: (() => void) | undefined = undefined;
  /** True once the app ended or destroyed it, or the kernel closed it: writes are ignored. */
  finished = false;
  #destroyed = false;

  constructor(readonly id: number, readonly port: number, readonly remote: RemoteAddress, private readonly send: (message: ConnectionMessage, transfer?: ArrayBuffer[]) => void) {}

  write(bytes: Uint8Array): void {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('AppConnection.write takes a Uint8Array');
    if (this.finished) return;
    for (let at = 0; at < bytes.length; at += MAX_NET_CHUNK) {
      // A copy in a buffer of its own (Buffer#slice would be a view of a shared, maybe pooled, buffer),
      // which the app cannot change afterwards, moved (not cloned) to the kernel.
      const chunk = new Uint8Array(Math.min(MAX_NET_CHUNK, bytes.length - at));
      chunk.set(bytes.subarray(at, at + chunk.length));
      this.send({ t: 'net-write', connection: this.id, bytes: chunk }, [chunk.buffer]);
    }
  }

  end(): void {
    if (this.finished) return;
    this.finished = true;
    this.send({ t: 'net-end', connection: this.id });
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.finished = true;
    this.send({ t: 'net-destroy', connection: this.id });
  }
}

/** One instance's connections, by id. */
export class InstanceNet {
  readonly #connections = new Map<number, WorkerConnection>();
  readonly #post: Post;

  constructor(port: MessagePort, readonly instance: number) {
    this.#post = (message, transfer) => port.postMessage(message, transfer ?? []);
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
          this.#post({ t: 'net-ack', instance: this.instance, connection: message.connection, bytes: message.bytes.length });
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
    for (const connection of this.#connections.values()) connection.finished = true;
    this.#connections.clear();
  }

  #open(app: AppInstance<InterfaceSpec | undefined> | undefined, id: number, port: number, remote: RemoteAddress): void {
    const connection = new WorkerConnection(id, port, remote, (message, transfer) => this.#post({ ...message, instance: this.instance } as NetFromWorker, transfer));
    if (!app?.onConnection) {
      connection.destroy();
      return;
    }
    this.#connections.set(id, connection);
    app.onConnection(connection);
  }
}
