/**
 * Test helpers: an `LmeTransport` whose other end is an in-process LME server (createLmeServer),
 * with each direction delivered asynchronously like a device would, and a way to drop the link.
 */
import { createLmeServer, type LmeServer, type LmeServerEvent, type LmeServerOptions } from '../../protocols/apf/index.js';
import type { LmeReceiver, LmeTransport } from './transport.js';

export const ENGINE_UUID = Uint8Array.from({ length: 16 }, (_, i) => i + 1);

export interface PipeEngine {
  /** The engine end of the current connection (a new one per `transport()` call). */
  server: LmeServer | undefined;
  readonly events: LmeServerEvent[];
  /** Opens a connection (give it to startLms as `transport`). */
  transport(): Promise<LmeTransport>;
  /** The engine goes away: the transport reports `closed`. */
  drop(): void;
  /** A message straight to the host, as if the engine sent it (e.g. a malformed one). */
  injectToHost(bytes: Uint8Array): void;
  connections: number;
}

export function pipeEngine(options: Pick<LmeServerOptions, 'openChannel'> & Partial<LmeServerOptions>, maxMessageBytes = 4096): PipeEngine {
  let receiver: LmeReceiver | undefined;
  let open = false;
  const engine: PipeEngine = {
    server: undefined, events: [], connections: 0,
    transport: () => {
      engine.connections += 1;
      open = true;
      const server = createLmeServer({
        uuid: ENGINE_UUID, maxMessageBytes, ...options,
        send: (message) => setImmediate(() => { if (open && engine.server === server) receiver?.message(message); }),
        onEvent: (event) => engine.events.push(event),
      });
      engine.server = server;
      return Promise.resolve({
        maxMessageBytes,
        send: (message) => {
          if (!open) return Promise.reject(new Error('link down'));
          setImmediate(() => { if (open && engine.server === server) server.receive(message); });
          return Promise.resolve();
        },
        start: (r) => { receiver = r; },
        // like the MEI transport, sends already queued still arrive
        close: () => new Promise<void>((resolve) => setImmediate(() => { open = false; resolve(); })),
      });
    },
    injectToHost: (bytes) => receiver?.message(bytes),
    drop: () => {
      open = false;
      engine.server?.reset();
      receiver?.closed(new Error('engine reset'));
    },
  };
  return engine;
}
