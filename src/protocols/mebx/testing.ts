/** Test helpers: an MEBX server over a real in-memory NVRAM and AmtStateStore, and a direct transport to it. */
import { AmtStateStore } from '../../amt-state/index.js';
import { nvramRig, seededRandom, type NvramRig } from '../../amt-state/testing.js';
import type { NvramNamespace } from '../../kernel/nvram/index.js';
import type { MebxTransport } from './client.js';
import { createMebxServer, type MebxServer, type MebxServerOptions } from './server.js';

/** A cheap scrypt cost for tests (the default is 16384). */
export const TEST_SCRYPT_COST = 1024;

export interface MebxRig {
  readonly rig: NvramRig;
  readonly nvram: NvramNamespace;
  readonly state: AmtStateStore;
  readonly server: MebxServer;
  /** Flip to true to model End-of-POST. */
  endOfPost: boolean;
}

export async function mebxRig(options: Partial<Pick<MebxServerOptions, 'maxLoginAttempts' | 'scryptCost'>> = {}): Promise<MebxRig> {
  const rig = nvramRig();
  const nvram = rig.mount().namespace('amt');
  const state = await AmtStateStore.open(nvram, { random: seededRandom(7) });
  const out = { rig, nvram, state, endOfPost: false } as { -readonly [K in keyof MebxRig]: MebxRig[K] };
  out.server = createMebxServer({ state, nvram, isEndOfPost: () => out.endOfPost, random: seededRandom(99), scryptCost: TEST_SCRYPT_COST, ...options });
  return out;
}

/** A transport that calls the server in-process (no HECI in between). */
export const directTransport = (server: MebxServer): MebxTransport => ({ request: (message) => server.handle(message) });
