/**
 * AES for the crypto engine: CBC (PKCS#7 padding), CTR (128-bit big-endian counter) and GCM
 * (96-bit IV, 128-bit tag appended to the ciphertext). Small inputs run synchronously through
 * node:crypto (a thread-pool hop would cost more than the work); large ones run through WebCrypto,
 * whose AES jobs execute on the libuv thread pool, so the main thread stays free meanwhile. Both
 * paths give identical bytes (tested).
 */
import { type CipherGCMTypes, createCipheriv, createDecipheriv, type KeyObject, webcrypto } from 'node:crypto';
import { deviceFail } from './errors.js';

export type AesMode = 'cbc' | 'ctr' | 'gcm';

/** Parameters of one AES operation. */
export interface AesParameters {
  readonly mode: AesMode;
  /** 16 bytes for CBC and CTR (initial counter block), 12 bytes for GCM. */
  readonly iv: Uint8Array;
  /** GCM only: additional authenticated data. */
  readonly additionalData?: Uint8Array;
}

/** Default size from which inputs take the thread-pool path (see CryptoEngineOptions.offloadThresholdBytes). */
export const AES_THREAD_POOL_THRESHOLD = 64 * 1024;
export const GCM_TAG_BYTES = 16;

const WEB_NAMES = { cbc: 'AES-CBC', ctr: 'AES-CTR', gcm: 'AES-GCM' } as const;

/** Checks the IV length for the mode. @throws RangeError */
export function checkAesParameters(parameters: AesParameters): void {
  const want = parameters.mode === 'gcm' ? 12 : 16;
  if (!(parameters.iv instanceof Uint8Array) || parameters.iv.length !== want) {
    throw new RangeError(`AES-${parameters.mode.toUpperCase()} iv must be ${want} bytes`);
  }
  if (parameters.additionalData !== undefined && parameters.mode !== 'gcm') throw new RangeError('additionalData is for GCM only');
}

export function webAlgorithmName(mode: AesMode): 'AES-GCM' | 'AES-CBC' | 'AES-CTR' {
  return WEB_NAMES[mode];
}

/** Synchronous AES through node:crypto. @throws DeviceError VME_ERR_CRYPTO_AUTH on a bad tag or padding */
export function aesSync(key: KeyObject, parameters: AesParameters, data: Uint8Array, encrypt: boolean): Uint8Array {
  if (parameters.mode === 'gcm') return encrypt ? gcmEncrypt(key, parameters, data) : gcmDecrypt(key, parameters, data);
  const name = `aes-${(key.symmetricKeySize ?? 0) * 8}-${parameters.mode}`;
  const cipher = encrypt ? createCipheriv(name, key, parameters.iv) : createDecipheriv(name, key, parameters.iv);
  return finish(cipher.update(data), () => cipher.final());
}

function gcmName(key: KeyObject): CipherGCMTypes {
  return key.symmetricKeySize === 16 ? 'aes-128-gcm' : 'aes-256-gcm';
}

function gcmEncrypt(key: KeyObject, parameters: AesParameters, data: Uint8Array): Uint8Array {
  const cipher = createCipheriv(gcmName(key), key, parameters.iv);
  cipher.setAAD(parameters.additionalData ?? new Uint8Array(0));
  return Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
}

function gcmDecrypt(key: KeyObject, parameters: AesParameters, data: Uint8Array): Uint8Array {
  if (data.length < GCM_TAG_BYTES) return authFailure();
  const body = data.subarray(0, data.length - GCM_TAG_BYTES);
  const decipher = createDecipheriv(gcmName(key), key, parameters.iv);
  decipher.setAuthTag(data.subarray(body.length));
  decipher.setAAD(parameters.additionalData ?? new Uint8Array(0));
  return finish(decipher.update(body), () => decipher.final());
}

/** Appends the final block; a failing final (bad tag or padding) wipes the partial output. */
function finish(head: Buffer, final: () => Buffer): Uint8Array {
  try {
    return Buffer.concat([head, final()]);
  } catch {
    head.fill(0);
    return authFailure();
  }
}

/** AES through WebCrypto (libuv thread pool). @throws DeviceError VME_ERR_CRYPTO_AUTH on a bad tag or padding */
export async function aesPooled(key: webcrypto.CryptoKey, parameters: AesParameters, data: Uint8Array, encrypt: boolean): Promise<Uint8Array> {
  const algorithm = webParameters(parameters);
  try {
    const out = encrypt ? await webcrypto.subtle.encrypt(algorithm, key, data) : await webcrypto.subtle.decrypt(algorithm, key, data);
    return new Uint8Array(out);
  } catch (error) {
    if (!encrypt) return authFailure();
    throw error;
  }
}

function webParameters(parameters: AesParameters): webcrypto.AesGcmParams | webcrypto.AesCbcParams | webcrypto.AesCtrParams {
  if (parameters.mode === 'gcm') {
    return { name: 'AES-GCM', iv: parameters.iv, additionalData: parameters.additionalData ?? new Uint8Array(0), tagLength: 128 };
  }
  if (parameters.mode === 'ctr') return { name: 'AES-CTR', counter: parameters.iv, length: 128 };
  return { name: 'AES-CBC', iv: parameters.iv };
}

function authFailure(): never {
  return deviceFail('VME_ERR_CRYPTO_AUTH', 'AES decryption failed: authentication tag or padding is wrong', 'app');
}
