/**
 * The engine's AMT provisioning state, persisted in one NVRAM namespace. Reads validate every
 * stored value (VME_ERR_AMT_STATE_CORRUPT on a bad one); every update, however many fields it
 * touches, is one NVRAM `commit`, so a power loss leaves either the old state or the new one.
 */
import type { NvramNamespace, TransactionOperation } from '../kernel/nvram/index.js';
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

/** The part of an NVRAM namespace handle the store uses (src/kernel/nvram NvramNamespace). */
export type AmtNvram = Pick<NvramNamespace, 'get' | 'put' | 'delete' | 'list' | 'commit'>;

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
  static open(nvram: AmtNvram, options: AmtStateOptions = {}): AmtStateStore {
    const store = new AmtStateStore(nvram, options.random ?? randomBytes);
    const format = nvram.get(KEYS.format);
    if (format === undefined) store.#initialise();
    else if (decodeText(KEYS.format, format) !== FORMAT) throw corrupt(KEYS.format, `unknown format ${JSON.stringify(decodeText(KEYS.format, format))}`);
    return store;
  }

  provisioning(): Provisioning {
    return decodeProvisioning(KEYS.provisioning, this.#required(KEYS.provisioning));
  }

  /** The PKI DNS suffix (PTHI GetPKIFQDNSuffix); empty when none is set. */
  dnsSuffix(): string {
    const bytes = this.#nvram.get(KEYS.dnsSuffix);
    return bytes === undefined ? '' : decodeDnsSuffix(KEYS.dnsSuffix, bytes);
  }

  hostBasedSetup(): HostBasedSetupPolicy {
    return decodeHostBasedSetup(KEYS.hostBasedSetup, this.#required(KEYS.hostBasedSetup));
  }

  session(): HostBasedConfigurationSession | undefined {
    const bytes = this.#nvram.get(KEYS.session);
    return bytes === undefined ? undefined : decodeSession(KEYS.session, bytes);
  }

  localSystemAccount(): LocalSystemAccount {
    return decodeAccount(KEYS.account, this.#required(KEYS.account));
  }

  mebx(): MebxSettings {
    return decodeMebx(KEYS.mebx, this.#required(KEYS.mebx));
  }

  amtCertificateHash(): AmtCertificateHash | undefined {
    const bytes = this.#nvram.get(KEYS.amtCertificateHash);
    if (bytes === undefined) return undefined;
    const entry = decodeHashEntry(KEYS.amtCertificateHash, 0, bytes);
    return { algorithm: entry.algorithm, hash: entry.hash };
  }

  /** The hash table, by handle. */
  certificateHashes(): CertificateHashEntry[] {
    return this.#handles().map((handle) => decodeHashEntry(hashKey(handle), handle, this.#required(hashKey(handle))));
  }

  certificateHash(handle: number): CertificateHashEntry | undefined {
    if (!Number.isSafeInteger(handle) || handle < 0) return undefined;
    const bytes = this.#nvram.get(hashKey(handle));
    return bytes === undefined ? undefined : decodeHashEntry(hashKey(handle), handle, bytes);
  }

  /** Applies every change in one commit, or none of them. @throws AmtStateError VME_ERR_AMT_STATE_ARGUMENT */
  update(changes: AmtStateChanges): void {
    const operations = changeOperations(changes).filter((operation) => operation.type === 'put' || this.#nvram.get(operation.key) !== undefined);
    if (operations.length > 0) this.#nvram.commit(operations);
  }

  /** Adds an administrator hash entry; returns its handle. */
  addCertificateHash(entry: NewCertificateHash): number {
    checkName(entry.name);
    checkHash(entry.algorithm, entry.hash);
    const handles = this.#handles();
    if (handles.length >= AMT_STATE_LIMITS.maxCertificateHashes) throw invalid(`the hash table holds at most ${AMT_STATE_LIMITS.maxCertificateHashes} entries`);
    const handle = handles.length === 0 ? 0 : Math.max(...handles) + 1;
    const stored: CertificateHashEntry = { handle, name: entry.name, algorithm: entry.algorithm, hash: entry.hash, isDefault: false, isActive: entry.isActive ?? true };
    this.#nvram.put(hashKey(handle), encodeHashEntry(stored));
    return handle;
  }

  setCertificateHashActive(handle: number, isActive: boolean): void {
    const entry = this.#existingHash(handle);
    this.#nvram.put(hashKey(handle), encodeHashEntry({ ...entry, isActive }));
  }

  deleteCertificateHash(handle: number): void {
    this.#existingHash(handle);
    this.#nvram.delete(hashKey(handle));
  }

  /**
   * Back to pre-provisioning in one commit: mode none, DNS suffix, session, AMT certificate hash and
   * every `secret/` key deleted, administrator hashes removed, defaults restored and active, and a
   * new local system account. MEBx settings and the host-based setup policy are kept.
   */
  unprovision(): void {
    const operations: TransactionOperation[] = [
      { type: 'put', key: KEYS.provisioning, value: encodeJson(DEFAULT_PROVISIONING) },
      { type: 'put', key: KEYS.account, value: encodeJson(generateAccount(this.#random)) },
    ];
    for (const key of [KEYS.dnsSuffix, KEYS.session, KEYS.amtCertificateHash, ...this.#nvram.list(KEYS.secretPrefix), ...this.#nvram.list(KEYS.hashPrefix)]) {
      if (this.#nvram.get(key) !== undefined) operations.push({ type: 'delete', key });
    }
    const defaults = defaultHashEntries().map((entry): TransactionOperation => ({ type: 'put', key: hashKey(entry.handle), value: encodeHashEntry(entry) }));
    const restored = new Set(defaults.map((operation) => operation.key));
    this.#nvram.commit([...operations.filter((operation) => !restored.has(operation.key)), ...defaults]);
  }

  #initialise(): void {
    const operations: TransactionOperation[] = [
      { type: 'put', key: KEYS.provisioning, value: encodeJson(DEFAULT_PROVISIONING) },
      { type: 'put', key: KEYS.hostBasedSetup, value: encodeJson(DEFAULT_HOST_BASED_SETUP) },
      { type: 'put', key: KEYS.mebx, value: encodeJson(DEFAULT_MEBX) },
      { type: 'put', key: KEYS.account, value: encodeJson(generateAccount(this.#random)) },
      ...defaultHashEntries().map((entry): TransactionOperation => ({ type: 'put', key: hashKey(entry.handle), value: encodeHashEntry(entry) })),
      // Written last in the list but in the same record: a torn initialisation leaves nothing.
      { type: 'put', key: KEYS.format, value: encodeText(FORMAT) },
    ];
    this.#nvram.commit(operations);
  }

  #required(key: string): Uint8Array {
    const bytes = this.#nvram.get(key);
    if (bytes === undefined) throw corrupt(key, 'missing');
    return bytes;
  }

  #handles(): number[] {
    return this.#nvram.list(KEYS.hashPrefix).map((key) => {
      const text = key.slice(KEYS.hashPrefix.length);
      const handle = Number(text);
      if (!/^(0|[1-9][0-9]{0,9})$/.test(text) || handle > 0xffffffff) throw corrupt(key, 'not a hash handle');
      return handle;
    }).sort((a, b) => a - b);
  }

  #existingHash(handle: number): CertificateHashEntry {
    const entry = this.certificateHash(handle);
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
