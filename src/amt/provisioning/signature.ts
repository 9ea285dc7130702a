/**
 * The AdminSetup / UpgradeClientToAdmin proof of possession (brief §6.3 steps 3-5): the console
 * signs ConfigurationNonce || McNonce (firmware nonce first) with the leaf certificate's RSA key,
 * PKCS#1 v1.5 with SHA-256 (SigningAlgorithm 2, GWM hostbasedsetup decoder.go; RPS always uses
 * SHA-256). McNonce is 20 random bytes, like the firmware's nonce.
 */
import { verify } from 'node:crypto';
import type { ChainCertificate } from './certificate.js';

/** IPS_HostBasedSetupService SigningAlgorithm values (GWM hostbasedsetup decoder.go). */
export const SIGNING_ALGORITHM = { none: 0, other: 1, rsaSha256: 2 } as const;

/** McNonce and ConfigurationNonce length in bytes (RPS/rpc-go generateNonce; brief §3.1). */
export const NONCE_LENGTH = 20;

/** Whether `signature` is the leaf key's RSA-SHA256 signature over `configurationNonce || mcNonce`. */
export function verifyNonceSignature(leaf: ChainCertificate, configurationNonce: Uint8Array, mcNonce: Uint8Array, signature: Uint8Array): boolean {
  const key = leaf.x509.publicKey;
  if (key.asymmetricKeyType !== 'rsa' || signature.length === 0) return false;
  try {
    return verify('sha256', Buffer.concat([configurationNonce, mcNonce]), key, signature);
  } catch {
    return false;
  }
}
