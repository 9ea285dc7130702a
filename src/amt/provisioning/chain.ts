/**
 * The device-side check of an ACM provisioning chain (brief §6.3), leaf first, root last: each
 * certificate signed by the next and every issuer a CA; the root self-signed and its hash an
 * active entry of the provisioning-certificate hash table; every certificate within its validity;
 * the leaf an AMT provisioning certificate (EKU 2.16.840.1.113741.1.2.3, or serverAuth) issued for
 * a name under one of the device's DNS suffixes. Pure: the verdict names the first rule broken.
 */
import { timingSafeEqual } from 'node:crypto';
import type { CertificateHashEntry } from '../../amt-state/index.js';
import { certificateDigest, issuedBy, type ChainCertificate } from './certificate.js';

/** "Intel AMT Client Setup Certificate" (brief §6.3; MeshCommander's OID list: .1 remote console, .2 local console, .3 client setup). */
export const AMT_PROVISIONING_OID = '2.16.840.1.113741.1.2.3';
export const SERVER_AUTH_OID = '1.3.6.1.5.5.7.3.1';

export type ChainFailure =
  | 'broken-chain'
  | 'untrusted-root'
  | 'outside-validity'
  | 'not-provisioning-certificate'
  | 'wrong-dns-suffix';

export interface ProvisioningTrust {
  /** The provisioning-certificate hash table; only active entries count. */
  readonly hashes: readonly CertificateHashEntry[];
  /** DNS suffixes the leaf may be issued under (PKI DNS suffix, the network's suffixes). */
  readonly dnsSuffixes: readonly string[];
}

export type ChainVerdict = { readonly ok: true } | { readonly ok: false; readonly failure: ChainFailure };

/** Whether `subject` may precede `issuer` in a chain: issued and signed by it, and the issuer a CA. */
export function linksTo(subject: ChainCertificate, issuer: ChainCertificate): boolean {
  return issuer.isCa && issuedBy(subject, issuer);
}

/** Checks a complete chain (leaf first, root last) at time `now` (ms). */
export function verifyProvisioningChain(chain: readonly ChainCertificate[], trust: ProvisioningTrust, now: number): ChainVerdict {
  const leaf = chain[0];
  const root = chain[chain.length - 1];
  if (leaf === undefined || root === undefined) return { ok: false, failure: 'broken-chain' };
  const linked = chain.every((certificate, i) => {
    const issuer = chain[i + 1] ?? certificate;
    return linksTo(certificate, issuer);
  });
  if (!linked) return { ok: false, failure: 'broken-chain' };
  if (!isTrustedRoot(root, trust.hashes)) return { ok: false, failure: 'untrusted-root' };
  if (chain.some((c) => now < c.notBefore || now > c.notAfter)) return { ok: false, failure: 'outside-validity' };
  if (!isProvisioningCertificate(leaf)) return { ok: false, failure: 'not-provisioning-certificate' };
  if (!underDnsSuffix(leaf, trust.dnsSuffixes)) return { ok: false, failure: 'wrong-dns-suffix' };
  return { ok: true };
}

/** The root's digest equals an active entry's hash (with the entry's algorithm). */
export function isTrustedRoot(root: ChainCertificate, hashes: readonly CertificateHashEntry[]): boolean {
  return hashes.some((entry) => {
    if (!entry.isActive) return false;
    const digest = certificateDigest(root, entry.algorithm);
    return digest.length === entry.hash.length && timingSafeEqual(digest, entry.hash);
  });
}

export function isProvisioningCertificate(leaf: ChainCertificate): boolean {
  return leaf.extendedKeyUsages.includes(AMT_PROVISIONING_OID) || leaf.extendedKeyUsages.includes(SERVER_AUTH_OID);
}

/** A CN or dNSName equal to a suffix or ending in `.` + suffix (case-insensitive; `*.suffix` counts). */
export function underDnsSuffix(leaf: ChainCertificate, suffixes: readonly string[]): boolean {
  const wanted = suffixes.map((s) => s.toLowerCase().replace(/^\.+|\.+$/g, '')).filter((s) => s.length > 0);
  return [...leaf.commonNames, ...leaf.dnsNames].some((name) => {
    const n = name.toLowerCase().replace(/\.+$/, '');
    return wanted.some((suffix) => n === suffix || n.endsWith(`.${suffix}`));
  });
}
