/**
 * The platform-management app (MKHI): reports firmware version, the apps (capabilities) this
 * firmware carries and the engine's status, counts boots in its NVRAM namespace, and answers MKHI
 * host messages. It holds no authority beyond its grant (NVRAM `mkhi`, HECI MKHI clients, power).
 */
import { defineApp } from '../../kernel/app-api.js';
import { answerMkhi } from './host-messages.js';
import { MKHI_INTERFACE } from './interface.js';

const BOOT_COUNT = 'boot-count';

const encodeCount = (n: number): Uint8Array => new TextEncoder().encode(String(n));
const decodeCount = (bytes: Uint8Array | undefined): number => (bytes ? Number.parseInt(new TextDecoder().decode(bytes), 10) || 0 : 0);

export default defineApp({
  interface: MKHI_INTERFACE,
  async start(context) {
    const started = performance.now();
    const { platform } = context;
    let bootCount = 0;
    try {
      bootCount = decodeCount(await context.nvram.get(BOOT_COUNT)) + 1;
      await context.nvram.put(BOOT_COUNT, encodeCount(bootCount));
    } catch {
      // NVRAM unavailable (degraded engine): keep serving, report 0 boots.
      bootCount = 0;
    }
    return {
      handlers: {
        getVersion: () => ({ firmware: platform.firmwareVersion, svn: platform.svn, partition: platform.partition, app: '1.0.0' }),
        getCapabilities: () => ({ apps: [...platform.apps] }),
        getStatus: () => ({ engineState: platform.engineState, partition: platform.partition, bootCount, uptimeMs: Math.round(performance.now() - started) }),
      },
      onHostMessage: (_client, bytes) => answerMkhi(bytes, platform.firmwareVersion),
    };
  },
});
