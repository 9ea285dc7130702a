/**
 * One certificate of a provisioning chain (IPS_HostBasedSetupService.AddNextCertInChain, brief
 * §6.3), parsed from the DER the console sends and reduced to what ACM activation checks: names,
 * extended key usages, CA flag, validity, SHA fingerprints. Parsing is node:crypto's (OpenSSL),
 * synchronous because WS-Man class code is.
 */
import { createHash, X509Certificate } from 'node:crypto';

/** Largest certificate accepted (DER bytes); real chains are a few KiB per certificate. */
export const MAX_CERTIFICATE_BYTES = 16 * 1024;

export interface ChainCertificate {
  readonly der: Uint8Array;
  readonly x509: X509Certificate;
  /** Subject CN values (usually one). */
  readonly commonNames: readonly string[];
  /** dNSName subject alternative names. */
  readonly dnsNames: readonly string[];
  /** Extended key usage OIDs; empty when the extension is absent. */
  readonly extendedKeyUsages: readonly string[];
  readonly isCa: boolean;
  /** Validity in ms since the epoch. */
  readonly notBefore: number;
  readonly notAfter: number;
}

/** Parses DER bytes; undefined for anything else (PEM, garbage, oversized, trailing bytes). */
export function parseChainCertificate(der: Uint8Array): ChainCertificate | undefined {
  if (der.length === 0 || der.length > MAX_CERTIFICATE_BYTES || der[0] !== 0x30) return undefined;
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    return undefined;
  }
  if (!Buffer.from(x509.raw).equals(der)) return undefined;
  const notBefore = Date.parse(x509.validFrom);
  const notAfter = Date.parse(x509.validTo);
  if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) return undefined;
  return {
    der: Uint8Array.from(der), x509, commonNames: commonNames(x509), dnsNames: dnsNames(x509),
    extendedKeyUsages: x509.keyUsage ?? [], isCa: x509.ca, notBefore, notAfter,
  };
}

function commonNames(x509: X509Certificate): string[] {
  // The typings say string; a certificate with several CNs gives an array.
  const cn = (x509.toLegacyObject().subject as unknown as Partial<Record<string, string | string[]>> | undefined)?.['CN'];
  return cn === undefined ? [] : Array.isArray(cn) ? cn : [cn];
}

function dnsNames(x509: X509Certificate): string[] {
  return (x509.subjectAltName ?? '').split(', ').flatMap((entry) => (/^DNS:[A-Za-z0-9.*-]+$/.test(entry) ? [entry.slice(4)] : []));
}

/** Digest of the DER with `algorithm` (a node:crypto name: sha1, sha256, ...). */
export function certificateDigest(certificate: ChainCertificate, algorithm: string): Uint8Array {
  return Uint8Array.from(createHash(algorithm).update(certificate.der).digest());
}

/** `subject` was issued and signed by `issuer` (names, key identifiers and signature). */
export function issuedBy(subject: ChainCertificate, issuer: ChainCertificate): boolean {
  try {
    return subject.x509.checkIssued(issuer.x509) && subject.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}
