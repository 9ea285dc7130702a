/**
 * Signatures for the crypto engine: RSA PKCS#1 v1.5 and PSS (salt length = hash length), ECDSA
 * over P-256 and P-384 with fixed-size r ‖ s signatures (IEEE P1363, as hardware emits them).
 * Signing and verifying use node:crypto's callback forms, which run on the libuv thread pool.
 */
import { constants, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import { deviceFail } from './errors.js';

export type SignatureAlgorithm =
  | 'RSA-PKCS1-SHA256' | 'RSA-PKCS1-SHA384'
  | 'RSA-PSS-SHA256' | 'RSA-PSS-SHA384'
  | 'ECDSA-SHA256' | 'ECDSA-SHA384';

interface AlgorithmSpec {
  readonly keyType: 'rsa' | 'ec';
  readonly hash: 'sha256' | 'sha384';
  readonly options: Record<string, unknown>;
}

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
const PKCS1 = { padding: constants.RSA_PKCS1_PADDING };
const P1363 = { dsaEncoding: 'ieee-p1363' };

const ALGORITHMS: Record<SignatureAlgorithm, AlgorithmSpec> = {
  'RSA-PKCS1-SHA256': { keyType: 'rsa', hash: 'sha256', options: PKCS1 },
  'RSA-PKCS1-SHA384': { keyType: 'rsa', hash: 'sha384', options: PKCS1 },
  'RSA-PSS-SHA256': { keyType: 'rsa', hash: 'sha256', options: PSS },
  'RSA-PSS-SHA384': { keyType: 'rsa', hash: 'sha384', options: PSS },
  'ECDSA-SHA256': { keyType: 'ec', hash: 'sha256', options: P1363 },
  'ECDSA-SHA384': { keyType: 'ec', hash: 'sha384', options: P1363 },
};

function specFor(algorithm: SignatureAlgorithm, key: KeyObject): AlgorithmSpec {
  const spec = ALGORITHMS[algorithm] as AlgorithmSpec | undefined;
  if (!spec) throw new RangeError(`unknown signature algorithm ${String(algorithm)}`);
  if (key.asymmetricKeyType !== spec.keyType) {
    deviceFail('VME_ERR_CRYPTO_KEY', `${algorithm} needs an ${spec.keyType} key, not ${key.asymmetricKeyType ?? 'a secret key'}`, 'app');
  }
  return spec;
}

/** Signs `data` with a private key on the thread pool. @throws DeviceError VME_ERR_CRYPTO_KEY for a key of the wrong type */
export function signData(key: KeyObject, algorithm: SignatureAlgorithm, data: Uint8Array): Promise<Uint8Array> {
  const spec = specFor(algorithm, key);
  return new Promise((resolve, reject) => {
    sign(spec.hash, data, { key, ...spec.options }, (error, signature) => (error ? reject(error) : resolve(new Uint8Array(signature))));
  });
}

/**
 * Verifies `signature` over `data` with a public key given as SPKI DER; false on any mismatch.
 * @throws TypeError when the public key is not SPKI DER; DeviceError VME_ERR_CRYPTO_KEY when of the wrong type.
 */
export function verifyData(publicKey: Uint8Array, algorithm: SignatureAlgorithm, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from(publicKey), format: 'der', type: 'spki' });
  } catch {
    throw new TypeError('publicKey is not a DER SubjectPublicKeyInfo');
  }
  const spec = specFor(algorithm, key);
  return new Promise((resolve) => {
    verify(spec.hash, data, { key, ...spec.options }, signature, (error, ok) => resolve(!error && ok));
  });
}

/** The SPKI DER encoding of a private key's public half. */
export function publicKeyOf(key: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }));
}
