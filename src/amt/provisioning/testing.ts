/**
 * A test provisioning PKI (RSA-2048, @peculiar/x509): a root CA, an intermediate CA and leaf
 * certificates with the AMT provisioning EKU issued under a DNS suffix, like a commercial ACM
 * certificate chain. Keys are made once per PKI; `issueLeaf` makes variants (expired, other name,
 * no EKU) with the same leaf key, and `sign` is what RPS/rpc-go do with the nonces.
 */
import 'reflect-metadata';
import { createHash, createPrivateKey, sign, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { AMT_PROVISIONING_OID } from './chain.js';

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;
const DAY = 86_400_000;

export interface LeafOptions {
  readonly commonName?: string;
  /** Extended key usage OIDs; default the AMT provisioning OID and serverAuth. */
  readonly extendedKeyUsages?: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface TestPki {
  /** DER of each CA certificate. */
  readonly root: Uint8Array;
  readonly intermediate: Uint8Array;
  /** SHA-256 of the root's DER: the hash table entry that trusts it. */
  readonly rootSha256: Uint8Array;
  /** The leaf key (signs the nonces). */
  readonly leafKey: KeyObject;
  /** A leaf certificate for the leaf key, issued by the intermediate. */
  issueLeaf(options?: LeafOptions): Promise<Uint8Array>;
}

const der = (certificate: x509.X509Certificate): Uint8Array => new Uint8Array(certificate.rawData);

async function caCertificate(name: string, keys: CryptoKeyPair, issuer?: { keys: CryptoKeyPair; certificate: x509.X509Certificate }): Promise<x509.X509Certificate> {
  const extensions = [
    new x509.BasicConstraintsExtension(true, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const validity = { notBefore: new Date(Date.now() - 365 * DAY), notAfter: new Date(Date.now() + 3650 * DAY) };
  if (issuer === undefined) return x509.X509CertificateGenerator.createSelfSigned({ serialNumber: '01', name, ...validity, signingAlgorithm: RSA, keys, extensions });
  return x509.X509CertificateGenerator.create({
    serialNumber: '02', subject: name, issuer: issuer.certificate.subject, ...validity, signingAlgorithm: RSA, publicKey: keys.publicKey, signingKey: issuer.keys.privateKey,
    extensions: [...extensions, await x509.AuthorityKeyIdentifierExtension.create(issuer.certificate)],
  });
}

/** Root → intermediate → leaves; `suffix` is the DNS suffix default leaves are issued under. */
export async function createTestPki(suffix = 'vme.example'): Promise<TestPki> {
  const [rootKeys, intermediateKeys, leafKeys] = await Promise.all([0, 1, 2].map(() => webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']))) as [CryptoKeyPair, CryptoKeyPair, CryptoKeyPair];
  const root = await caCertificate('CN=vme test provisioning root, O=vme', rootKeys);
  const intermediate = await caCertificate('CN=vme test provisioning CA, O=vme', intermediateKeys, { keys: rootKeys, certificate: root });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', leafKeys.privateKey));
  let serial = 16;
  return {
    root: der(root), intermediate: der(intermediate), rootSha256: Uint8Array.from(createHash('sha256').update(der(root)).digest()),
    leafKey: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
    issueLeaf: async (options = {}) => der(await x509.X509CertificateGenerator.create({
      serialNumber: (serial++).toString(16), subject: `CN=${options.commonName ?? `rps.${suffix}`}, OU=Intel(R) Client Setup Certificate`,
      issuer: intermediate.subject, notBefore: options.notBefore ?? new Date(Date.now() - DAY), notAfter: options.notAfter ?? new Date(Date.now() + 365 * DAY),
      signingAlgorithm: RSA, publicKey: leafKeys.publicKey, signingKey: intermediateKeys.privateKey,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([...(options.extendedKeyUsages ?? [AMT_PROVISIONING_OID, x509.ExtendedKeyUsage.serverAuth])]),
        await x509.AuthorityKeyIdentifierExtension.create(intermediate),
      ],
    })),
  };
}

/** RSA PKCS#1 v1.5 SHA-256 over ConfigurationNonce || McNonce, as RPS createSignedString does. */
export function signNonces(key: KeyObject, configurationNonce: Uint8Array, mcNonce: Uint8Array): Uint8Array {
  return Uint8Array.from(sign('sha256', Buffer.concat([configurationNonce, mcNonce]), key));
}
