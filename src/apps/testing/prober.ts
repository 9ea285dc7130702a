/** Test app `prober`: granted nothing; tries NVRAM, host power, a crypto key, a forged id, a HECI client, setting End-of-POST and engine memory. */
import { defineApp } from '../../kernel/app-api.js';
import { PROBER_INTERFACE } from './interfaces.js';

const codeOf = (error: unknown): string => (error as { code?: string }).code ?? 'none';

export default defineApp({
  interface: PROBER_INTERFACE,
  start(context) {
    const attempt = (label: string, work: () => Promise<unknown>): Promise<string> => work().then(() => `${label}:none`, (error: unknown) => `${label}:${codeOf(error)}`);
    return {
      handlers: {
        probe: async () => ({
          results: await Promise.all([
            attempt('nvram', () => context.nvram.get('x')),
            attempt('host:power', () => context.hostRequest('power', 'off')),
            attempt('crypto:platform', () => context.hmac('platform', new Uint8Array(4))),
            attempt('forged', () => context.invoke('nvram:mkhi', 'get', { key: 'boot-count' })),
            attempt('heci', () => context.invoke('heci:8e6a6715-9abc-4043-88ef-9e39c6f63e0f', 'notify', { bytes: new Uint8Array(1) })),
            attempt('platform:end-of-post', () => context.setEndOfPost()),
            attempt('platform.setEndOfPost', () => context.invoke('platform', 'setEndOfPost', {})),
          ]),
        }),
        probeMemory: () => context.memory.allocate().then(() => ({ code: 'none' }), (error: unknown) => ({ code: codeOf(error) })),
      },
    };
  },
});
