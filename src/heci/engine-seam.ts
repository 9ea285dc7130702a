/**
 * Where the engine meets the bus: every HECI client an app's manifest grants becomes a firmware
 * client whose messages go to the app through the kernel's request/reply seam
 * (`handleHostMessage(clientUuid, bytes) → reply`). A failing app faults only the connection
 * (the engine disconnects it); the bus and the other clients keep serving.
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

/** A handler that answers each message with `serve`'s reply on the same connection. */
export function requestReplyHandler(clientUuid: string, serve: ServeHostMessage): HeciClientHandler {
  return {
    async onMessage(connection: HeciConnection, message: Uint8Array): Promise<void> {
      const reply = await serve(clientUuid, message);
      if (reply.length > 0 && connection.isOpen) connection.send(reply);
    },
  };
}

/**
 * Registers each granted client on `bus`, served by `serve` (e.g. `kernel.handleHostMessage`).
 * Defaults: protocol version 1, one connection at a time.
 * @throws VmeError VME_ERR_HECI_REGISTRATION for an invalid or duplicate grant
 */
export function registerGrantedClients(bus: HeciBus, grants: readonly GrantedHeciClient[], serve: ServeHostMessage): RegisteredClient[] {
  return grants.map((grant) => bus.registerClient({
    uuid: grant.uuid, name: grant.name, maxMessageBytes: grant.maxMessageBytes,
    protocolVersion: grant.protocolVersion ?? 1, maxConnections: grant.maxConnections ?? 1,
    handler: requestReplyHandler(grant.uuid.toLowerCase(), serve),
  }));
}
