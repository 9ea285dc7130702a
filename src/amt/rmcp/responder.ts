/**
 * The sans-I/O RMCP responder: one datagram in, the pong (or nothing) out. Anything that is not an
 * exact presence ping is dropped silently, as a device does with stray UDP.
 */
import { DecodeError } from '../../codec/index.js';
import { buildPong, PresencePing, type PresenceState } from './presence.js';

/** The pong for a valid presence ping while responses are enabled; otherwise undefined. */
export function respondToRmcp(datagram: Uint8Array, state: PresenceState): Uint8Array | undefined {
  if (!state.enabled || datagram.length !== PresencePing.size) return undefined;
  try {
    return buildPong(PresencePing.parse(datagram), state);
  } catch (error) {
    if (error instanceof DecodeError) return undefined;
    throw error;
  }
}
