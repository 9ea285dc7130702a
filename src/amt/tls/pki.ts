/**
 * Certificates and RSA keys as AMT's certificate store takes them (brief §3.7): DER X.509
 * certificates, RSA keys generated in the device (node:crypto) or added as PKCS#1 / PKCS#8 DER.
 * Private keys stay PKCS#8 DER (the store's secret); public keys are PKCS#1 RSAPublicKey DER, the
 * form AMT_PublicPrivateKeyPair.DERKey carries (`MIIBCgKCAQEA…` in the recorded reply).
 * Distinguished names are written as AMT writes Issuer/Subject: RFC 4514 order, no spaces
 * (`C=unknown,O=unknown,CN=MPSRoot-0af1d5`).
 */
import 'reflect-metadata';
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate as NodeX509Certificate, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { VmeError } from '../../common/errors.js';

/** DER bytes AMT accepts for one certificate (vme's limit; a 4096-bit chain member is ~1.5 KiB). */
export const MAX_CERTIFICATE_BYTES = 8192;
/** RSA modulus sizes AddKey accepts (GenerateKeyPair makes 2048 only). */
export const RSA_MODULUS_BITS = { min: 2048, max: 4096 } as const;

export interface RsaKeyPairDer {
  /** PKCS#8 PrivateKeyInfo DER: secret. */
  readonly privateKey: Uint8Array;
  /** PKCS#1 RSAPublicKey DER. */
  readonly publicKey: Uint8Array;
}

export interface CertificateInfo {
  readonly subject: string;
  readonly issuer: string;
  /** PKCS#1 DER of an RSA subject key; undefined for other key types. */
  readonly rsaPublicKey: Uint8Array | undefined;
}

const invalid = (what: string, reason: string): VmeError => new VmeError('VME_ERR_AMT_PKI_INVALID', `${what}: ${reason}`, { what });

/** A fresh RSA key pair (e = 65537). */
export function generateRsaKeyPair(modulusLength = 2048): RsaKeyPairDer {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength, publicExponent: 0x10001 });
  return derPair(privateKey);
}

/** An RSA private key given as PKCS#1 RSAPrivateKey or PKCS#8 DER. @throws VmeError VME_ERR_AMT_PKI_INVALID */
export function importRsaPrivateKey(blob: Uint8Array): RsaKeyPairDer {
  const key = parsePrivateKey(Buffer.from(blob));
  if (key === undefined || key.asymmetricKeyType !== 'rsa') throw invalid('key', 'not an RSA private key in PKCS#1 or PKCS#8 DER');
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < RSA_MODULUS_BITS.min || bits > RSA_MODULUS_BITS.max) throw invalid('key', `RSA-${bits} is not supported`);
  return derPair(key);
}

function parsePrivateKey(der: Buffer): KeyObject | undefined {
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    try {
      return createPrivateKey({ key: der, format: 'der', type });
    } catch {
      // try the next encoding
    }
  }
  return undefined;
}

function derPair(privateKey: KeyObject): RsaKeyPairDer {
  return {
    privateKey: Uint8Array.from(privateKey.export({ type: 'pkcs8', format: 'der' })),
    publicKey: Uint8Array.from(createPublicKey(privateKey).export({ type: 'pkcs1', format: 'der' })),
  };
}

/** Parses a DER certificate. @throws VmeError VME_ERR_AMT_PKI_INVALID */
export function inspectCertificate(der: Uint8Array): CertificateInfo {
  if (der.length === 0 || der.length > MAX_CERTIFICATE_BYTES) throw invalid('certificate', `${der.length} bytes`);
  let node: NodeX509Certificate;
  let parsed: x509.X509Certificate;
  try {
    node = new NodeX509Certificate(Buffer.from(der));
    parsed = new x509.X509Certificate(Uint8Array.from(der));
  } catch (error) {
    throw invalid('certificate', `not DER X.509 (${(error as Error).message})`);
  }
  if (!Buffer.from(parsed.rawData).equals(Buffer.from(der))) throw invalid('certificate', 'trailing bytes after the certificate');
  const key = node.publicKey;
  return {
    subject: amtDistinguishedName(parsed.subjectName),
    issuer: amtDistinguishedName(parsed.issuerName),
    rsaPublicKey: key.asymmetricKeyType === 'rsa' ? Uint8Array.from(key.export({ type: 'pkcs1', format: 'der' })) : undefined,
  };
}

/** `C=…,O=…,CN=…`: RDNs last first, values escaped per RFC 4514, multi-valued RDNs joined by '+'. */
function amtDistinguishedName(name: x509.Name): string {
  return name.toJSON().reverse().map((rdn) =>
    Object.entries(rdn).flatMap(([type, values]) => values.map((value) => `${type}=${escapeRdnValue(value)}`)).join('+'),
  ).join(',');
}

function escapeRdnValue(value: string): string {
  return value.replace(/[,+"\\<>;=]/g, '\\$&').replace(/^[ #]/, '\\$&').replace(/ $/, '\\ ');
}

/** PEM text of DER bytes (`CERTIFICATE`, `PRIVATE KEY`). */
export function derToPem(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
