/**
 * The MEBX password, engine-side: a salted scrypt hash in one record of the AMT NVRAM namespace
 * (key `mebx-password`, beside the records AmtStateStore keeps; not under `secret/`, so an AMT
 * unprovision keeps it, as on real platforms). No record means the factory password `admin`,
 * which must be changed. Attempts are compared by hashing them with the stored salt and comparing
 * the digests with timingSafeEqual, so the time does not depend on how much of a guess is right.
 */
import { scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AmtStateError } from '../../amt-state/index.js';
import { randomBytes } from '../../crypto/index.js';
import { FACTORY_PASSWORD } from './constants.js';

export type Awaitable<T> = T | Promise<T>;

/** The part of an NVRAM namespace handle the password store uses (sync or async). */
export interface MebxNvram {
  get(key: string): Awaitable<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Awaitable<void>;
}

export const MEBX_PASSWORD_KEY = 'mebx-password';
const FORMAT = 'vme-mebx-password/1';
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** scrypt N (CPU/memory cost); r = 8, p = 1. About 30-60 ms per check. */
export const DEFAULT_SCRYPT_COST = 16384;
const FACTORY_SALT = new TextEncoder().encode('vme-mebx-factory');

interface PasswordRecord {
  readonly cost: number;
  readonly salt: Uint8Array;
  readonly hash: Uint8Array;
  readonly changeRequired: boolean;
}

export interface PasswordStoreOptions {
  readonly random?: (length: number) => Uint8Array;
  /** scrypt N for new hashes (a power of two); tests may lower it. */
  readonly cost?: number;
}

export class MebxPasswordStore {
  readonly #nvram: MebxNvram;
  readonly #random: (length: number) => Uint8Array;
  readonly #cost: number;
  #factory: Promise<PasswordRecord> | undefined;

  constructor(nvram: MebxNvram, options: PasswordStoreOptions = {}) {
    this.#nvram = nvram;
    this.#random = options.random ?? randomBytes;
    this.#cost = options.cost ?? DEFAULT_SCRYPT_COST;
  }

  /** Whether `attempt` is the password, and whether that password must be changed. */
  async verify(attempt: Uint8Array): Promise<{ match: boolean; changeRequired: boolean }> {
    const record = await this.#record();
    const digest = await derive(attempt, record.salt, record.cost);
    return { match: timingSafeEqual(digest, record.hash), changeRequired: record.changeRequired };
  }

  /** Stores a new password (the caller checked the rules), with a fresh salt. */
  async set(password: Uint8Array): Promise<void> {
    const salt = this.#random(SALT_LENGTH);
    const hash = await derive(password, salt, this.#cost);
    await this.#nvram.put(MEBX_PASSWORD_KEY, encodeRecord({ cost: this.#cost, salt, hash, changeRequired: false }));
  }

  async #record(): Promise<PasswordRecord> {
    const bytes = await this.#nvram.get(MEBX_PASSWORD_KEY);
    if (bytes !== undefined) return decodeRecord(bytes);
    this.#factory ??= derive(new TextEncoder().encode(FACTORY_PASSWORD), FACTORY_SALT, this.#cost)
      .then((hash) => ({ cost: this.#cost, salt: FACTORY_SALT, hash, changeRequired: true }));
    return this.#factory;
  }
}

function derive(password: Uint8Array, salt: Uint8Array, cost: number): Promise<Buffer> {
  const options: ScryptOptions = { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function encodeRecord(record: PasswordRecord): Uint8Array {
  const hex = (data: Uint8Array): string => Buffer.from(data).toString('hex');
  return new TextEncoder().encode(JSON.stringify({ format: FORMAT, kdf: 'scrypt', cost: record.cost, r: 8, p: 1, salt: hex(record.salt), hash: hex(record.hash), changeRequired: record.changeRequired }));
}

function decodeRecord(bytes: Uint8Array): PasswordRecord {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw corrupt('not JSON text');
  }
  const r = value as Record<string, unknown> | null;
  const hex = (v: unknown, length: number): v is string => typeof v === 'string' && v.length === length * 2 && /^[0-9a-f]*$/.test(v);
  const cost = r?.cost;
  if (r?.format !== FORMAT || r.kdf !== 'scrypt' || r.r !== 8 || r.p !== 1) throw corrupt('unknown format or KDF');
  if (typeof cost !== 'number' || !Number.isInteger(Math.log2(cost)) || cost < 2 || cost > 2 ** 20) throw corrupt('bad scrypt cost');
  if (!hex(r.salt, SALT_LENGTH) || !hex(r.hash, KEY_LENGTH) || typeof r.changeRequired !== 'boolean') throw corrupt('bad salt, hash or flag');
  return { cost, salt: Buffer.from(r.salt, 'hex'), hash: Buffer.from(r.hash, 'hex'), changeRequired: r.changeRequired };
}

const corrupt = (reason: string): AmtStateError =>
  new AmtStateError('VME_ERR_AMT_STATE_CORRUPT', `AMT state value ${JSON.stringify(MEBX_PASSWORD_KEY)} is corrupt: ${reason}`, { key: MEBX_PASSWORD_KEY, reason });
