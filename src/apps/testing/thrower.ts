/** Test app `thrower`: `boom` throws (a fault: the supervisor restarts it); `refuse` replies with an AppError (not a fault). */
import { AppError, defineApp } from '../../kernel/app-api.js';
import { THROWER_INTERFACE } from './interfaces.js';

export default defineApp({
  interface: THROWER_INTERFACE,
  start() {
    return {
      handlers: {
        boom: () => {
          throw new TypeError('thrower was asked to throw');
        },
        refuse: () => {
          throw new AppError('refused', 'thrower refuses politely');
        },
        ping: () => ({ pong: true }),
      },
    };
  },
});
