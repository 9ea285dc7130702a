/**
 * One app's network on one platform (design 0009): its granted listeners and the connections they
 * accepted, each owned by the incarnation that was running when it arrived. The kernel side of
 * capability `net:<port>`:
 * - a connection goes to the running instance (`net-open`), else it is closed at once, as is one
 *   beyond `maxConnections` for its listener;
 * - what the peer sends is posted in order (`net-data`, ArrayBuffers moved); the socket is paused
 *   while more than `maxUnackedBytes` wait for the app's acknowledgement (`net-ack`, or `ack` on a `net-write`), resumed below half of it;
 * - the instance may write/end/destroy only connections it was given: an id never issued to it is
 *   refused and audited (`net-denied`); one it was given that has closed since is ignored;
 * - more than `maxQueuedBytes` queued toward a peer that stopped reading destroys the connection;
 * - when the instance ends (fault, restart, stop) every connection it owned is destroyed; the
 *   listeners stay and hand new connections to the next instance;
 * - a datagram becomes a `datagram` request (deadline, fault on throw); at most
 *   `maxDatagramsInFlight` per listener wait for their answer, the rest are dropped.
 */
import type { RemoteInfo } from 'node:dgram';
import type { Socket } from 'node:net';
import type { NetworkListenerGrant } from '../../me/app-manifest.js';
import type { AppSlot } from '../app-slot.js';
import type { NetFromWorker } from '../protocol.js';
import type { Trace } from '../trace.js';
import { MAX_DATAGRAM_BYTES, TcpListener, UdpListener, type NetworkListenerStatus } from './listeners.js';

export interface NetworkLimits {
  /** Open connections per listener; more are accepted and closed at once. */
  readonly maxConnections: number;
  /** Bytes queued toward a peer that stopped reading; more destroys the connection. */
  readonly maxQueuedBytes: number;
  /** Bytes posted to the app and not yet acknowledged before the socket is paused. */
  readonly maxUnackedBytes: number;
  /** Datagrams per udp listener waiting for the app's answer; more are dropped. */
  readonly maxDatagramsInFlight: number;
}

export const DEFAULT_NETWORK_LIMITS: NetworkLimits = { maxConnections: 128, maxQueuedBytes: 4 * 1024 * 1024, maxUnackedBytes: 256 * 1024, maxDatagramsInFlight: 32 };

/** What an app's network needs from the platform. */
export interface NetworkEnvironment {
  readonly address: string;
  readonly limits: NetworkLimits;
  readonly trace: Trace;
  /** A network event reached the engine (wakes it). */
  activity(): void;
}

interface Connection {
  readonly id: number;
  readonly incarnation: number;
  readonly listener: TcpListener;
  readonly socket: Socket;
  unacked: number;
  paused: boolean;
}

/** The bytes of a socket chunk in a buffer of their own (so it can be moved to the worker). */
function owned(chunk: Buffer): Uint8Array {
  return chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? new Uint8Array(chunk.buffer) : new Uint8Array(chunk);
}

export class AppNetwork {
  readonly listeners: (TcpListener | UdpListener)[];
  readonly #connections = new Map<number, Connection>();
  #nextId = 1;
  /** The incarnation that was given ids from `firstId` on (ids below were other incarnations'). */
  #issued = { incarnation: 0, firstId: 1 };

