/** Public API of RMCP presence (UDP 623): codec, responder, dgram adapter. */
export { buildPong, PresencePing, PresencePong, RMCP, type PresencePingValue, type PresencePongValue, type PresenceState } from './presence.js';
export { respondToRmcp } from './responder.js';
export { listenRmcp, type RmcpListener } from './udp.js';
