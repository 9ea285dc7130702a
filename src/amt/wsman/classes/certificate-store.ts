/**
 * AMT's certificate store (brief §3.7): certificates (trusted roots and the device's own) and RSA
 * key pairs, each under a handle (`Intel(r) AMT Certificate: Handle: N`, `Intel(r) AMT Key:
 * Handle: N`, the lowest free number). Adds take effect at once; only TLS settings wait for
 * CommitChanges (tls-state.ts). Private keys are PKCS#8 DER in the state (integrity-protected
 * NVRAM) and never leave through WS-Man. Failures are the PT_STATUS codes of the SDK
 * (GWM `pkg/wsman/common` return values; rpc-go checks DUPLICATE and INVALID_CERT by number).
 */
import { inspectCertificate, type RsaKeyPairDer } from '../../tls/pki.js';
import type { StateSlot, WsmanState } from '../state.js';

export interface StoredCertificate {
  readonly handle: number;
  readonly der: Uint8Array;
  /** Added by AddTrustedRootCertificate. */
  readonly trustedRoot: boolean;
  readonly subject: string;
  readonly issuer: string;
  /** PKCS#1 DER of the certificate's RSA key (to find its key pair); undefined for other key types. */
  readonly publicKey: Uint8Array | undefined;
}

export interface StoredKeyPair {
  readonly handle: number;
  /** PKCS#8 DER: SECRET. */
  readonly privateKey: Uint8Array;
  /** PKCS#1 RSAPublicKey DER (AMT_PublicPrivateKeyPair.DERKey). */
  readonly publicKey: Uint8Array;
}

export interface CertificateStore {
  readonly certificates: readonly StoredCertificate[];
  readonly keyPairs: readonly StoredKeyPair[];
}

export const CERTIFICATE_STORE: StateSlot<CertificateStore> = { name: 'wsman/certificate-store', initial: () => ({ certificates: [], keyPairs: [] }) };

/** The PT_STATUS values the certificate methods answer (brief §2.5; GWM common return values). */
export const PKI_STATUS = {
  success: 0,
  maxLimitReached: 23,
  invalidParameter: 36,
  dataMissing: 2057,
  duplicate: 2058,
  invalidKey: 2062,
  invalidCert: 2063,
  certKeyNotMatch: 2064,
  notFound: 2068,
} as const;

/** Store capacity (vme's choice; AMT's own limits are not published in the sources read). */
export const STORE_LIMITS = { certificates: 32, keyPairs: 16 } as const;

const CERTIFICATE_ID = 'Intel(r) AMT Certificate: Handle: ';
const KEY_ID = 'Intel(r) AMT Key: Handle: ';

export const certificateInstanceId = (handle: number): string => `${CERTIFICATE_ID}${handle}`;
export const keyPairInstanceId = (handle: number): string => `${KEY_ID}${handle}`;

/** The handle an InstanceID names, if it is one of this store's IDs. */
export function handleOf(instanceId: string, kind: 'certificate' | 'key'): number | undefined {
  const prefix = kind === 'certificate' ? CERTIFICATE_ID : KEY_ID;
  const digits = instanceId.startsWith(prefix) ? instanceId.slice(prefix.length) : '';
  return /^\d{1,4}$/.test(digits) ? Number(digits) : undefined;
}

export type AddResult = { readonly status: 0; readonly handle: number } | { readonly status: number; readonly handle?: undefined };

/**
 * AddCertificate / AddTrustedRootCertificate: a certificate that is not a trusted root must match
 * a key pair in the store (CERT_KEY_NOT_MATCH otherwise), as AMT serves it with that key.
 */
export function addCertificate(state: WsmanState, der: Uint8Array, trustedRoot: boolean): AddResult {
  let info: ReturnType<typeof inspectCertificate>;
  try {
    info = inspectCertificate(der);
  } catch {
    return { status: PKI_STATUS.invalidCert };
  }
  const store = state.get(CERTIFICATE_STORE);
  if (store.certificates.some((c) => sameBytes(c.der, der))) return { status: PKI_STATUS.duplicate };
  if (store.certificates.length >= STORE_LIMITS.certificates) return { status: PKI_STATUS.maxLimitReached };
  if (!trustedRoot && !store.keyPairs.some((k) => info.rsaPublicKey !== undefined && sameBytes(k.publicKey, info.rsaPublicKey))) {
    return { status: PKI_STATUS.certKeyNotMatch };
  }
  const handle = lowestFree(store.certificates);
  const certificate: StoredCertificate = { handle, der: Uint8Array.from(der), trustedRoot, subject: info.subject, issuer: info.issuer, publicKey: info.rsaPublicKey };
  state.set(CERTIFICATE_STORE, { ...store, certificates: [...store.certificates, certificate] });
  return { status: PKI_STATUS.success, handle };
}

/** GenerateKeyPair / AddKey: stores `pair` unless the store already holds that key. */
export function addKeyPair(state: WsmanState, pair: RsaKeyPairDer): AddResult {
  const store = state.get(CERTIFICATE_STORE);
  if (store.keyPairs.some((k) => sameBytes(k.publicKey, pair.publicKey))) return { status: PKI_STATUS.duplicate };
  if (store.keyPairs.length >= STORE_LIMITS.keyPairs) return { status: PKI_STATUS.maxLimitReached };
  const handle = lowestFree(store.keyPairs);
  state.set(CERTIFICATE_STORE, { ...store, keyPairs: [...store.keyPairs, { handle, privateKey: pair.privateKey, publicKey: pair.publicKey }] });
  return { status: PKI_STATUS.success, handle };
}

/** Whether the store has room for one more key pair (checked before generating one). */
export const keyPairRoom = (state: WsmanState): boolean => state.get(CERTIFICATE_STORE).keyPairs.length < STORE_LIMITS.keyPairs;

export function findCertificate(state: WsmanState, handle: number): StoredCertificate | undefined {
  return state.get(CERTIFICATE_STORE).certificates.find((c) => c.handle === handle);
}

export function findKeyPair(state: WsmanState, handle: number): StoredKeyPair | undefined {
  return state.get(CERTIFICATE_STORE).keyPairs.find((k) => k.handle === handle);
}

/** The key pair a certificate was issued for, if the store holds it. */
export function keyPairOf(state: WsmanState, certificate: StoredCertificate): StoredKeyPair | undefined {
  const key = certificate.publicKey;
  return key === undefined ? undefined : state.get(CERTIFICATE_STORE).keyPairs.find((k) => sameBytes(k.publicKey, key));
}

export function removeCertificate(state: WsmanState, handle: number): void {
  const store = state.get(CERTIFICATE_STORE);
  state.set(CERTIFICATE_STORE, { ...store, certificates: store.certificates.filter((c) => c.handle !== handle) });
}

export function removeKeyPair(state: WsmanState, handle: number): void {
  const store = state.get(CERTIFICATE_STORE);
  state.set(CERTIFICATE_STORE, { ...store, keyPairs: store.keyPairs.filter((k) => k.handle !== handle) });
}

function lowestFree(entries: readonly { readonly handle: number }[]): number {
  const used = new Set(entries.map((e) => e.handle));
  let handle = 0;
  while (used.has(handle)) handle++;
  return handle;
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
