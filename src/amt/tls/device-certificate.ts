/**
 * The device's own TLS identity, made at first boot: an RSA-2048 key and a self-signed X.509
 * certificate (RSA because AMT clients offer RSA key exchange suites). The AMT app keeps it in
 * NVRAM through a `DeviceCertificateStore`; consoles pin its SHA-1/SHA-256 fingerprint.
 */
import 'reflect-metadata';
import { X509Certificate as NodeX509Certificate, createPrivateKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { VmeError } from '../../common/errors.js';

export interface DeviceCredential {
  readonly privateKeyPem: string;
  readonly certificatePem: string;
}

/** Persistence seam: the AMT app implements it over NVRAM; tests use `MemoryCertificateStore`. */
export interface DeviceCertificateStore {
  load(): Promise<DeviceCredential | undefined>;
  save(credential: DeviceCredential): Promise<void>;
}

export interface DeviceCertificateOptions {
  /** Subject CN; default `vme-amt`. */
  readonly commonName?: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly validityDays?: number;
  readonly now?: Date;
}

const RSA_ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 } as const;
const DAY_MS = 86_400_000;

/** A new RSA-2048 key and self-signed certificate (serverAuth, SANs for the given names). */
export async function generateDeviceCertificate(options: DeviceCertificateOptions = {}): Promise<DeviceCredential> {
  const keys = await webcrypto.subtle.generateKey(RSA_ALGORITHM, true, ['sign', 'verify']);
  const now = options.now ?? new Date();
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const names = [
    ...(options.dnsNames ?? ['localhost']).map((value) => ({ type: 'dns' as const, value })),
    ...(options.ipAddresses ?? ['127.0.0.1']).map((value) => ({ type: 'ip' as const, value })),
  ];
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
    name: `CN=${escapeName(options.commonName ?? 'vme-amt')}, O=vme virtual AMT`,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + (options.validityDays ?? 3650) * DAY_MS),
    signingAlgorithm: RSA_ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  return { privateKeyPem: pem('PRIVATE KEY', pkcs8), certificatePem: certificate.toString('pem') };
}

/** First boot: generate and save; later boots: load. @throws VmeError VME_ERR_AMT_TLS_CONFIG for a stored pair that does not match. */
export async function loadOrCreateDeviceCertificate(store: DeviceCertificateStore, options: DeviceCertificateOptions = {}): Promise<DeviceCredential> {
  const stored = await store.load();
  if (stored !== undefined) {
    assertCredential(stored);
    return stored;
  }
  const credential = await generateDeviceCertificate(options);
  await store.save(credential);
  return credential;
}

/** SHA-1 and SHA-256 fingerprints (colon hex) as MeshCentral and go-wsman pin them. */
export function certificateFingerprints(credential: DeviceCredential): { sha1: string; sha256: string } {
  const certificate = new NodeX509Certificate(credential.certificatePem);
  return { sha1: certificate.fingerprint, sha256: certificate.fingerprint256 };
}

/** @throws VmeError VME_ERR_AMT_TLS_CONFIG unless the key is the certificate's. */
export function assertCredential(credential: DeviceCredential): void {
  try {
    const certificate = new NodeX509Certificate(credential.certificatePem);
    if (!certificate.checkPrivateKey(createPrivateKey(credential.privateKeyPem))) throw new Error('key does not match certificate');
  } catch (error) {
    throw new VmeError('VME_ERR_AMT_TLS_CONFIG', `device certificate unusable: ${(error as Error).message}`);
  }
}

export class MemoryCertificateStore implements DeviceCertificateStore {
  #credential: DeviceCredential | undefined;
  saves = 0;

  load(): Promise<DeviceCredential | undefined> {
    return Promise.resolve(this.#credential);
  }

  save(credential: DeviceCredential): Promise<void> {
    this.#credential = credential;
    this.saves += 1;
    return Promise.resolve();
  }
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function escapeName(value: string): string {
  return value.replace(/([,+"\\<>;=])/g, '\\$1');
}
