/**
 * Test app `netecho`: echoes every TCP connection on its granted plain port (ends when the peer
 * ends), echoes inside TLS on its `tls: true` port once given a key and certificate (`useTls`; the
 * app terminates TLS, the kernel moves bytes) and answers each UDP datagram with its bytes reversed
 * (`none` gets no answer). `crashOnData`, `spinOnData`, `forge` and `malformed` misbehave on
 * purpose for the kernel's network tests.
 */
import { createServer, type Server } from 'node:tls';
import { parentPort } from 'node:worker_threads';
import { connectionStream, defineApp, type AppConnection } from '../../kernel/app-api.js';
import { NETECHO_INTERFACE, NETECHO_TLS_PORT as TLS_PORT } from './interfaces.js';

/** A TLS server that never listens: connections are handed to it as streams. */
function tlsEcho(key: string, cert: string): Server {
  const server = createServer({ key, cert });
  server.on('tlsClientError', (_error, socket) => socket.destroy());
  server.on('secureConnection', (socket) => {
    socket.on('data', (bytes: Buffer) => socket.write(bytes));
    socket.on('end', () => socket.end());
    socket.on('error', () => socket.destroy());
  });
  return server;
}

export default defineApp({
  interface: NETECHO_INTERFACE,
  start(context) {
    const open = new Set<AppConnection>();
    let lastConnection = 0;
    let crash = false;
    let spin = false;
    let tls: Server | undefined;
    return {
      handlers: {
        info: async () => {
          const tcp = context.capabilities.find((id) => id.startsWith('net:')) ?? 'net:0';
          const { listening } = (await context.invoke(tcp, 'status', {})) as { listening: boolean };
          return { address: context.platform.networkAddress ?? '', open: open.size, lastConnection, listening };
        },
        crashOnData: () => {
          crash = true;
          return {};
        },
        spinOnData: () => {
          spin = true;
          return {};
        },
        forge: ({ connection }) => {
          const held = [...open][0];
          if (held) {
            const real = held.id;
            (held as { id: number }).id = connection;
            held.write(new TextEncoder().encode('forged'));
            (held as { id: number }).id = real;
          }
          return {};
        },
        useTls: ({ key, cert }) => {
          tls = tlsEcho(key, cert);
          return {};
        },
        malformed: () => {
          parentPort?.postMessage({ t: 'net-write', instance: 1, connection: 1, bytes: 'not bytes' });
          return {};
        },
      },
      onConnection(connection) {
        open.add(connection);
        lastConnection = connection.id;
        if (connection.port === TLS_PORT) {
          if (!tls) return connection.destroy();
          const stream = connectionStream(connection);
          stream.on('close', () => open.delete(connection));
          tls.emit('connection', stream);
          return;
        }
        connection.onData = (bytes) => {
          if (crash) throw new Error('netecho was asked to crash on data');
          while (spin) {
            // Deliberately never returns: only terminating the worker ends this.
          }
          // Two writes that are views of one shared buffer: each must leave the other intact.
          const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          connection.write(view.subarray(0, view.length >> 1));
          connection.write(view.subarray(view.length >> 1));
        };
        connection.onEnd = () => connection.end();
        connection.onClose = () => open.delete(connection);
      },
      onDatagram(_port, _remote, bytes) {
        return new TextDecoder().decode(bytes) === 'none' ? undefined : Uint8Array.from(bytes).reverse();
      },
    };
  },
});
