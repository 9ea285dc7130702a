/**
 * The engine's AMT provisioning state, persisted in one NVRAM namespace. Reads validate every
 * stored value (VME_ERR_AMT_STATE_CORRUPT on a bad one); every update, however many fields it
 * touches, is one NVRAM `commit`, so a power loss leaves either the old state or the new one.
 * Storage is reached through `AmtNvram`, whose operations may be asynchronous (an app's NVRAM is a
 * syscall away), so every method here returns a promise.
 */
import type { TransactionOperation } from '../kernel/nvram/index.js';
import { randomBytes } from '../crypto/index.js';
import { DEFAULT_HOST_BASED_SETUP, DEFAULT_MEBX, DEFAULT_PROVISIONING, defaultHashEntries, generateAccount } from './defaults.js';
import { corrupt, invalid } from './errors.js';
import {
  FORMAT, KEYS, decodeAccount, decodeDnsSuffix, decodeHashEntry, decodeHostBasedSetup, decodeMebx, decodeProvisioning,
  decodeSession, decodeText, encodeHashEntry, encodeJson, encodeSession, encodeText, hashKey,
} from './records.js';
import { checkDnsSuffix, checkHash, checkName, checkProvisioning } from './validate.js';
import {
  AMT_STATE_LIMITS, HASH_ALGORITHM,
  type CertificateHashEntry, type HashAlgorithm, type HostBasedConfigurationSession, type HostBasedSetupPolicy,
  type LocalSystemAccount, type MebxSettings, type Provisioning,
} from './types.js';

type Awaitable<T> = T | Promise<T>;

/**
 * The NVRAM namespace the store uses: the kernel's synchronous `NvramNamespace` handle fits, and so
 * does an app's `context.nvram` (each operation a syscall, answered with a promise).
 */
export interface AmtNvram {
  get(key: string): Awaitable<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Awaitable<void>;
  delete(key: string): Awaitable<boolean>;
  list(prefix?: string): Awaitable<string[]>;
  /** Applies every operation or none (one NVRAM record). */
  commit(operations: readonly TransactionOperation[]): Awaitable<void>;
}

export interface AmtStateOptions {
  /** Source of the local system account's randomness (default: the CSPRNG). */
  readonly random?: (length: number) => Uint8Array;
}

/** Fields one `update` may change together; `null` removes an optional record. */
export interface AmtStateChanges {
  readonly provisioning?: Provisioning;
  readonly dnsSuffix?: string | null;
  readonly hostBasedSetup?: HostBasedSetupPolicy;
  readonly session?: HostBasedConfigurationSession | null;
  readonly mebx?: MebxSettings;
  readonly amtCertificateHash?: AmtCertificateHash | null;
}

/** Hash of AMT's own TLS certificate (set by the TLS part; StartConfigurationHBased reports it). */
export interface AmtCertificateHash {
  readonly algorithm: HashAlgorithm;
  readonly hash: Uint8Array;
}

export interface NewCertificateHash {
  readonly name: string;
  readonly algorithm: HashAlgorithm;
  readonly hash: Uint8Array;
  readonly isActive?: boolean;
}

export class AmtStateStore {
  readonly #nvram: AmtNvram;
  readonly #random: (length: number) => Uint8Array;

  private constructor(nvram: AmtNvram, random: (length: number) => Uint8Array) {
    this.#nvram = nvram;
    this.#random = random;
  }

  /**
   * Opens the state in `nvram`; a blank namespace is initialised with the defaults in one commit.
   * @throws AmtStateError VME_ERR_AMT_STATE_CORRUPT when the namespace holds another format.
   */
  static async open(nvram: AmtNvram, options: AmtStateOptions = {}): Promise<AmtStateStore> {
    const store = new AmtStateStore(nvram, options.random ?? randomBytes);
    const format = await nvram.get(KEYS.format);
    if (format === undefined) await store.#initialise();
    else if (decodeText(KEYS.format, format) !== FORMAT) throw corrupt(KEYS.format, `unknown format ${JSON.stringify(decodeText(KEYS.format, format))}`);
    return store;
  }

