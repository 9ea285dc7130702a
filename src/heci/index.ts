/** Public API of the HECI bus: firmware side, host driver model, device socket and host library. */
export * from './errno.js';
export * from './uuid.js';
export * from './header.js';
export * from './hbm.js';
export { CircularBuffer, DEFAULT_BUFFER_DEPTH } from './circular-buffer.js';
export { HeciLink } from './link.js';
export { HeciBus, BUS_COUNTERS, type BusCounter, type HeciBusOptions, type ConnectionInfo } from './bus.js';
export type { HeciConnection } from './bus-connection.js';
export type { HeciClientHandler, HeciClientRegistration, RegisteredClient } from './bus-registry.js';
export { MeiHostDriver, type EnumeratedClient, type MeiHostDriverOptions } from './host-driver.js';
export { MeiFile, type ConnectResult } from './driver-file.js';
export { HeciPlatform, type HeciPlatformOptions } from './platform.js';
export { MeiDeviceServer } from './device-server.js';
export { DEVICE_OPERATION, DEVICE_FRAME, MEI_IOCTL, encodeDeviceFrame } from './socket-protocol.js';
export { MeiDevice, DEFAULT_TIMEOUT_MS } from './host-library.js';
export { registerGrantedClients, requestReplyHandler, type GrantedHeciClient, type HostConnectionChange, type ServeHostConnection, type ServeHostMessage } from './engine-seam.js';
