/**
 * The thin socket adapter: AMT's web server on a loopback address, plain HTTP (16992) and TLS
 * (16993). Each TLS connection is set up with the TLS settings committed when it arrives, so a
 * commit changes new connections only. All protocol work happens in the sans-I/O core.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import { assertLoopback } from '../loopback.js';
import type { DigestAuthenticator } from '../auth/index.js';
import type { TlsSettings } from '../tls/index.js';
import { AmtHttpCore } from './core.js';
import type { AmtHandler, AmtTransport } from './handler.js';
import type { HttpLimits } from './limits.js';
import { attachHttpStream, tlsTerminator } from './tls-accept.js';
import type { AmtHttpProfile } from './profile.js';

export interface ListenAmtHttpOptions {
  /** A loopback IP literal (127.0.0.0/8 or ::1); nothing else is bound. */
  readonly host: string;
  /** Default 16992; 0 picks a free port. */
  readonly httpPort?: number;
  /** Default 16993; 0 picks a free port. Only with `tls`. */
  readonly tlsPort?: number;
  readonly tls?: TlsSettings;
  readonly handler: AmtHandler;
  readonly auth: DigestAuthenticator;
  readonly profile?: AmtHttpProfile;
  readonly limits?: Partial<HttpLimits>;
}

export interface AmtHttpListener {
  readonly core: AmtHttpCore;
  readonly http: AddressInfo;
  readonly tls?: AddressInfo;
  /** Stops listening and destroys open connections. */
  close(): Promise<void>;
}

/** @throws VmeError VME_ERR_USAGE for a non-loopback host. */
export async function listenAmtHttp(options: ListenAmtHttpOptions): Promise<AmtHttpListener> {
  assertLoopback(options.host);
  const core = new AmtHttpCore({ auth: options.auth, handler: options.handler, ...(options.profile ? { profile: options.profile } : {}), ...(options.limits ? { limits: options.limits } : {}) });
  const sockets = new Set<Socket>();
  const attach = (socket: Socket, transport: AmtTransport): void => attachConnection(core, socket, transport);
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const httpServer = createServer((socket) => {
    track(socket);
    attach(socket, 'http');
  });
  const servers: Server[] = [httpServer];
  const http = await listen(httpServer, options.host, options.httpPort ?? 16992);
  let tls: AddressInfo | undefined;
  const settings = options.tls;
  if (settings !== undefined) {
    const handshakes = tlsHandshakes(settings, (socket) => attach(socket, 'tls'), core.limits.idleTimeoutMs);
    const tlsServer = createServer((raw) => {
      track(raw);
      handshakes().emit('connection', raw);
    });
    servers.push(tlsServer);
    tls = await listen(tlsServer, options.host, options.tlsPort ?? 16993);
  }
  const close = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  };
  return { core, http, ...(tls ? { tls } : {}), close };
}

/**
 * One TLS terminator per committed settings generation: each raw socket is handed to the one
 * current when it arrives, so a commit affects new connections only.
 */
function tlsHandshakes(settings: TlsSettings, onSecure: (socket: TLSSocket) => void, handshakeTimeoutMs: number): () => TlsServer {
  let current: { generation: number; server: TlsServer } | undefined;
  return () => {
    const active = settings.active;
    if (current?.generation !== active.generation) current = { generation: active.generation, server: tlsTerminator(active, onSecure, handshakeTimeoutMs) };
    return current.server;
  };
}

function attachConnection(core: AmtHttpCore, socket: Socket, transport: AmtTransport): void {
  socket.setNoDelay(true);
  attachHttpStream(core, socket, { transport, remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 } });
}

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}
