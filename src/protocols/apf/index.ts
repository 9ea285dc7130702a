/** Public API of APF (AMT Port Forwarding over LME/CIRA): message declarations and both sans-I/O session ends. */
export * from './constants.js';
export { ApfError, type ApfErrorCode, type ApfProblem } from './errors.js';
export { APF_MESSAGES, APF_LIMITS, CHANNEL_DATA_HEADER_BYTES, apf, decodeApf, encodeApf, type ApfMessage, type ApfMessageOf } from './messages.js';
export { APF_DEFAULT_LIMITS, type ApfLimits } from './session.js';
export { createLmeServer, type LmeServer, type LmeServerOptions, type LmeServerEvent, type LmeServerState, type LmeChannelIo, type LmeChannelHandle } from './server.js';
export {
  createLmsClient, type LmsClient, type LmsClientOptions, type LmsClientEvent, type LmsClientState, type LmsConnection,
  type LmsConnectionIo, type LmsForwardRequest, type LmsEndpoint,
} from './client.js';
