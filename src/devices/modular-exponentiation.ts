/**
 * Big-number modular exponentiation for the crypto engine (the RSA/DH accelerator of real engines),
 * over BigInt with constant-size inputs: base, exponent and modulus all have the modulus's byte
 * length and the result is left-padded to it. NOT constant-time: BigInt arithmetic and the
 * square-and-multiply loop leak the exponent through timing, so do not feed it secret exponents
 * where an attacker can time the engine; use the signature operations (OpenSSL) for private keys.
 */

/** Largest modulus accepted: 4096 bits. */
export const MAX_MODULUS_BYTES = 512;

/**
 * base^exponent mod modulus, all big-endian byte strings of the modulus's length.
 * @throws RangeError when lengths differ, the modulus is too long, or the modulus is below 2.
 * @example modularExponentiation(Uint8Array.of(0, 4), Uint8Array.of(0, 13), Uint8Array.of(0x01, 0xF1)) // 445 = [0x01, 0xBD]
 */
export function modularExponentiation(base: Uint8Array, exponent: Uint8Array, modulus: Uint8Array): Uint8Array {
  const size = modulus.length;
  if (size === 0 || size > MAX_MODULUS_BYTES) throw new RangeError(`modulus must be 1..${MAX_MODULUS_BYTES} bytes, got ${size}`);
  if (base.length !== size || exponent.length !== size) {
    throw new RangeError(`base (${base.length} bytes) and exponent (${exponent.length} bytes) must be the modulus's ${size} bytes`);
  }
  const m = toBigInt(modulus);
  if (m < 2n) throw new RangeError('modulus must be at least 2');
  let result = 1n;
  let square = toBigInt(base) % m;
  let e = toBigInt(exponent);
  while (e > 0n) {
    if (e & 1n) result = (result * square) % m;
    square = (square * square) % m;
    e >>= 1n;
  }
  return fromBigInt(result, size);
}

function toBigInt(bytes: Uint8Array): bigint {
  return bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

function fromBigInt(value: bigint, size: number): Uint8Array {
  return Uint8Array.from(Buffer.from(value.toString(16).padStart(size * 2, '0'), 'hex'));
}
