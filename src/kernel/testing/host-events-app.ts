/**
 * A kernel test app (never in a build): it records the HECI connection events it hears — slowly,
 * so a message that overtook its event would show — and answers every host message with what it
 * recorded so far, as JSON. Used by host-connection.test.ts.
 */
import { defineApp } from '../app-api.js';

export default defineApp({
  interface: undefined,
  start() {
    const log: string[] = [];
    return {
      onHostConnection: async (client, event) => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        log.push(`${client.slice(0, 4)} ${event}`);
      },
      onHostMessage: (client, bytes) => {
        log.push(`${client.slice(0, 4)} message ${bytes.length}`);
        return new TextEncoder().encode(JSON.stringify(log));
      },
    };
  },
});
