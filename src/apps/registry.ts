/**
 * The app code this build carries, by app name: the kernel loads an app only if the verified
 * manifest names it *and* it is here. Test apps are not listed; tests pass their own registry.
 */
import type { AppRegistry } from '../kernel/index.js';
import { AMT_INTERFACE } from './amt/interface.js';
import { MKHI_INTERFACE } from './mkhi/interface.js';

export const DEFAULT_APP_REGISTRY: AppRegistry = Object.freeze({
  mkhi: { moduleUrl: new URL('./mkhi/app.js', import.meta.url).href, interface: MKHI_INTERFACE },
  amt: { moduleUrl: new URL('./amt/app.js', import.meta.url).href, interface: AMT_INTERFACE },
});
