/** Test app `caller`: may call `echo` (granted); tries an operation echo reserves and an app it has no grant for. */
import { defineApp } from '../../kernel/app-api.js';
import { MKHI_INTERFACE } from '../mkhi/interface.js';
import { CALLER_INTERFACE, ECHO_INTERFACE } from './interfaces.js';

const codeOf = (error: unknown): string => (error as { code?: string }).code ?? 'none';

export default defineApp({
  interface: CALLER_INTERFACE,
  start(context) {
    const echo = context.client(ECHO_INTERFACE);
    return {
      handlers: {
        callEcho: async () => ({ text: (await echo.echo({ text: 'via caller' })).text }),
        callSecret: async () => echo.secret({}).then(() => ({ code: 'none' }), (error: unknown) => ({ code: codeOf(error) })),
        callMkhi: async () => context.client(MKHI_INTERFACE).getVersion({}).then(() => ({ code: 'none' }), (error: unknown) => ({ code: codeOf(error) })),
        // Skips the client-side check (as a compromised app would) to show the kernel's own check.
        callOversized: async () => context.invoke('call:echo', 'echo', { text: 'x'.repeat(65) }).then(() => ({ code: 'none' }), (error: unknown) => ({ code: codeOf(error) })),
      },
    };
  },
});
