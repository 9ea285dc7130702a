/**
 * The crypto engine's key table. Keys never leave it as bytes: callers hold a `KeyHandle`, an
 * opaque id, and every use names the owner the kernel attached to the caller's session; a handle
 * of another owner is refused with `VME_ERR_CRYPTO_KEY_OWNER`.
 */
import { createPrivateKey, createSecretKey, type KeyObject, webcrypto } from 'node:crypto';
import type { OwnerId } from './engine-buffer.js';
import { deviceFail } from './errors.js';

/** What a key is for: AES (16 or 32 bytes), HMAC (any length), or an RSA/EC private key. */
export type KeyKind = 'aes' | 'hmac' | 'private';

/** An opaque reference to a key inside the engine; carries no key material. */
export interface KeyHandle {
  readonly id: number;
  readonly kind: KeyKind;
}

interface KeyEntry {
  readonly owner: OwnerId;
  readonly kind: KeyKind;
  readonly material: KeyObject;
  /** WebCrypto keys imported lazily per algorithm name, for work on the libuv thread pool. */
  readonly webKeys: Map<string, Promise<webcrypto.CryptoKey>>;
}

/** One key of a key-table snapshot; holds secret material, so snapshots stay in memory. */
export interface KeySnapshot {
  readonly id: number;
  readonly owner: OwnerId;
  readonly kind: KeyKind;
  readonly der: Uint8Array;
}

/** Owner-checked storage of key material. */
export class KeyTable {
  readonly #entries = new Map<number, KeyEntry>();
  #nextId = 1;

  /** Stores `material` for `owner` and returns its handle. */
  add(owner: OwnerId, kind: KeyKind, material: KeyObject): KeyHandle {
    const id = this.#nextId++;
    this.#entries.set(id, { owner, kind, material, webKeys: new Map() });
    return Object.freeze({ id, kind });
  }

  /**
   * The key behind `handle` if `owner` owns it and it is of `kind`.
   * @throws DeviceError VME_ERR_CRYPTO_KEY (unknown/wrong kind) or VME_ERR_CRYPTO_KEY_OWNER.
   */
  use(owner: OwnerId, handle: KeyHandle, kind: KeyKind): KeyObject {
    return this.#entry(owner, handle, kind).material;
  }

  /** A WebCrypto view of an AES key for `algorithm` (imported once, then cached). */
  webKey(owner: OwnerId, handle: KeyHandle, algorithm: 'AES-GCM' | 'AES-CBC' | 'AES-CTR'): Promise<webcrypto.CryptoKey> {
    const entry = this.#entry(owner, handle, 'aes');
    let key = entry.webKeys.get(algorithm);
    if (!key) {
      const raw = entry.material.export();
      key = webcrypto.subtle.importKey('raw', raw, { name: algorithm }, false, ['encrypt', 'decrypt']).finally(() => raw.fill(0));
      entry.webKeys.set(algorithm, key);
    }
    return key;
  }

  /** Forgets a key. @throws as `use` */
  remove(owner: OwnerId, handle: KeyHandle): void {
    this.#entry(owner, handle, handle.kind);
    this.#entries.delete(handle.id);
  }

  get size(): number {
    return this.#entries.size;
  }

  snapshot(): { keys: KeySnapshot[]; nextId: number } {
    const keys = [...this.#entries].map(([id, e]) => ({ id, owner: e.owner, kind: e.kind, der: exportMaterial(e) }));
    return { keys, nextId: this.#nextId };
  }

  restore(snapshot: { keys: readonly KeySnapshot[]; nextId: number }): void {
    this.#entries.clear();
    for (const key of snapshot.keys) {
      const material = key.kind === 'private'
        ? createPrivateKey({ key: Buffer.from(key.der), format: 'der', type: 'pkcs8' })
        : createSecretKey(Buffer.from(key.der));
      this.#entries.set(key.id, { owner: key.owner, kind: key.kind, material, webKeys: new Map() });
    }
    this.#nextId = snapshot.nextId;
  }

  #entry(owner: OwnerId, handle: KeyHandle, kind: KeyKind): KeyEntry {
    const entry = this.#entries.get(handle.id);
    if (!entry) return deviceFail('VME_ERR_CRYPTO_KEY', `no key ${handle.id}`, 'app', { owner, key: handle.id });
    if (entry.owner !== owner) {
      return deviceFail('VME_ERR_CRYPTO_KEY_OWNER', `key ${handle.id} belongs to another owner`, 'app', { owner, key: handle.id });
    }
    if (entry.kind !== kind) {
      return deviceFail('VME_ERR_CRYPTO_KEY', `key ${handle.id} is a ${entry.kind} key, not ${kind}`, 'app', { owner, key: handle.id });
    }
    return entry;
  }
}

function exportMaterial(entry: KeyEntry): Uint8Array {
  const der = entry.kind === 'private' ? entry.material.export({ format: 'der', type: 'pkcs8' }) : entry.material.export();
  return new Uint8Array(der);
}
