/** Test PKI for mutual TLS: a console CA and client certificates it issues (RSA-2048, @peculiar/x509). */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;
import * as x509 from '@peculiar/x509';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;

export interface TestPem {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

async function privatePem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key)).toString('base64');
  return `-----BEGIN PRIVATE KEY-----\n${(der.match(/.{1,64}/g) ?? []).join('\n')}\n-----END PRIVATE KEY-----\n`;
}

const validity = (): { notBefore: Date; notAfter: Date } => ({ notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000) });

/** A self-signed CA with its keys (to issue client certificates). */
export async function createTestCa(name = 'vme test console CA'): Promise<TestPem & { keys: CryptoKeyPair; certificate: x509.X509Certificate }> {
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01', name: `CN=${name}`, ...validity(), signingAlgorithm: RSA, keys,
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return { keys, certificate, certificatePem: certificate.toString('pem'), privateKeyPem: await privatePem(keys.privateKey) };
}

/** A client (clientAuth) certificate for `commonName` issued by `ca`. */
export async function issueClientCertificate(ca: Awaited<ReturnType<typeof createTestCa>>, commonName: string): Promise<TestPem> {
  const keys = await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: '02', subject: `CN=${commonName}`, issuer: ca.certificate.subject, ...validity(), signingAlgorithm: RSA,
    publicKey: keys.publicKey, signingKey: ca.keys.privateKey,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
  });
  return { certificatePem: certificate.toString('pem'), privateKeyPem: await privatePem(keys.privateKey) };
}