  constructor(readonly slot: AppSlot, grants: readonly NetworkListenerGrant[], readonly env: NetworkEnvironment) {
    this.listeners = grants.map((grant) => grant.protocol === 'tcp'
      ? new TcpListener(slot.name, grant, env.address, (listener, socket) => this.#accept(listener, socket))
      : new UdpListener(slot.name, grant, env.address, (listener, bytes, remote) => this.#datagram(listener, bytes, remote)));
  }

  /** Open connections of the current instance. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  status(): NetworkListenerStatus[] {
    return this.listeners.map((l) => l.status());
  }

  /** The `net.status` syscall's view of one granted port. */
  portStatus(port: number): { listening: boolean } {
    return { listening: this.listeners.some((l) => l.port === port && l.isListening) };
  }

  /** What the instance did with a connection; refused unless the connection is its own. */
  fromApp(message: NetFromWorker): void {
    const connection = this.#connections.get(message.connection);
    if (!connection || connection.incarnation !== this.slot.incarnation) return this.#unknown(message);
    const { socket } = connection;
    switch (message.t) {
      case 'net-write':
        if (message.ack !== undefined) this.#acked(connection, message.ack);
        if (socket.destroyed || socket.writableEnded) return;
        this.env.activity();
        socket.write(message.bytes);
        if (socket.writableLength > this.env.limits.maxQueuedBytes) {
          this.env.trace.record('net', { kind: 'net-capped', app: this.slot.name, port: connection.listener.port, connection: connection.id, queuedBytes: socket.writableLength });
          socket.destroy();
        }
        return;
      case 'net-end':
        socket.end();
        return;
      case 'net-destroy':
        socket.destroy();
        return;
      case 'net-ack':
        this.#acked(connection, message.bytes);
    }
  }

  /** The app took `bytes` more: a paused socket resumes once at most half the limit is outstanding. */
  #acked(connection: Connection, bytes: number): void {
    connection.unacked = Math.max(0, connection.unacked - bytes);
    if (connection.paused && connection.unacked <= this.env.limits.maxUnackedBytes / 2) {
      connection.paused = false;
      connection.socket.resume();
    }
  }

  /** The current instance ended: every connection it owned is destroyed (the listeners stay). */
  instanceEnded(): void {
    const connections = [...this.#connections.values()];
    this.#connections.clear();
    for (const connection of connections) connection.socket.destroy();
  }

  async close(): Promise<void> {
    this.instanceEnded();
    await Promise.all(this.listeners.map((l) => l.close()));
  }

  #accept(listener: TcpListener, socket: Socket): void {
    socket.on('error', () => this.env.trace.count('net.socket-errors'));
    this.env.activity();
    const incarnation = this.slot.incarnation;
    const refused = !this.slot.isRunning(incarnation) ? 'not-running' : listener.open >= this.env.limits.maxConnections ? 'limit' : undefined;
    if (refused) {
      this.env.trace.record('net', { kind: 'net-refused', app: this.slot.name, port: listener.port, reason: refused });
      socket.destroy();
      return;
    }
    if (this.#issued.incarnation !== incarnation) this.#issued = { incarnation, firstId: this.#nextId };
    const connection: Connection = { id: this.#nextId++, incarnation, listener, socket, unacked: 0, paused: false };
    this.#connections.set(connection.id, connection);
    listener.track(socket);
    socket.on('data', (chunk: Buffer) => this.#deliver(connection, chunk));
    socket.on('end', () => this.#post(connection, { t: 'net-eof', connection: connection.id }));
    socket.on('close', () => this.#closed(connection));
    const remote = { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 };
    if (this.#post(connection, { t: 'net-open', connection: connection.id, port: listener.port, remote })) socket.resume();
  }

  #deliver(connection: Connection, chunk: Buffer): void {
    this.env.activity();
    const bytes = owned(chunk);
    connection.unacked += bytes.length;
    if (!this.#post(connection, { t: 'net-data', connection: connection.id, bytes }, [bytes.buffer as ArrayBuffer])) return;
    if (!connection.paused && connection.unacked > this.env.limits.maxUnackedBytes) {
      connection.paused = true;
      connection.socket.pause();
      this.env.trace.count('net.paused');
    }
  }

  /** Posts to the connection's instance; when it no longer runs, the connection is destroyed. */
  #post(connection: Connection, message: Parameters<AppSlot['postNet']>[1], transfer?: ArrayBuffer[]): boolean {
    if (this.slot.postNet(connection.incarnation, message, transfer)) return true;
    this.#connections.delete(connection.id);
    connection.socket.destroy();
    return false;
  }

  #closed(connection: Connection): void {
    if (this.#connections.get(connection.id) !== connection) return;
    this.#connections.delete(connection.id);
    this.slot.postNet(connection.incarnation, { t: 'net-close', connection: connection.id });
  }

  /** A message naming no open connection of this instance: a late one for a connection it had is ignored, anything else is refused. */
  #unknown(message: NetFromWorker): void {
    const { incarnation, firstId } = this.#issued;
    if (incarnation === this.slot.incarnation && message.connection >= firstId && message.connection < this.#nextId) {
      this.env.trace.count('net.late-messages');
      return;
    }
    this.env.trace.record('audit', { kind: 'net-denied', app: this.slot.name, connection: message.connection, operation: message.t });
  }

  #datagram(listener: UdpListener, bytes: Buffer, remote: RemoteInfo): void {
    this.env.activity();
    const drop = (reason: 'busy' | 'failed' | 'bad-reply'): void => this.env.trace.record('net', { kind: 'net-dropped', app: this.slot.name, port: listener.port, reason });
    if (listener.inFlight >= this.env.limits.maxDatagramsInFlight) return drop('busy');
    listener.inFlight++;
    const request = { kind: 'datagram', port: listener.port, remote: { address: remote.address, port: remote.port }, bytes: new Uint8Array(bytes) } as const;
    this.slot.request(request).then((reply) => {
      if (reply === undefined || reply === null) return;
      if (!(reply instanceof Uint8Array) || reply.length === 0 || reply.length > MAX_DATAGRAM_BYTES) return drop('bad-reply');
      listener.send(reply, remote);
    }, () => drop('failed')).finally(() => listener.inFlight--);
  }
}
