/**
 * The Local Manageability Service as a host program: the LMS client (src/protocols/apf) on the
 * LME HECI client, and a loopback TCP listener for each port AMT forwards (16992 → --http-port,
 * 16993 → --tls-port), each accepted connection tunnelled as one APF channel — what Intel's LMS
 * does, so rpc-go, curl or a browser on this host reach AMT without the network. TLS on 16993 is
 * end to end (AMT's own), LMS only moves bytes. When the engine goes away it ends the connections,
 * keeps the listeners and reconnects; a session error restarts the handshake.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { assertLoopback } from '../../amt/loopback.js';
import { VmeError } from '../../common/errors.js';
import { MeiErrnoError } from '../../heci/index.js';
import { AMT_HTTP_PORT, AMT_TLS_PORT, createLmsClient, type ApfLimits, type LmsClient, type LmsClientEvent, type LmsForwardRequest } from '../../protocols/apf/index.js';
import { openMeiTransport, type LmeTransport } from './transport.js';

export interface StartLmsOptions {
  /** The platform's MEI device socket (e.g. `state/mei0.sock`); or give `transport`. */
  readonly device?: string;
  /** Opens the LME connection (tests: an in-process engine). Default: `openMeiTransport(device)`. */
  readonly transport?: () => Promise<LmeTransport>;
  /** Loopback address to listen on (127.0.0.0/8 or ::1; default 127.0.0.1). */
  readonly address?: string;
  /** Local port per AMT port (default 16992 → 16992, 16993 → 16993; 0 = any free port). */
  readonly ports?: Readonly<Record<number, number>>;
  /** How long the first handshake may take (default 5000 ms). */
  readonly handshakeTimeoutMs?: number;
  /** Pause before reconnecting or restarting the handshake (default 2000 ms). */
  readonly retryDelayMs?: number;
  /** Progress lines (session level). */
  readonly log?: (line: string) => void;
  /** Per-connection lines too. */
  readonly verbose?: boolean;
  readonly limits?: ApfLimits;
}

export interface LmsAddress {
  /** The AMT port this listener forwards to. */
  readonly amtPort: number;
  readonly address: string;
  readonly port: number;
}

export interface RunningLms {
  /** One listener per forwarded AMT port, as bound. */
  readonly addresses: readonly LmsAddress[];
  /** Sends DISCONNECT, closes every connection and listener, then the LME connection. */
  close(): Promise<void>;
}

export const DEFAULT_LMS_PORTS: Readonly<Record<number, number>> = { [AMT_HTTP_PORT]: AMT_HTTP_PORT, [AMT_TLS_PORT]: AMT_TLS_PORT };

/**
 * Starts LMS and resolves once every mapped port AMT forwards is listening (or, at the handshake
 * timeout, at least one is).
 * @throws VmeError VME_ERR_USAGE non-loopback address; VME_ERR_LMS_LISTEN a port cannot be bound;
 *   VME_ERR_LMS_HANDSHAKE no handshake in time or the engine has no LME client; MeiErrnoError (ENOENT, …) opening the device
 */
export async function startLms(options: StartLmsOptions): Promise<RunningLms> {
  const address = options.address ?? '127.0.0.1';
  assertLoopback(address);
  const service = new LmsService(options, address);
  try {
    await service.connect();
    await service.ready(options.handshakeTimeoutMs ?? 5000);
  } catch (error) {
    await service.close();
    throw error;
  }
  return { addresses: service.addresses(), close: () => service.close() };
}

class LmsService {
  readonly #listeners = new Map<number, Server>();
  readonly #sockets = new Set<Socket>();
  readonly #ports: Readonly<Record<number, number>>;
  readonly #log: (line: string) => void;
  #transport: LmeTransport | undefined;
  #client: LmsClient | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closing = false;
  #startupError: VmeError | undefined;
  #progress: () => void = () => undefined;

  constructor(private readonly options: StartLmsOptions, private readonly address: string) {
    this.#ports = options.ports ?? DEFAULT_LMS_PORTS;
    this.#log = options.log ?? (() => undefined);
  }

