/** KVM for the host's screen: RFB sessions over a shared rendered screen, the loopback listener, screen sources. */
export { listenRfb, type ListenRfbOptions, type RfbListener } from './listen.js';
export { PointerLimiter, type PointerLimitOptions } from './pointer-limit.js';
export { ScreenFeed } from './screen-feed.js';
export { engineScreenSource, hostScreenSource, type Invoke, type ScreenFrame, type ScreenSource } from './screen-source.js';
export { serveRfbStream, type RfbSessionOptions } from './session.js';
