/** The shape of a PTHI command handler: request body in, AMT status and response data out. */
import type { AmtStateStore } from '../../amt-state/index.js';
import { AMT_STATUS } from './constants.js';
import type { EngineClock, PlatformInfo } from './platform.js';

export interface PthiContext {
  readonly state: AmtStateStore;
  readonly platform: PlatformInfo;
  readonly clock: EngineClock;
  /** Volatile engine state (not persisted): whether the RNG seed is ready. */
  readonly volatile: { rngSeedReady: boolean };
}

export interface PthiReply {
  readonly status: number;
  /** Response data after the status (only sent with success). */
  readonly data?: Uint8Array;
}

/** `body` is the request after the header, already checked against the declared layouts; state reads are async. */
export type PthiHandler = (body: Uint8Array, context: PthiContext) => PthiReply | Promise<PthiReply>;

export const ok = (data?: Uint8Array): PthiReply => (data ? { status: AMT_STATUS.success, data } : { status: AMT_STATUS.success });
export const fail = (status: number): PthiReply => ({ status });

export const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
};

/** A digest in a 64-byte wire field, zero-padded. */
export const pad64 = (hash: Uint8Array): Uint8Array => {
  const out = new Uint8Array(64);
  out.set(hash.subarray(0, 64));
  return out;
};
