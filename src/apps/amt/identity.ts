/**
 * The device's identity for one incarnation of the app: its TLS credential, loaded from NVRAM or
 * made once and stored with its hash (what StartConfigurationHBased reports) in one commit, and the
 * TLS settings new connections get, compiled on first use from the committed WS-Man TLS setup.
 * Making an RSA-2048 key is slow, so it happens at the first boot with a network, or else at first
 * need (a PTHI message, a WS-Man request, a TLS connection): a fleet of platforms nobody talks to
 * never pays for it. Never called while holding the app's mutex: storing the new credential takes it.
 */
import { generateDeviceCertificate, type ActiveTls, type DeviceCertificateOptions, type DeviceCredential, type TlsConfig, type TlsSettings } from '../../amt/tls/index.js';
import { assertCredential } from '../../amt/tls/device-certificate.js';
import type { AmtStateStore } from '../../amt-state/index.js';
import type { WsmanState } from '../../amt/wsman/state.js';
import type { Mutex } from './mutex.js';
import type { NvramCache } from './nvram-cache.js';
import { certificateHash, NvramCertificateStore, tlsConfigFor, tlsSettingsFor } from './tls-identity.js';

export interface IdentityParts {
  readonly cache: NvramCache;
  readonly store: AmtStateStore;
  readonly lock: Mutex;
  /** The committed WS-Man state (the TLS setup new connections get). */
  readonly committed: WsmanState;
  readonly certificate?: DeviceCertificateOptions;
}

export class DeviceIdentity {
  readonly #parts: IdentityParts;
  #credential: DeviceCredential | undefined;
  #pending: Promise<DeviceCredential> | undefined;
  #tls: TlsSettings | undefined;

  constructor(parts: IdentityParts) {
    this.#parts = parts;
  }

  /** The credential once established (undefined before, or when it could not be). */
  get credential(): DeviceCredential | undefined {
    return this.#credential;
  }

  /** Loads or makes (and stores) the credential; a failure is retried at the next call. */
  ensure(): Promise<DeviceCredential> {
    if (this.#credential !== undefined) return Promise.resolve(this.#credential);
    this.#pending ??= this.#establish().catch((error: unknown) => {
      this.#pending = undefined;
      throw error;
    });
    return this.#pending;
  }

  /** The settings for a TLS connection arriving now. */
  async tls(): Promise<ActiveTls> {
    const credential = await this.ensure();
    this.#tls ??= tlsSettingsFor(this.#parts.committed, credential);
    return this.#tls.active;
  }

  /** The TLS config `state` describes, or undefined while there is no credential. */
  config(state: WsmanState): TlsConfig | undefined {
    return this.#credential === undefined ? undefined : tlsConfigFor(state, this.#credential);
  }

  /** A committed change of the TLS setup: new connections get `config` (settings not built yet are built from it later). */
  apply(config: TlsConfig): void {
    if (this.#tls === undefined) return;
    this.#tls.stage(config);
    this.#tls.commit();
  }

  async #establish(): Promise<DeviceCredential> {
    const { cache, store, lock } = this.#parts;
    const stored = await new NvramCertificateStore(cache).load();
    const usable = stored !== undefined && usableCredential(stored) ? stored : undefined;
    const credential = usable ?? await generateDeviceCertificate(this.#parts.certificate);
    await lock.run(async () => {
      if (usable === undefined) await new NvramCertificateStore(cache).save(credential);
      await reportCertificateHash(store, credential);
      await cache.flush();
    });
    this.#credential = credential;
    return credential;
  }
}

function usableCredential(credential: DeviceCredential): boolean {
  try {
    assertCredential(credential);
    return true;
  } catch {
    return false;
  }
}

/** The hash of AMT's own certificate, as StartConfigurationHBased reports it (staged when it changed). */
export async function reportCertificateHash(store: AmtStateStore, credential: DeviceCredential): Promise<void> {
  const wanted = certificateHash(credential);
  const stored = await store.amtCertificateHash();
  if (stored?.algorithm !== wanted.algorithm || Buffer.compare(stored.hash, wanted.hash) !== 0) await store.update({ amtCertificateHash: wanted });
}
