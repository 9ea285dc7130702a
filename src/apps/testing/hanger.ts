/** Test app `hanger`: `spin` blocks its worker's thread for good; `stall` never answers but leaves the thread free. */
import { defineApp } from '../../kernel/app-api.js';
import { HANGER_INTERFACE } from './interfaces.js';

export default defineApp({
  interface: HANGER_INTERFACE,
  start() {
    return {
      handlers: {
        spin: () => {
          for (;;) {
            // Deliberately never returns: only terminating the worker ends this.
          }
        },
        stall: () => new Promise<Record<string, never>>(() => undefined),
        ping: () => ({ pong: true }),
      },
    };
  },
});
