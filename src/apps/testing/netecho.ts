/**
 * Test app `netecho`: echoes every TCP connection on its granted port (ends when the peer ends) and
 * answers each UDP datagram with its bytes reversed (`none` gets no answer). `crashOnData`,
 * `spinOnData`, `forge` and `malformed` misbehave on purpose for the kernel's network tests.
 */
import { parentPort } from 'node:worker_threads';
import { defineApp, type AppConnection } from '../../kernel/app-api.js';
import { NETECHO_INTERFACE } from './interfaces.js';

export default defineApp({
  interface: NETECHO_INTERFACE,
  start(context) {
    const open = new Set<AppConnection>();
    let lastConnection = 0;
    let crash = false;
    let spin = false;
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
        malformed: () => {
          parentPort?.postMessage({ t: 'net-write', instance: 1, connection: 1, bytes: 'not bytes' });
          return {};
        },
      },
      onConnection(connection) {
        open.add(connection);
        lastConnection = connection.id;
        connection.onData = (bytes) => {
          if (crash) throw new Error('netecho was asked to crash on data');
          while (spin) {
            // Deliberately never returns: only terminating the worker ends this.
          }
          connection.write(bytes);
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
