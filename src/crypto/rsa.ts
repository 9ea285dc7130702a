/**
 * RSA-2048 PKCS#1 v1.5 with SHA-256 over node:crypto, plus the conversions the `$MN2` manifest
 * needs: it stores the modulus and the signature as little-endian integers and the public
 * exponent as a u32 (brief §2.5).
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, constants, type KeyObject } from 'node:crypto';

export const RSA_2048_BYTES = 256;

/** The public key as the manifest stores it. */
export interface RsaKeyBlock {
  /** Modulus, little-endian, exactly 256 bytes. */
  readonly modulusLE: Uint8Array;
  readonly exponent: number;
}

export function generateRsa2048(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
}

export const privateKeyFromPem = (pem: string): KeyObject => createPrivateKey(pem);
export const publicKeyFromPem = (pem: string): KeyObject => createPublicKey(pem);

/** Size of an RSA key's modulus in bits, or undefined for a key that is not RSA. */
export function rsaModulusBits(key: KeyObject): number | undefined {
  return key.asymmetricKeyType === 'rsa' ? key.asymmetricKeyDetails?.modulusLength : undefined;
}

/** The little-endian key block of an RSA-2048 public (or private) key. */
export function keyBlockOf(key: KeyObject): RsaKeyBlock {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  if (jwk.kty !== 'RSA' || jwk.n === undefined || jwk.e === undefined) throw new TypeError('not an RSA key');
  const modulusBE = Buffer.from(jwk.n, 'base64url');
  if (modulusBE.length !== RSA_2048_BYTES) throw new RangeError(`RSA modulus is ${modulusBE.length * 8} bits, expected 2048`);
  const exponentBE = Buffer.from(jwk.e, 'base64url');
  if (exponentBE.length > 4) throw new RangeError('RSA exponent does not fit in 32 bits');
  return { modulusLE: Uint8Array.from(modulusBE).reverse(), exponent: exponentBE.readUIntBE(0, exponentBE.length) };
}

/** A public KeyObject from the manifest's little-endian modulus and u32 exponent. */
export function publicKeyFromBlock(block: RsaKeyBlock): KeyObject {
  if (block.modulusLE.length !== RSA_2048_BYTES) throw new RangeError('modulus must be 256 bytes');
  const exponentBE = Buffer.alloc(4);
  exponentBE.writeUInt32BE(block.exponent >>> 0);
  const firstNonZero = exponentBE.findIndex((b) => b !== 0);
  const n = Buffer.from(Uint8Array.from(block.modulusLE).reverse()).toString('base64url');
  const e = exponentBE.subarray(firstNonZero < 0 ? 3 : firstNonZero).toString('base64url');
  return createPublicKey({ key: { kty: 'RSA', n, e }, format: 'jwk' });
}

/** Sign `message` (SHA-256, PKCS#1 v1.5); the signature is returned little-endian. */
export function signSha256LE(privateKey: KeyObject, message: Uint8Array): Uint8Array {
  const signatureBE = sign('sha256', message, { key: privateKey, padding: constants.RSA_PKCS1_PADDING });
  return Uint8Array.from(signatureBE).reverse();
}

/** Verify a little-endian signature over `message` (SHA-256, PKCS#1 v1.5). Never throws. */
export function verifySha256LE(publicKey: KeyObject, message: Uint8Array, signatureLE: Uint8Array): boolean {
  try {
    const signatureBE = Uint8Array.from(signatureLE).reverse();
    return verify('sha256', message, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signatureBE);
  } catch {
    return false;
  }
}
