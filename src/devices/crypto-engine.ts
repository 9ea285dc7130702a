/**
 * The engine's crypto engine: one per platform, shared by all apps through owner-scoped sessions.
 * The kernel calls `session(owner)` and hands the session to the app; every key the app creates,
 * imports or derives is a handle bound to that owner. Keys derived from the device (fuse) secret
 * never leave the engine as bytes. Bulk work runs on the libuv thread pool (shared process-wide,
 * so 10,000 platforms add no threads); an optional throughput model makes the engine a serial
 * device of fixed speed (see timing.ts), used by the pipeline benchmark.
 */
import { createHash, createHmac, createSecretKey, generateKeyPair, hkdf, randomBytes, timingSafeEqual, webcrypto, createPrivateKey, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { type AesParameters, AES_THREAD_POOL_THRESHOLD, aesPooled, aesSync, checkAesParameters, webAlgorithmName } from './crypto-aes.js';
import { type KeyHandle, type KeySnapshot, KeyTable } from './crypto-keys.js';
import { publicKeyOf, type SignatureAlgorithm, signData, verifyData } from './crypto-signatures.js';
import type { OwnerId } from './engine-buffer.js';
import { modularExponentiation } from './modular-exponentiation.js';
import { DeviceClock, type ThroughputModel } from './timing.js';

export type HashAlgorithm = 'SHA-1' | 'SHA-256' | 'SHA-384';
/** What a derived key is for; part of the derivation, so the same label gives unrelated keys per kind. */
export type DerivedKeyKind = 'aes-128' | 'aes-256' | 'hmac';
export type KeyPairSpec = { readonly type: 'rsa'; readonly bits: 2048 | 3072 | 4096 } | { readonly type: 'ec'; readonly curve: 'P-256' | 'P-384' };

const NODE_HASH = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384' } as const;
const MAX_RANDOM_BYTES = 65536;
const hkdfAsync = promisify(hkdf);
const randomAsync = promisify(randomBytes);
const generateAsync = promisify(generateKeyPair);

/** Options of a crypto engine. */
export interface CryptoEngineOptions {
  /** The device secret (from fuses) keys are derived from; copied, so the caller may wipe its own. */
  readonly deviceSecret: Uint8Array;
  /** Optional modelled throughput of AES (bulk) operations. */
  readonly throughput?: ThroughputModel;
  /**
   * AES and hash inputs of at least this many bytes run on the libuv thread pool (default 64 KiB);
   * smaller ones run synchronously. Infinity keeps everything on the calling thread.
   */
  readonly offloadThresholdBytes?: number;
}

/** The per-platform crypto engine. */
export class CryptoEngine {
  readonly #keys = new KeyTable();
  readonly #secret: Buffer;
  readonly #clock: DeviceClock;
  readonly #offload: number;

  /** @throws RangeError when the device secret is shorter than 16 bytes. */
  constructor(options: CryptoEngineOptions) {
    if (!(options.deviceSecret instanceof Uint8Array) || options.deviceSecret.length < 16) throw new RangeError('deviceSecret must be at least 16 bytes');
    this.#secret = Buffer.from(options.deviceSecret);
    this.#clock = new DeviceClock(options.throughput);
    this.#offload = options.offloadThresholdBytes ?? AES_THREAD_POOL_THRESHOLD;
    if (!(this.#offload >= 0)) throw new RangeError('offloadThresholdBytes must be a non-negative number');
  }

  /**
   * The API one owner (an app, or a kernel service) sees. Only the kernel should call this.
   * @example const crypto = engine.session('amt'); const key = await crypto.deriveKey('storage');
   */
  session(owner: OwnerId): CryptoSession {
    return new CryptoSession(owner, this.#keys, this.#secret, this.#clock, this.#offload);
  }

  /** Number of keys held (all owners). */
  get keyCount(): number {
    return this.#keys.size;
  }

  /** The key table (secret material: keep in memory, never persist). The device secret is not included. */
  snapshot(): { keys: KeySnapshot[]; nextId: number } {
    return this.#keys.snapshot();
  }

  restore(snapshot: { keys: readonly KeySnapshot[]; nextId: number }): void {
    this.#keys.restore(snapshot);
  }

  /** Wipes the device secret (the engine is unusable for derivation afterwards). */
  dispose(): void {
    this.#secret.fill(0);
  }
}

/** One owner's view of the crypto engine: every handle it uses must be its own. */
export class CryptoSession {
  // ES private fields (not TypeScript `private`): an app holding a session cannot reach the key table at run time.
  readonly #keys: KeyTable;
  readonly #secret: Buffer;
  readonly #clock: DeviceClock;
  readonly #offloadThreshold: number;

  /** @internal Created by `CryptoEngine.session`. */
  constructor(
    readonly owner: OwnerId,
    keys: KeyTable,
    secret: Buffer,
    clock: DeviceClock,
    offloadThreshold: number,
  ) {
    this.#keys = keys;
    this.#secret = secret;
    this.#clock = clock;
    this.#offloadThreshold = offloadThreshold;
  }

  /** Derives a key from the device secret with HKDF-SHA-256 (info = kind:label); it never leaves the engine. */
  async deriveKey(label: string, kind: DerivedKeyKind = 'aes-256'): Promise<KeyHandle> {
    if (typeof label !== 'string' || label.length === 0) throw new TypeError('label must be a non-empty string');
    const length = kind === 'aes-128' ? 16 : 32;
    const bytes = Buffer.from(await hkdfAsync('sha256', this.#secret, 'vme device key', `${kind}:${label}`, length));
    return this.#storeSecret(kind === 'hmac' ? 'hmac' : 'aes', bytes);
  }

  /** Imports caller-provided AES (16 or 32 bytes) or HMAC key bytes; copied, so the caller may wipe its own. */
  importSecretKey(kind: 'aes' | 'hmac', bytes: Uint8Array): Promise<KeyHandle> {
    return settle(() => {
      if (kind === 'aes' && bytes.length !== 16 && bytes.length !== 32) throw new RangeError('AES keys are 16 or 32 bytes');
      if (bytes.length === 0) throw new RangeError('key must not be empty');
      return this.#storeSecret(kind, Buffer.from(bytes));
    });
  }

  /** Imports an RSA or EC private key (PKCS#8 DER). @throws TypeError when not PKCS#8 */
  importPrivateKey(pkcs8: Uint8Array): Promise<KeyHandle> {
    return settle(() => {
      let key: KeyObject;
      try {
        key = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
      } catch {
        throw new TypeError('private key is not PKCS#8 DER');
      }
      return this.#keys.add(this.owner, 'private', key);
    });
  }

  /** Generates an RSA or EC key pair inside the engine; returns its handle and SPKI public key. */
  async generateKeyPair(spec: KeyPairSpec): Promise<{ handle: KeyHandle; publicKey: Uint8Array }> {
    const { privateKey } = spec.type === 'rsa'
      ? await generateAsync('rsa', { modulusLength: spec.bits })
      : await generateAsync('ec', { namedCurve: spec.curve });
    return { handle: this.#keys.add(this.owner, 'private', privateKey), publicKey: publicKeyOf(privateKey) };
  }

  /** The SPKI DER public key of one of this owner's private keys. @throws DeviceError VME_ERR_CRYPTO_KEY(_OWNER) */
  publicKey(handle: KeyHandle): Promise<Uint8Array> {
    return settle(() => publicKeyOf(this.#keys.use(this.owner, handle, 'private')));
  }

  /** Forgets a key. @throws DeviceError VME_ERR_CRYPTO_KEY(_OWNER) */
  destroyKey(handle: KeyHandle): void {
    this.#keys.remove(this.owner, handle);
  }

  /** AES encryption (GCM output = ciphertext ‖ 16-byte tag). @throws DeviceError VME_ERR_CRYPTO_KEY(_OWNER); RangeError on a bad IV */
  encrypt(handle: KeyHandle, parameters: AesParameters, data: Uint8Array): Promise<Uint8Array> {
    return this.#aes(handle, parameters, data, true);
  }

  /** AES decryption. @throws DeviceError VME_ERR_CRYPTO_AUTH on a bad tag or padding, VME_ERR_CRYPTO_KEY(_OWNER) */
  decrypt(handle: KeyHandle, parameters: AesParameters, data: Uint8Array): Promise<Uint8Array> {
    return this.#aes(handle, parameters, data, false);
  }

  /** Hash of `data`. */
  async digest(algorithm: HashAlgorithm, data: Uint8Array): Promise<Uint8Array> {
    const name = NODE_HASH[algorithm];
    if (!name) throw new RangeError(`unknown hash ${String(algorithm)}`);
    if (data.length < this.#offloadThreshold) return new Uint8Array(createHash(name).update(data).digest());
    return new Uint8Array(await webcrypto.subtle.digest(algorithm, data));
  }

  /** HMAC of `data` under an HMAC key handle. @throws DeviceError VME_ERR_CRYPTO_KEY(_OWNER) */
  hmac(handle: KeyHandle, algorithm: HashAlgorithm, data: Uint8Array): Promise<Uint8Array> {
    return settle(() => {
      const key = this.#keys.use(this.owner, handle, 'hmac');
      const name = NODE_HASH[algorithm];
      if (!name) throw new RangeError(`unknown hash ${String(algorithm)}`);
      return new Uint8Array(createHmac(name, key).update(data).digest());
    });
  }

  /** Checks an HMAC in constant time. */
  async hmacVerify(handle: KeyHandle, algorithm: HashAlgorithm, data: Uint8Array, mac: Uint8Array): Promise<boolean> {
    const expected = await this.hmac(handle, algorithm, data);
    return expected.length === mac.length && timingSafeEqual(expected, mac);
  }

  /** Signs with one of this owner's private keys. @throws DeviceError VME_ERR_CRYPTO_KEY(_OWNER) */
  sign(handle: KeyHandle, algorithm: SignatureAlgorithm, data: Uint8Array): Promise<Uint8Array> {
    return settle(() => signData(this.#keys.use(this.owner, handle, 'private'), algorithm, data));
  }

  /** Verifies a signature with a public key (SPKI DER): public keys need no handle. */
  verify(publicKey: Uint8Array, algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
    return settle(() => verifyData(publicKey, algorithm, data, signature));
  }

  /** DRNG output: `length` (1..65536) random bytes from the operating system's CSPRNG. */
  async randomBytes(length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(length) || length < 1 || length > MAX_RANDOM_BYTES) throw new RangeError(`length must be 1..${MAX_RANDOM_BYTES}`);
    return new Uint8Array(await randomAsync(length));
  }

  /** HKDF (RFC 5869) over caller-supplied input keying material; returns `length` bytes. */
  async hkdf(algorithm: HashAlgorithm, inputKey: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Promise<Uint8Array> {
    return new Uint8Array(await hkdfAsync(NODE_HASH[algorithm], inputKey, salt, info, length));
  }

  /** base^exponent mod modulus (constant-size inputs; NOT constant-time, see modular-exponentiation.ts). */
  modularExponentiation(base: Uint8Array, exponent: Uint8Array, modulus: Uint8Array): Promise<Uint8Array> {
    return settle(() => modularExponentiation(base, exponent, modulus));
  }

  #storeSecret(kind: 'aes' | 'hmac', bytes: Buffer): KeyHandle {
    const handle = this.#keys.add(this.owner, kind, createSecretKey(bytes));
    bytes.fill(0);
    return handle;
  }

  async #aes(handle: KeyHandle, parameters: AesParameters, data: Uint8Array, encrypt: boolean): Promise<Uint8Array> {
    checkAesParameters(parameters);
    const key = this.#keys.use(this.owner, handle, 'aes');
    const timing = this.#clock.occupy(data.length);
    if (data.length < this.#offloadThreshold) {
      const out = aesSync(key, parameters, data, encrypt);
      await timing;
      return out;
    }
    const webKey = await this.#keys.webKey(this.owner, handle, webAlgorithmName(parameters.mode));
    const [out] = await Promise.all([aesPooled(webKey, parameters, data, encrypt), timing]);
    return out;
  }
}

/** Runs `work` so that a synchronous throw becomes a rejection, as callers of an async API expect. */
function settle<T>(work: () => T | Promise<T>): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}
