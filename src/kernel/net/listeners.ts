/**
 * The socket adapters behind granted network listeners (design 0009): a TCP server or a UDP socket
 * bound to the platform's own loopback address and the granted port. They only bind, hand what
 * arrives to their owner (`AppNetwork`) and close; a bind failure (EADDRINUSE, EACCES) is kept as
 * the listener's `error`, never thrown. Closing destroys every connection and resolves once the
 * port is free again.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { createServer, isIP, type Server, type Socket } from 'node:net';
import type { NetworkListenerGrant } from '../../me/app-manifest.js';

/** Largest UDP payload over IPv4. */
export const MAX_DATAGRAM_BYTES = 65507;

/** One listener as `engine.networkListeners()` and `vme up` report it. */
export interface NetworkListenerStatus {
  readonly app: string;
  readonly port: number;
  readonly protocol: 'tcp' | 'udp';
  readonly tls: boolean;
  readonly address: string;
  readonly listening: boolean;
  /** Why it is not listening (e.g. `listen EADDRINUSE: address already in use 127.0.0.2:16992`). */
  readonly error?: string;
}

/** What both kinds share: bind state and status. */
abstract class Listener {
  protected listening = false;
  protected error: string | undefined;
  protected closed = false;

  constructor(readonly app: string, readonly grant: NetworkListenerGrant, readonly address: string) {}

  get port(): number {
    return this.grant.port;
  }

  get isListening(): boolean {
    return this.listening;
  }

  status(): NetworkListenerStatus {
    const { port, protocol, tls } = this.grant;
    return { app: this.app, port, protocol, tls, address: this.address, listening: this.listening, ...(this.error !== undefined ? { error: this.error } : {}) };
  }

  /** Binds; resolves either way (a failure is kept in `status().error`). */
  abstract listen(): Promise<void>;
  abstract close(): Promise<void>;

  protected bound(emitter: NodeJS.EventEmitter, bind: (done: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      const failed = (error: Error): void => {
        this.error = error.message.slice(0, 200);
        resolve();
      };
      emitter.once('error', failed);
      bind(() => {
        emitter.off('error', failed);
        // Later errors (e.g. EMFILE on accept) must not crash the process; the listener keeps going.
        emitter.on('error', () => undefined);
        this.listening = !this.closed;
        resolve();
      });
    });
  }
}

/** A TCP listener: sockets arrive paused, with half-close allowed, and are handed to `onSocket`. */
export class TcpListener extends Listener {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();

  constructor(app: string, grant: NetworkListenerGrant, address: string, onSocket: (listener: TcpListener, socket: Socket) => void) {
    super(app, grant, address);
    this.#server = createServer({ allowHalfOpen: true, pauseOnConnect: true, noDelay: true }, (socket) => onSocket(this, socket));
  }

  /** Connections accepted and still open. */
  get open(): number {
    return this.#sockets.size;
  }

  /** Counts an accepted connection until it closes. */
  track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
  }

  listen(): Promise<void> {
    return this.bound(this.#server, (done) => this.#server.listen({ host: this.address, port: this.grant.port, exclusive: true }, done));
  }

  async close(): Promise<void> {
    this.closed = true;
    const wasListening = this.listening;
    this.listening = false;
    for (const socket of this.#sockets) socket.destroy();
    if (wasListening) await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** A UDP listener: each datagram goes to `onDatagram`; `send` answers a peer. */
export class UdpListener extends Listener {
  readonly #socket: UdpSocket;
  /** Datagrams handed to the app and not yet answered. */
  inFlight = 0;

  constructor(app: string, grant: NetworkListenerGrant, address: string, onDatagram: (listener: UdpListener, bytes: Buffer, remote: RemoteInfo) => void) {
    super(app, grant, address);
    this.#socket = createSocket({ type: isIP(address) === 6 ? 'udp6' : 'udp4' });
    this.#socket.on('message', (bytes, remote) => onDatagram(this, bytes, remote));
  }

  listen(): Promise<void> {
    return this.bound(this.#socket, (done) => this.#socket.bind({ address: this.address, port: this.grant.port, exclusive: true }, done));
  }

  send(bytes: Uint8Array, remote: { address: string; port: number }): void {
    if (!this.listening) return;
    this.#socket.send(bytes, remote.port, remote.address, () => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.listening = false;
    await new Promise<void>((resolve) => {
      try {
        this.#socket.close(() => resolve());
      } catch {
        resolve(); // never bound (bind failed): nothing to free
      }
    });
  }
}
