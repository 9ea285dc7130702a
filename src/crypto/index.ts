/** Public API of the crypto helpers: digests, RSA-2048 in the `$MN2` byte order, random bytes. */
export * from './hash.js';
export * from './rsa.js';
export * from './random.js';
