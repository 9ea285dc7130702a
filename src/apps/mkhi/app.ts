/**
 * The platform-management app (MKHI): serves the MKHI HECI clients with the one MKHI
 * implementation (src/protocols/mkhi) over the kernel's platform facts — firmware version from the
 * verified manifest, booted partition, SKU — records End-of-POST as a platform fact (capability
 * `platform:end-of-post`), turns GLOBAL_RESET into a host power reset, reports the firmware status
 * words, counts boots in its NVRAM namespace. No authority beyond its grant.
 */
import { AppError, defineApp, type AppContext } from '../../kernel/app-api.js';
import { createMkhiServer, firmwareStatus, type MkhiServer } from '../../protocols/mkhi/index.js';
import { MKHI_INTERFACE } from './interface.js';

const BOOT_COUNT = 'boot-count';

const encodeCount = (n: number): Uint8Array => new TextEncoder().encode(String(n));
const decodeCount = (bytes: Uint8Array | undefined): number => (bytes ? Number.parseInt(new TextDecoder().decode(bytes), 10) || 0 : 0);

async function countBoot(context: AppContext): Promise<number> {
  try {
    const count = decodeCount(await context.nvram.get(BOOT_COUNT)) + 1;
    await context.nvram.put(BOOT_COUNT, encodeCount(count));
    return count;
  } catch {
    return 0; // NVRAM unavailable (degraded engine): keep serving, report 0 boots.
  }
}

/** The MKHI server over this instance's view of the platform; side effects queue as kernel requests. */
function mkhiServer(context: AppContext, facts: { endOfPost: boolean }, effects: (() => Promise<unknown>)[]): MkhiServer {
  const { platform } = context;
  return createMkhiServer({
    platform: {
      firmware: { version: platform.firmwareVersion },
      partition: platform.partition,
      features: platform.apps.includes('amthi') ? ['amt'] : [],
      firmwareUpdateEnabled: platform.partition === 'NFTP',
      isEndOfPost: () => facts.endOfPost,
    },
    onEndOfPost: () => {
      facts.endOfPost = true;
      effects.push(() => context.setEndOfPost());
    },
    onGlobalReset: () => void effects.push(() => context.hostRequest('power', 'reset')),
  });
}

export default defineApp({
  interface: MKHI_INTERFACE,
  async start(context) {
    const started = performance.now();
    const { platform } = context;
    const bootCount = await countBoot(context);
    const facts = { endOfPost: false };
    const effects: (() => Promise<unknown>)[] = [];
    const server = mkhiServer(context, facts, effects);
    return {
      handlers: {
        getVersion: () => ({ firmware: platform.firmwareVersion, svn: platform.svn, partition: platform.partition, app: '1.0.0' }),
        getCapabilities: () => ({ apps: [...platform.apps] }),
        getStatus: () => ({ engineState: platform.engineState, partition: platform.partition, bootCount, uptimeMs: Math.round(performance.now() - started) }),
        getFirmwareStatus: () => firmwareStatus({ recovery: platform.partition === 'FTPR', hmrfpoEnabled: server.volatile().hmrfpoEnabled, sku: platform.sku }),
      },
      // The kernel's End-of-POST fact is read before each message (a host reset clears it) and
      // written before the reply leaves, so the BIOS never sees END_OF_POST acknowledged first.
      onHostMessage: async (_client, bytes) => {
        facts.endOfPost = (await context.platformFacts()).endOfPost;
        const reply = server.handle(bytes);
        for (const effect of effects.splice(0)) {
          await effect().catch((error: unknown) => {
            throw new AppError('kernel-refused', `the kernel refused an MKHI side effect: ${(error as Error).message}`);
          });
        }
        return reply;
      },
    };
  },
});
