/**
 * What every AMT web server front end shares, whoever owns the sockets (the socket adapter in
 * server.ts, or the AMT app that gets a connection's raw bytes from the kernel and terminates TLS
 * itself, as AMT firmware does):
 * - `tlsTerminator`: a node:tls server (never listening) for one committed TLS settings generation.
 *   node:tls does the handshake and checks the client chain (mutual authentication); TrustedCN is
 *   checked here. A peer that fails either is destroyed before any HTTP.
 * - `attachHttpStream`: one byte stream ↔ one sans-I/O HTTP connection, with the idle timeout and
 *   abort on close.
 */
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import type { ActiveTls } from '../tls/index.js';
import type { AmtHttpConnection, ConnectionContext } from './connection.js';
import type { AmtHttpCore } from './core.js';

/**
 * Hand raw streams to it with `emit('connection', stream)`; `onSecure` gets each accepted TLS socket.
 * A handshake not finished within `handshakeTimeoutMs` is dropped.
 */
export function tlsTerminator(active: ActiveTls, onSecure: (socket: TLSSocket) => void, handshakeTimeoutMs = 30_000): TlsServer {
  const server = createTlsServer({ ...active.serverOptions, handshakeTimeout: handshakeTimeoutMs });
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  server.on('secureConnection', (socket: TLSSocket) => {
    if (!trustedPeer(active, socket)) {
      socket.destroy();
      return;
    }
    onSecure(socket);
  });
  return server;
}

/** AMT_TLSSettingData.TrustedCN: with mutual authentication and a non-empty list, the client's CN must be listed. */
function trustedPeer(active: ActiveTls, socket: TLSSocket): boolean {
  const names = active.config.trustedCommonNames;
  if (!active.config.mutualAuthentication || names.length === 0) return true;
  const commonName = socket.getPeerCertificate().subject?.CN;
  return typeof commonName === 'string' && names.includes(commonName);
}

/**
 * Feeds `stream` to a new connection of `core`; destroys it after `core.limits.idleTimeoutMs`
 * without traffic, or when a request takes longer than `requestTimeoutMs` from its first byte.
 */
export function attachHttpStream(core: AmtHttpCore, stream: Duplex, context: ConnectionContext): AmtHttpConnection {
  const idle = setTimeout(() => stream.destroy(), core.limits.idleTimeoutMs);
  idle.unref();
  let request: NodeJS.Timeout | undefined;
  const connection = core.connect(context, {
    write: (bytes) => {
      if (stream.destroyed) return;
      idle.refresh();
      stream.write(bytes);
    },
    end: () => stream.end(),
  });
  stream.on('data', (bytes: Buffer) => {
    idle.refresh();
    connection.receive(bytes);
    if (!connection.receivingRequest) {
      clearTimeout(request);
      request = undefined;
    } else if (request === undefined) {
      request = setTimeout(() => stream.destroy(), core.limits.requestTimeoutMs);
      request.unref();
    }
  });
  // The peer sent FIN: answer what it sent, then end our side too, so a client that went away does
  // not hold one of the listener's connections until the idle timeout (a half-open stream stays open).
  stream.on('end', () => void connection.settled().then(() => stream.end()));
  stream.on('close', () => {
    clearTimeout(idle);
    clearTimeout(request);
    connection.abort();
  });
  stream.on('error', () => stream.destroy());
  return connection;
}
