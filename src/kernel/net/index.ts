/** The kernel's network device (design 0009): granted listeners on the platform's loopback address. */
export { PlatformNetwork, checkNetworkAddress, type NetworkOptions } from './platform-network.js';
export { AppNetwork, DEFAULT_NETWORK_LIMITS, type NetworkLimits } from './app-network.js';
export { MAX_DATAGRAM_BYTES, type NetworkListenerStatus } from './listeners.js';
