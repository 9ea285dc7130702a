/** Test app `echo`: echoes text, counts calls in memory (lost on restart) and in NVRAM (kept); `crash` faults it. */
import { defineApp } from '../../kernel/app-api.js';
import { ECHO_INTERFACE } from './interfaces.js';

export default defineApp({
  interface: ECHO_INTERFACE,
  start(context) {
    let calls = 0;
    return {
      handlers: {
        echo: async ({ text }) => {
          calls++;
          const persisted = Number(new TextDecoder().decode((await context.nvram.get('calls')) ?? new Uint8Array())) + 1;
          await context.nvram.put('calls', new TextEncoder().encode(String(persisted)));
          return { text, calls, persisted };
        },
        secret: () => ({ pong: true }),
        crash: () => {
          throw new Error('echo was asked to crash');
        },
      },
    };
  },
});
