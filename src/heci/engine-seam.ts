/**
 * Where the engine meets the bus: every HECI client an app's manifest grants becomes a firmware
 * client whose messages go to the app through the kernel's request/reply seam
 * (`handleHostMessage(clientUuid, bytes) → reply`), and whose connections and disconnections go to
 * it as events (`handleHostConnection(clientUuid, 'connected' | 'disconnected')`). Events and
 * messages of one client are served one after another in the order they happened, so a message
 * after a reconnect reaches the app after its 'connected' event; the app's own (firmware-initiated)
 * messages reach a new connection only once it has handled that event, so whatever an old session
 * sends late is dropped (`sendToClient` counts nothing) instead of reaching the new host. A failing
 * app faults only the connection (the engine disconnects it); the bus and the other clients keep
 * serving.
 */
import type { HeciConnection } from './bus-connection.js';
import type { HeciClientHandler, RegisteredClient } from './bus-registry.js';
import type { HeciBus } from './bus.js';

/** The part of a manifest's HECI grant the bus needs. */
export interface GrantedHeciClient {
  readonly uuid: string;
  readonly name: string;
  readonly maxMessageBytes: number;
  readonly protocolVersion?: number;
  readonly maxConnections?: number;
}

/** Serves a message and returns the reply (empty = no reply). */
export type ServeHostMessage = (clientUuid: string, message: Uint8Array) => Uint8Array | Promise<Uint8Array>;

/** What happened to a host's connection to a client. */
export type HostConnectionChange = 'connected' | 'disconnected';

/** Tells the client's owner about a connection change (a rejection is ignored: the bus goes on). */
export type ServeHostConnection = (clientUuid: string, event: HostConnectionChange) => void | Promise<void>;

/**
 * A handler that answers each message with `serve`'s reply on the same connection and reports
 * connection changes to `onConnection`; all of them in one queue per client, in bus order.
 */
export function requestReplyHandler(clientUuid: string, serve: ServeHostMessage, onConnection?: ServeHostConnection): HeciClientHandler {
  let tail: Promise<unknown> = Promise.resolve();
  const queue = <T>(task: () => T | Promise<T>): Promise<T> => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
  /** Queues the event; `done` runs once the owner handled it (or failed to), before anything queued later. */
  const event = (change: HostConnectionChange, done: () => void = () => undefined): void => {
    if (!onConnection) return;
    void queue(async () => {
      try {
        await onConnection(clientUuid, change);
      } finally {
        done();
      }
    }).catch(() => undefined);
  };
  return {
    async onMessage(connection: HeciConnection, message: Uint8Array): Promise<void> {
      const reply = await queue(() => serve(clientUuid, message));
      if (reply.length > 0 && connection.isOpen) connection.send(reply);
    },
    onConnect: (connection) => {
      if (!onConnection) return;
      connection.acceptsFirmwareMessages = false;
      event('connected', () => {
        connection.acceptsFirmwareMessages = true;
      });
    },
    onDisconnect: () => event('disconnected'),
  };
}

/**
 * Registers each granted client on `bus`, served by `serve` (e.g. `kernel.handleHostMessage`) and
 * told of connection changes through `onConnection` (e.g. `kernel.handleHostConnection`).
 * Defaults: protocol version 1, one connection at a time.
 * @throws VmeError VME_ERR_HECI_REGISTRATION for an invalid or duplicate grant
 */
export function registerGrantedClients(bus: HeciBus, grants: readonly GrantedHeciClient[], serve: ServeHostMessage, onConnection?: ServeHostConnection): RegisteredClient[] {
  return grants.map((grant) => bus.registerClient({
    uuid: grant.uuid, name: grant.name, maxMessageBytes: grant.maxMessageBytes,
    protocolVersion: grant.protocolVersion ?? 1, maxConnections: grant.maxConnections ?? 1,
    handler: requestReplyHandler(grant.uuid.toLowerCase(), serve, onConnection),
  }));
}
