/**
 * Where the device's TLS credential is kept and what is built from it: the certificate and key
 * (src/amt/tls generateDeviceCertificate, made once: identity.ts) live in the `amt` namespace under
 * `device-certificate` (not under `secret/`: the device keeps its identity through Unprovision).
 * The settings new connections get are the committed WS-Man TLS setup (AMT_TLSSettingData /
 * AMT_TLSCredentialContext after CommitChanges) over that credential, profile amt-16; a committed
 * setup OpenSSL refuses falls back to the device credential alone.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { AmtCertificateHash } from '../../amt-state/index.js';
import { activeTlsConfig } from '../../amt/wsman/classes/tls-state.js';
import type { WsmanState } from '../../amt/wsman/state.js';
import { TlsSettings, type DeviceCertificateStore, type DeviceCredential, type TlsConfig } from '../../amt/tls/index.js';
import type { NvramCache } from './nvram-cache.js';

export const DEVICE_CERTIFICATE_KEY = 'device-certificate';
export const TLS_PROFILE = 'amt-16';

/** The device credential in the cache (`save` stages it; identity.ts commits it). */
export class NvramCertificateStore implements DeviceCertificateStore {
  constructor(readonly cache: NvramCache) {}

  load(): Promise<DeviceCredential | undefined> {
    const bytes = this.cache.get(DEVICE_CERTIFICATE_KEY);
    if (bytes === undefined) return Promise.resolve(undefined);
    let record: Partial<DeviceCredential> = {};
    try {
      record = JSON.parse(new TextDecoder().decode(bytes)) as Partial<DeviceCredential>;
    } catch {
      // an unreadable record is no identity: a new one is made (and the hash PTHI reports follows)
    }
    const { privateKeyPem, certificatePem } = record;
    if (typeof privateKeyPem !== 'string' || typeof certificatePem !== 'string') return Promise.resolve(undefined);
    return Promise.resolve({ privateKeyPem, certificatePem });
  }

  save(credential: DeviceCredential): Promise<void> {
    this.cache.put(DEVICE_CERTIFICATE_KEY, new TextEncoder().encode(JSON.stringify({ privateKeyPem: credential.privateKeyPem, certificatePem: credential.certificatePem })));
    return Promise.resolve();
  }
}

/** The committed TLS setup of the network interface over the device credential. */
export const tlsConfigFor = (state: WsmanState, credential: DeviceCredential): TlsConfig => activeTlsConfig(state, credential, TLS_PROFILE);

/** Settings for the committed setup; the device credential alone when OpenSSL refuses it. */
export function tlsSettingsFor(state: WsmanState, credential: DeviceCredential): TlsSettings {
  try {
    return new TlsSettings(tlsConfigFor(state, credential));
  } catch {
    return new TlsSettings({ credential, profile: TLS_PROFILE });
  }
}

/** SHA-256 of the certificate's DER: what StartConfigurationHBased reports as AMT's certificate hash. */
export function certificateHash(credential: DeviceCredential): AmtCertificateHash {
  const der = new X509Certificate(credential.certificatePem).raw;
  return { algorithm: 'sha256', hash: Uint8Array.from(createHash('sha256').update(der).digest()) };
}
