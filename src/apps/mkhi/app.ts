/**
 * The platform-management app (MKHI): serves the MKHI HECI clients with the one MKHI
 * implementation (src/protocols/mkhi) over the kernel's platform facts — firmware version from the
 * verified manifest, booted partition, SKU — records End-of-POST as a platform fact (capability
 * `platform:end-of-post`), turns GLOBAL_RESET into a host power reset, reports the firmware status
 * words, counts boots in its NVRAM namespace. The FWCAPS feature state follows the MEBX settings,
 * asked from amt (capability `call:amt`, NFTP only) before each FWCAPS message. No authority
 * beyond its grant.
 */
import { AppError, defineApp, type AppContext } from '../../kernel/app-api.js';
import { createMkhiServer, firmwareStatus, MKHI_GROUP, type FeatureName, type MkhiServer } from '../../protocols/mkhi/index.js';
import { AMT_INTERFACE } from '../amt/interface.js';
import { MKHI_INTERFACE } from './interface.js';

/** How long an FWCAPS answer waits for amt before reporting no AMT (well inside the kernel's request deadline). */
const AMT_WAIT_MS = 1000;

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

/**
 * The FWCAPS feature bits from amt's MEBX settings: AMT while AMT is enabled, KVM while AMT is
 * enabled and KVM is on. No AMT when this firmware has no amt (recovery), no grant to call it, or
 * amt does not answer (unavailable, refusing, or slower than AMT_WAIT_MS): MKHI keeps serving.
 */
async function amtFeatures(context: AppContext): Promise<FeatureName[]> {
  if (!context.platform.apps.includes('amt') || !context.capabilities.includes('call:amt')) return [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), AMT_WAIT_MS);
  });
  try {
    const settings = await Promise.race([context.client(AMT_INTERFACE).getMebxSettings({}), timeout]);
    if (!settings?.amtEnabled) return [];
    return settings.kvm ? ['amt', 'kvm'] : ['amt'];
  } catch {
    return [];
  } finally {
    clearTimeout(timer);
  }
}

/** The MKHI server over this instance's view of the platform; side effects queue as kernel requests. */
function mkhiServer(context: AppContext, facts: { endOfPost: boolean; features: readonly FeatureName[] }, effects: (() => Promise<unknown>)[]): MkhiServer {
  const { platform } = context;
  return createMkhiServer({
    platform: {
      firmware: { version: platform.firmwareVersion },
      partition: platform.partition,
      features: () => facts.features,
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
    const facts: { endOfPost: boolean; features: readonly FeatureName[] } = { endOfPost: false, features: [] };
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
      // The feature bits are asked from amt before each FWCAPS message (MEBX may have changed them).
      onHostMessage: async (_client, bytes) => {
        facts.endOfPost = (await context.platformFacts()).endOfPost;
        if (bytes[0] === MKHI_GROUP.fwcaps) facts.features = await amtFeatures(context);
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
