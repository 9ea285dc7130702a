/**
 * The AMT app (the engine app that is AMT). Today its host interface: on the AMTHI HECI client it answers the host's PTHI commands with the
 * one PTHI implementation (src/protocols/pthi) over the AMT provisioning state in its NVRAM
 * namespace `amt` (AmtStateStore, every access an NVRAM syscall; every update one atomic commit).
 * End-of-POST is the kernel's platform fact, read before each message; pre-boot-only commands are
 * refused once it is set. It also serves the BIOS extension's MEBX client over the same state (pre-boot
 * only), and tells mkhi the MEBX feature settings (`getMebxSettings`, for the FWCAPS feature state). No authority beyond its grant (the AMTHI and MEBX clients, NVRAM `amt`).
 */
import { AmtStateStore, HASH_ALGORITHM, isAmtStateError, type HashAlgorithm } from '../../amt-state/index.js';
import { AppError, defineApp, type AppContext } from '../../kernel/app-api.js';
import { createPthiServer, type PthiServer } from '../../protocols/pthi/index.js';
import { createMebxServer, MEBX_CLIENT_UUID, type MebxServer } from '../../protocols/mebx/index.js';
import { AMT_INTERFACE } from './interface.js';
import { pthiPlatform, wiredLan } from './platform.js';

interface Served {
  readonly state: AmtStateStore;
  readonly server: PthiServer;
  /** The BIOS extension's client: same AMT state, pre-boot only (the server refuses after End-of-POST). */
  readonly mebx: MebxServer;
}

/** Opens the state (initialising a blank namespace) and the servers over it. */
async function open(context: AppContext, facts: { endOfPost: boolean }): Promise<Served> {
  const state = await AmtStateStore.open(context.nvram);
  const platform = pthiPlatform(context.platform, () => facts.endOfPost);
  const pthi = createPthiServer({ state, platform, clock: { now: () => Date.now() } });
  // MEBX settings are readable through PTHI: the LAN view follows them at every message.
  const server: PthiServer = {
    handle: async (bytes) => {
      const previous = platform.lan.wired;
      platform.lan.wired = await state.mebx().then((settings) => wiredLan(settings.network, previous.mac), () => previous);
      return pthi.handle(bytes);
    },
  };
  const mebx = createMebxServer({ state, nvram: context.nvram, isEndOfPost: () => facts.endOfPost });
  return { state, server, mebx };
}

export default defineApp({
  interface: AMT_INTERFACE,
  start(context) {
    const facts = { endOfPost: false };
    let served: Promise<Served> | undefined;
    // Opened on first use and retried after a failure, so an engine whose NVRAM is unusable still
    // starts this app and answers with a typed refusal instead of restarting it in a loop.
    const ready = async (): Promise<Served> => {
      served ??= open(context, facts);
      try {
        return await served;
      } catch (error) {
        served = undefined;
        throw new AppError('amt-state-unavailable', `the AMT state cannot be opened: ${(error as Error).message}`);
      }
    };
    void ready().catch(() => undefined); // open (and initialise) the state now; a failure is retried on use
    return {
      handlers: {
        getProvisioning: async () => ({ ...(await (await ready()).state.provisioning()) }),
        setAmtCertificateHash: async ({ algorithm, hash }) => {
          if (!Object.hasOwn(HASH_ALGORITHM, algorithm)) throw new AppError('invalid-argument', `unknown hash algorithm ${JSON.stringify(algorithm)}`);
          const { state } = await ready();
          await state.update({ amtCertificateHash: { algorithm: algorithm as HashAlgorithm, hash } }).catch((error: unknown) => {
            throw isAmtStateError(error, 'VME_ERR_AMT_STATE_ARGUMENT') ? new AppError('invalid-argument', error.message) : error;
          });
          return {};
        },
        getMebxSettings: async () => {
          const { amtEnabled, features } = await (await ready()).state.mebx();
          return { amtEnabled, sol: features.sol, ider: features.ider, kvm: features.kvm };
        },
      },
      onHostMessage: async (client, bytes) => {
        const { server, mebx } = await ready();
        facts.endOfPost = (await context.platformFacts()).endOfPost;
        return client.toLowerCase() === MEBX_CLIENT_UUID ? mebx.handle(bytes) : server.handle(bytes);
      },
    };
  },
});