  async provisioning(): Promise<Provisioning> {
    return decodeProvisioning(KEYS.provisioning, await this.#required(KEYS.provisioning));
  }

  /** The PKI DNS suffix (PTHI GetPKIFQDNSuffix); empty when none is set. */
  async dnsSuffix(): Promise<string> {
    const bytes = await this.#nvram.get(KEYS.dnsSuffix);
    return bytes === undefined ? '' : decodeDnsSuffix(KEYS.dnsSuffix, bytes);
  }

  async hostBasedSetup(): Promise<HostBasedSetupPolicy> {
    return decodeHostBasedSetup(KEYS.hostBasedSetup, await this.#required(KEYS.hostBasedSetup));
  }

  async session(): Promise<HostBasedConfigurationSession | undefined> {
    const bytes = await this.#nvram.get(KEYS.session);
    return bytes === undefined ? undefined : decodeSession(KEYS.session, bytes);
  }

  async localSystemAccount(): Promise<LocalSystemAccount> {
    return decodeAccount(KEYS.account, await this.#required(KEYS.account));
  }

  async mebx(): Promise<MebxSettings> {
    return decodeMebx(KEYS.mebx, await this.#required(KEYS.mebx));
  }

  async amtCertificateHash(): Promise<AmtCertificateHash | undefined> {
    const bytes = await this.#nvram.get(KEYS.amtCertificateHash);
    if (bytes === undefined) return undefined;
    const entry = decodeHashEntry(KEYS.amtCertificateHash, 0, bytes);
    return { algorithm: entry.algorithm, hash: entry.hash };
  }

  /** The hash table, by handle. */
  async certificateHashes(): Promise<CertificateHashEntry[]> {
    const entries: CertificateHashEntry[] = [];
    for (const handle of await this.#handles()) entries.push(decodeHashEntry(hashKey(handle), handle, await this.#required(hashKey(handle))));
    return entries;
  }

  async certificateHash(handle: number): Promise<CertificateHashEntry | undefined> {
    if (!Number.isSafeInteger(handle) || handle < 0) return undefined;
    const bytes = await this.#nvram.get(hashKey(handle));
    return bytes === undefined ? undefined : decodeHashEntry(hashKey(handle), handle, bytes);
  }

  /** Applies every change in one commit, or none of them. @throws AmtStateError VME_ERR_AMT_STATE_ARGUMENT */
  async update(changes: AmtStateChanges): Promise<void> {
    const operations: TransactionOperation[] = [];
    for (const operation of changeOperations(changes)) {
      if (operation.type === 'put' || (await this.#nvram.get(operation.key)) !== undefined) operations.push(operation);
    }
    if (operations.length > 0) await this.#nvram.commit(operations);
  }

  /** Adds an administrator hash entry; returns its handle. */
  async addCertificateHash(entry: NewCertificateHash): Promise<number> {
    checkName(entry.name);
    checkHash(entry.algorithm, entry.hash);
    const handles = await this.#handles();
    if (handles.length >= AMT_STATE_LIMITS.maxCertificateHashes) throw invalid(`the hash table holds at most ${AMT_STATE_LIMITS.maxCertificateHashes} entries`);
    const handle = handles.length === 0 ? 0 : Math.max(...handles) + 1;
    const stored: CertificateHashEntry = { handle, name: entry.name, algorithm: entry.algorithm, hash: entry.hash, isDefault: false, isActive: entry.isActive ?? true };
    await this.#nvram.put(hashKey(handle), encodeHashEntry(stored));
    return handle;
  }

  async setCertificateHashActive(handle: number, isActive: boolean): Promise<void> {
    const entry = await this.#existingHash(handle);
    await this.#nvram.put(hashKey(handle), encodeHashEntry({ ...entry, isActive }));
  }

  async deleteCertificateHash(handle: number): Promise<void> {
    await this.#existingHash(handle);
    await this.#nvram.delete(hashKey(handle));
  }

  /**
   * Back to pre-provisioning in one commit: mode none, DNS suffix, session, AMT certificate hash and
   * every `secret/` key deleted, administrator hashes removed, defaults restored and active, and a
   * new local system account. MEBx settings and the host-based setup policy are kept.
   */
  async unprovision(): Promise<void> {
    const operations: TransactionOperation[] = [
      { type: 'put', key: KEYS.provisioning, value: encodeJson(DEFAULT_PROVISIONING) },
      { type: 'put', key: KEYS.account, value: encodeJson(generateAccount(this.#random)) },
    ];
    const listed = [...(await this.#nvram.list(KEYS.secretPrefix)), ...(await this.#nvram.list(KEYS.hashPrefix))];
    for (const key of [KEYS.dnsSuffix, KEYS.session, KEYS.amtCertificateHash, ...listed]) {
      if ((await this.#nvram.get(key)) !== undefined) operations.push({ type: 'delete', key });
    }
    const defaults = defaultHashEntries().map((entry): TransactionOperation => ({ type: 'put', key: hashKey(entry.handle), value: encodeHashEntry(entry) }));
    const restored = new Set(defaults.map((operation) => operation.key));
    await this.#nvram.commit([...operations.filter((operation) => !restored.has(operation.key)), ...defaults]);
  }

  async #initialise(): Promise<void> {
    const operations: TransactionOperation[] = [
      { type: 'put', key: KEYS.provisioning, value: encodeJson(DEFAULT_PROVISIONING) },
      { type: 'put', key: KEYS.hostBasedSetup, value: encodeJson(DEFAULT_HOST_BASED_SETUP) },
      { type: 'put', key: KEYS.mebx, value: encodeJson(DEFAULT_MEBX) },
      { type: 'put', key: KEYS.account, value: encodeJson(generateAccount(this.#random)) },
      ...defaultHashEntries().map((entry): TransactionOperation => ({ type: 'put', key: hashKey(entry.handle), value: encodeHashEntry(entry) })),
      // Written last in the list but in the same record: a torn initialisation leaves nothing.
      { type: 'put', key: KEYS.format, value: encodeText(FORMAT) },
    ];
    await this.#nvram.commit(operations);
  }

  async #required(key: string): Promise<Uint8Array> {
    const bytes = await this.#nvram.get(key);
    if (bytes === undefined) throw corrupt(key, 'missing');
    return bytes;
  }

  async #handles(): Promise<number[]> {
    return (await this.#nvram.list(KEYS.hashPrefix)).map((key) => {
      const text = key.slice(KEYS.hashPrefix.length);
      const handle = Number(text);
      if (!/^(0|[1-9][0-9]{0,9})$/.test(text) || handle > 0xffffffff) throw corrupt(key, 'not a hash handle');
      return handle;
    }).sort((a, b) => a - b);
  }

  async #existingHash(handle: number): Promise<CertificateHashEntry> {
    const entry = await this.certificateHash(handle);
    if (!entry) throw invalid(`no certificate hash with handle ${handle}`, { handle });
    return entry;
  }
}

function changeOperations(changes: AmtStateChanges): TransactionOperation[] {
  const operations: TransactionOperation[] = [];
  const put = (key: string, value: Uint8Array): void => void operations.push({ type: 'put', key, value });
  const remove = (key: string): void => void operations.push({ type: 'delete', key });
  if (changes.provisioning) {
    checkProvisioning(changes.provisioning);
    put(KEYS.provisioning, encodeJson(changes.provisioning));
  }
  if (changes.dnsSuffix !== undefined) {
    if (changes.dnsSuffix === null || changes.dnsSuffix === '') remove(KEYS.dnsSuffix);
    else {
      checkDnsSuffix(changes.dnsSuffix);
      put(KEYS.dnsSuffix, encodeText(changes.dnsSuffix));
    }
  }
  if (changes.hostBasedSetup) put(KEYS.hostBasedSetup, encodeJson(changes.hostBasedSetup));
  if (changes.session !== undefined) {
    if (changes.session === null) remove(KEYS.session);
    else {
      checkHash(changes.session.serverHashAlgorithm, changes.session.serverCertificateHash);
      put(KEYS.session, encodeSession(changes.session));
    }
  }
  if (changes.mebx) put(KEYS.mebx, encodeJson(changes.mebx));
  if (changes.amtCertificateHash !== undefined) amtHashOperation(changes.amtCertificateHash, put, remove);
  return operations;
}

function amtHashOperation(value: AmtCertificateHash | null, put: (key: string, value: Uint8Array) => void, remove: (key: string) => void): void {
  if (value === null) return remove(KEYS.amtCertificateHash);
  checkHash(value.algorithm, value.hash);
  put(KEYS.amtCertificateHash, encodeHashEntry({ handle: 0, name: 'AMT', algorithm: value.algorithm, hash: value.hash, isDefault: false, isActive: true }));
}

/** The wire number of an algorithm (PTHI GetCertHashEntry HashAlgorithm). */
export const hashAlgorithmNumber = (algorithm: HashAlgorithm): number => HASH_ALGORITHM[algorithm];