  addresses(): LmsAddress[] {
    return [...this.#listeners].flatMap(([amtPort, server]) => {
      const bound = server.address();
      return bound && typeof bound === 'object' ? [{ amtPort, address: bound.address, port: bound.port }] : [];
    });
  }

  /** Opens the LME connection and starts the handshake. */
  async connect(): Promise<void> {
    let transport: LmeTransport;
    try {
      transport = await (this.options.transport ?? (() => openMeiTransport(this.options.device ?? 'state/mei0.sock')))();
    } catch (error) {
      if (error instanceof MeiErrnoError && error.errno === 'ENOTTY') {
        throw new VmeError('VME_ERR_LMS_HANDSHAKE', 'the engine has no LME client (its firmware does not offer AMT local management)');
      }
      throw error;
    }
    if (this.#closing) {
      await transport.close();
      return;
    }
    this.#transport = transport;
    const client = createLmsClient({
      ...this.options.limits, maxMessageBytes: transport.maxMessageBytes,
      send: (message) => { transport.send(message).catch(() => undefined); },
      forward: (request) => this.#forward(request),
      cancelForward: (request) => this.#log(`AMT cancelled the forward of port ${request.port}`),
      onEvent: (event) => this.#onEvent(event),
    });
    this.#client = client;
    transport.start({ message: (bytes) => client.receive(bytes), closed: (error) => this.#lost(transport, error) });
    this.#log(`LME connected (messages up to ${transport.maxMessageBytes} bytes); handshaking`);
    client.start();
  }

  /** Resolves when every mapped port is listening; at the timeout, when at least one is. */
  ready(timeoutMs: number): Promise<void> {
    const wanted = Object.keys(this.#ports).map(Number);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => done(true), timeoutMs);
      const done = (timedOut: boolean): void => {
        clearTimeout(timer);
        this.#progress = () => undefined;
        if (this.#startupError) reject(this.#startupError);
        else if (this.#listeners.size > 0) resolve();
        else if (timedOut) reject(new VmeError('VME_ERR_LMS_HANDSHAKE', `the engine forwarded no port within ${timeoutMs} ms`));
      };
      this.#progress = () => {
        if (this.#startupError || wanted.every((port) => this.#listeners.has(port))) done(false);
      };
      this.#progress();
    });
  }

  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    clearTimeout(this.#retry);
    this.#client?.close();
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all([...this.#listeners.values()].map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    this.#listeners.clear();
    await this.#transport?.close();
  }

  /** AMT asks the host to listen on `request.port`. */
  async #forward(request: LmsForwardRequest): Promise<boolean> {
    const local = this.#ports[request.port];
    if (local === undefined) {
      this.#log(`AMT forwards port ${request.port}: not mapped here, refused`);
      return false;
    }
    if (this.#listeners.has(request.port)) return true;
    try {
      const server = await this.#listen(request.port, local);
      if (this.#closing) {
        server.close();
        return false;
      }
      this.#listeners.set(request.port, server);
      const bound = server.address();
      this.#log(`AMT port ${request.port} → listening on ${this.address}:${bound && typeof bound === 'object' ? bound.port : local}`);
      return true;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#log(`AMT port ${request.port}: cannot listen on ${this.address}:${local}: ${reason}`);
      this.#startupError ??= new VmeError('VME_ERR_LMS_LISTEN', `cannot listen on ${this.address}:${local} for AMT port ${request.port}: ${reason}`, { port: local });
      return false;
    } finally {
      this.#progress();
    }
  }

  #listen(amtPort: number, port: number): Promise<Server> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.#accept(amtPort, socket));
      server.once('error', reject);
      server.listen({ host: this.address, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', (error) => this.#log(`listener for AMT port ${amtPort}: ${error.message}`));
        resolve(server);
      });
    });
  }

  /** One local connection = one channel. */
  #accept(amtPort: number, socket: Socket): void {
    const peer = { address: socket.remoteAddress ?? this.address, port: socket.remotePort ?? 0 };
    const connection = this.#client?.connect(amtPort, peer, {
      write: (bytes) => socket.write(bytes),
      end: () => socket.end(),
      drain: () => socket.resume(),
    });
    if (!connection) {
      if (this.options.verbose) this.#log(`connection from ${peer.address}:${peer.port} refused: no LME session`);
      socket.destroy();
      return;
    }
    if (this.options.verbose) this.#log(`connection from ${peer.address}:${peer.port} → AMT ${amtPort} (channel ${connection.channel})`);
    this.#sockets.add(socket);
    socket.on('data', (chunk: Buffer) => { if (!connection.write(chunk)) socket.pause(); });
    socket.on('end', () => connection.end());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.#sockets.delete(socket);
      connection.end();
    });
  }

  #onEvent(event: LmsClientEvent): void {
    switch (event.type) {
      case 'handshake': return this.#log(`AMT speaks APF ${event.major}.${event.minor}`);
      case 'error': this.#log(`APF session error: ${event.error.message}; restarting`); return this.#restart();
      case 'disconnected': this.#log(`AMT disconnected the session (reason ${event.reason}); restarting`); return this.#restart();
      case 'channel-refused': if (this.options.verbose) this.#log(`AMT refused a channel to port ${event.port} (reason ${event.reason})`); return undefined;
      case 'channel-closed': if (this.options.verbose) this.#log(`channel ${event.channel} closed`); return undefined;
      default: return undefined;
    }
  }

  /** A new handshake on the same LME connection after a pause. */
  #restart(): void {
    if (this.#closing) return;
    clearTimeout(this.#retry);
    this.#retry = setTimeout(() => this.#client?.start(), this.options.retryDelayMs ?? 2000);
  }

  /** The LME connection ended (engine down, reset): end the connections, reconnect after a pause. */
  #lost(transport: LmeTransport, error?: Error): void {
    if (this.#closing || this.#transport !== transport) return;
    this.#client?.reset();
    this.#transport = undefined;
    this.#log(`LME connection lost${error ? `: ${error.message}` : ''}; reconnecting`);
    const again = (): void => {
      if (this.#closing) return;
      this.connect().catch((reason: unknown) => {
        this.#log(`reconnect failed: ${reason instanceof Error ? reason.message : String(reason)}`);
        this.#retry = setTimeout(again, this.options.retryDelayMs ?? 2000);
      });
    };
    clearTimeout(this.#retry);
    this.#retry = setTimeout(again, this.options.retryDelayMs ?? 2000);
  }
}
