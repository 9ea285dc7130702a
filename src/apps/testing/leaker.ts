/** Test app `leaker`: `leak` allocates until its worker hits its heap limit. */
import { defineApp } from '../../kernel/app-api.js';
import { LEAKER_INTERFACE } from './interfaces.js';

export default defineApp({
  interface: LEAKER_INTERFACE,
  start() {
    const hoard: unknown[] = [];
    return {
      handlers: {
        leak: () => {
          for (;;) hoard.push(new Array<number>(100_000).fill(hoard.length));
        },
        ping: () => ({ pong: true }),
      },
    };
  },
});
