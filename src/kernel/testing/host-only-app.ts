/** A kernel test app (never in a build) with HECI messages but no connection handler: events are ignored for it. */
import { defineApp } from '../app-api.js';

export default defineApp({
  interface: undefined,
  start: () => ({ onHostMessage: () => Uint8Array.of(1) }),
});
