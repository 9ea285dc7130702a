/**
 * Hash, HMAC and HKDF test vectors.
 * SHA: FIPS 180-2 appendix examples, message "abc" (one block).
 * HMAC: RFC 4231 section 4.2 (test case 1) and 4.3 (test case 2).
 * HKDF: RFC 5869 appendix A.1 (test case 1, SHA-256).
 */

export const SHA_ABC = {
  'SHA-1': 'a9993e364706816aba3e25717850c26c9cd0d89d',
  'SHA-256': 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  'SHA-384': 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
} as const;

export const HMAC_RFC4231 = [
  {
    name: 'RFC 4231 test case 1', key: '0b'.repeat(20), data: Buffer.from('Hi There').toString('hex'),
    'SHA-256': 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7',
    'SHA-384': 'afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6',
  },
  {
    name: 'RFC 4231 test case 2', key: Buffer.from('Jefe').toString('hex'), data: Buffer.from('what do ya want for nothing?').toString('hex'),
    'SHA-256': '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    'SHA-384': 'af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649',
  },
] as const;

export const HKDF_RFC5869_CASE1 = {
  inputKey: '0b'.repeat(22),
  salt: '000102030405060708090a0b0c',
  info: 'f0f1f2f3f4f5f6f7f8f9',
  length: 42,
  output: '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
} as const;
