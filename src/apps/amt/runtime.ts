/**
 * One platform's AMT as the app holds it for one incarnation, opened at start: the NVRAM cache with
 * the AMT state store and the WS-Man state on it (one truth for PTHI, MEBX and WS-Man), the device
 * identity (identity.ts), the PTHI and MEBX servers, the device port and the mutex every request
 * to this state takes. Opening initialises a blank namespace in one commit.
 */
import { AmtStateStore } from '../../amt-state/index.js';
import type { PlatformFacts } from '../../amt/wsman/facts.js';
import type { AppContext, PlatformFactsView } from '../../kernel/app-api.js';
import { createMebxServer, MebxPasswordStore, type MebxServer } from '../../protocols/mebx/index.js';
import { createPthiServer, type PthiServer } from '../../protocols/pthi/index.js';
import { AmtDevice } from './device.js';
import { DeviceIdentity } from './identity.js';
import { Mutex } from './mutex.js';
import { NvramCache } from './nvram-cache.js';
import { platformRealm, pthiPlatform, wiredLan, wsmanFacts } from './platform.js';
import { NvramWsmanState } from './slot-state.js';

export interface AmtRuntime {
  readonly context: AppContext;
  readonly cache: NvramCache;
  readonly store: AmtStateStore;
  /** What requests read and change (staged until their commit). */
  readonly state: NvramWsmanState;
  /** NVRAM as committed, read-only: what the Digest directories and the port policy read. */
  readonly committed: NvramWsmanState;
  readonly lock: Mutex;
  readonly device: AmtDevice;
  /** Kernel platform facts as last read (refreshFacts). */
  readonly facts: { endOfPost: boolean };
  readonly pthi: PthiServer;
  readonly mebx: MebxServer;
  /** The MEBX password record (WS-Man SetMEBxPassword stores through it). */
  readonly passwords: MebxPasswordStore;
  readonly identity: DeviceIdentity;
  readonly realm: string;
  readonly wsmanFacts: PlatformFacts;
}

export interface RuntimeOptions {
  /** scrypt N for MEBX password hashes (tests lower it). */
  readonly scryptCost?: number;
}

/** Opens the platform's AMT (initialising a blank namespace); with a network, the identity is made now. */
export async function openRuntime(context: AppContext, options: RuntimeOptions = {}): Promise<AmtRuntime> {
  const cache = await NvramCache.open(context.nvram);
  const store = await AmtStateStore.open(cache);
  await cache.flush();
  const state = new NvramWsmanState(cache);
  const committed = new NvramWsmanState(cache, { committed: true });
  const lock = new Mutex();
  const facts = { endOfPost: false };
  const address = context.platform.networkAddress;
  const identity = new DeviceIdentity({ cache, store, lock, committed, certificate: { ipAddresses: [...new Set(['127.0.0.1', ...(address === undefined ? [] : [address])])] } });
  if (address !== undefined) void identity.ensure().catch(() => undefined); // retried at first need
  const cost = options.scryptCost === undefined ? {} : { scryptCost: options.scryptCost };
  return {
    context, cache, store, state, committed, lock, device: new AmtDevice(), facts, identity,
    pthi: pthiServer(context, store, facts), mebx: createMebxServer({ state: store, nvram: cache, isEndOfPost: () => facts.endOfPost, ...cost }),
    passwords: new MebxPasswordStore(cache, options.scryptCost === undefined ? {} : { cost: options.scryptCost }),
    realm: platformRealm(context.platform.platformUuid), wsmanFacts: wsmanFacts(context.platform),
  };
}

/**
 * Reads the kernel's platform facts (End-of-POST, host power) before a request: the view the kernel
 * pushed (no syscall, returns undefined), else the `facts` syscall (returns its promise).
 */
export function refreshFacts(runtime: AmtRuntime): Promise<void> | undefined {
  const pushed = runtime.context.currentFacts?.();
  if (pushed !== undefined) {
    applyFacts(runtime, pushed);
    return undefined;
  }
  return runtime.context.platformFacts().then((facts) => applyFacts(runtime, facts));
}

function applyFacts(runtime: AmtRuntime, facts: PlatformFactsView): void {
  runtime.facts.endOfPost = facts.endOfPost;
  if (typeof facts.hostPower === 'number') runtime.device.powerState = facts.hostPower;
}

/** PTHI over the state; the LAN view follows the MEBX network settings at every message. */
function pthiServer(context: AppContext, store: AmtStateStore, facts: { endOfPost: boolean }): PthiServer {
  const platform = pthiPlatform(context.platform, () => facts.endOfPost);
  const pthi = createPthiServer({ state: store, platform, clock: { now: () => Date.now() } });
  return {
    handle: async (bytes) => {
      const previous = platform.lan.wired;
      platform.lan.wired = await store.mebx().then((settings) => wiredLan(settings.network, previous.mac), () => previous);
      return pthi.handle(bytes);
    },
  };
}
