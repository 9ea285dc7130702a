/**
 * One platform's AMT as the app holds it for one incarnation, opened at start: the NVRAM cache with
 * the AMT state store and the WS-Man state on it (one truth for PTHI, MEBX and WS-Man), the
 * device's TLS identity (made at first boot, then reused) and the TLS settings new connections
 * get, the PTHI and MEBX servers, the device port and the mutex every request to this state takes.
 * Opening initialises a blank namespace and stores the identity in one commit.
 */
import { AmtStateStore } from '../../amt-state/index.js';
import { loadOrCreateDeviceCertificate, type DeviceCredential, type TlsSettings } from '../../amt/tls/index.js';
import type { PlatformFacts } from '../../amt/wsman/facts.js';
import type { AppContext } from '../../kernel/app-api.js';
import { createMebxServer, MebxPasswordStore, type MebxServer } from '../../protocols/mebx/index.js';
import { createPthiServer, type PthiServer } from '../../protocols/pthi/index.js';
import { AmtDevice } from './device.js';
import { Mutex } from './mutex.js';
import { NvramCache } from './nvram-cache.js';
import { networkAddressOf, platformRealm, pthiPlatform, wiredLan, wsmanFacts } from './platform.js';
import { NvramWsmanState } from './slot-state.js';
import { certificateHash, NvramCertificateStore, tlsSettingsFor } from './tls-identity.js';

export interface AmtRuntime {
  readonly context: AppContext;
  readonly cache: NvramCache;
  readonly store: AmtStateStore;
  /** What requests read and change (staged until their commit). */
  readonly state: NvramWsmanState;
  /** NVRAM as committed, read-only: what the Digest directories read. */
  readonly committed: NvramWsmanState;
  readonly lock: Mutex;
  readonly device: AmtDevice;
  /** Kernel platform facts as last read (refreshFacts). */
  readonly facts: { endOfPost: boolean };
  readonly pthi: PthiServer;
  readonly mebx: MebxServer;
  /** The MEBX password record (WS-Man SetMEBxPassword stores through it). */
  readonly passwords: MebxPasswordStore;
  readonly credential: DeviceCredential;
  /** Committed TLS settings of the network port (stage + commit when the WS-Man TLS setup changes). */
  readonly tls: TlsSettings;
  readonly realm: string;
  readonly wsmanFacts: PlatformFacts;
}

export interface RuntimeOptions {
  /** scrypt N for MEBX password hashes (tests lower it). */
  readonly scryptCost?: number;
}

/** Opens the platform's AMT (initialising a blank namespace, making the identity at first boot). */
export async function openRuntime(context: AppContext, options: RuntimeOptions = {}): Promise<AmtRuntime> {
  const cache = await NvramCache.open(context.nvram);
  const store = await AmtStateStore.open(cache);
  const address = networkAddressOf(context.platform);
  const credential = await loadOrCreateDeviceCertificate(new NvramCertificateStore(cache), { ipAddresses: [...new Set(['127.0.0.1', address])] });
  await reportCertificateHash(store, credential);
  await cache.flush();
  const state = new NvramWsmanState(cache);
  const facts = { endOfPost: false };
  const cost = options.scryptCost === undefined ? {} : { scryptCost: options.scryptCost };
  return {
    context, cache, store, state, committed: new NvramWsmanState(cache, { committed: true }), lock: new Mutex(), device: new AmtDevice(), facts,
    pthi: pthiServer(context, store, facts), mebx: createMebxServer({ state: store, nvram: cache, isEndOfPost: () => facts.endOfPost, ...cost }),
    passwords: new MebxPasswordStore(cache, options.scryptCost === undefined ? {} : { cost: options.scryptCost }),
    credential, tls: tlsSettingsFor(state, credential), realm: platformRealm(context.platform.platformUuid), wsmanFacts: wsmanFacts(context.platform),
  };
}

/** The hash of AMT's own certificate, as StartConfigurationHBased reports it (staged when it changed). */
export async function reportCertificateHash(store: AmtStateStore, credential: DeviceCredential): Promise<void> {
  const wanted = certificateHash(credential);
  const stored = await store.amtCertificateHash();
  if (stored?.algorithm !== wanted.algorithm || Buffer.compare(stored.hash, wanted.hash) !== 0) await store.update({ amtCertificateHash: wanted });
}

/** Reads the kernel's platform facts (End-of-POST, host power) before a request. */
export async function refreshFacts(runtime: AmtRuntime): Promise<void> {
  const facts = await runtime.context.platformFacts();
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
