/**
 * AES test vectors. CBC and CTR: NIST SP 800-38A (2001), appendix F.2.1, F.2.5, F.5.1, F.5.5.
 * GCM: McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 3 and 4 (also in the
 * NIST GCM validation examples).
 */

const SP800_38A_PLAINTEXT =
  '6bc1bee22e409f96e93d7e117393172a' + 'ae2d8a571e03ac9c9eb76fac45af8e51' +
  '30c81c46a35ce411e5fbc1191a0a52ef' + 'f69f2445df4f9b17ad2b417be66c3710';

export interface AesVector {
  readonly name: string;
  readonly mode: 'cbc' | 'ctr' | 'gcm';
  readonly key: string;
  readonly iv: string;
  readonly additionalData?: string;
  readonly plaintext: string;
  /** Ciphertext (CBC: without the PKCS#7 padding block; GCM: followed by the tag). */
  readonly ciphertext: string;
}

export const AES_VECTORS: readonly AesVector[] = [
  {
    name: 'SP 800-38A F.2.1 CBC-AES128', mode: 'cbc', key: '2b7e151628aed2a6abf7158809cf4f3c', iv: '000102030405060708090a0b0c0d0e0f',
    plaintext: SP800_38A_PLAINTEXT,
    ciphertext: '7649abac8119b246cee98e9b12e9197d' + '5086cb9b507219ee95db113a917678b2' + '73bed6b8e3c1743b7116e69e22229516' + '3ff1caa1681fac09120eca307586e1a7',
  },
  {
    name: 'SP 800-38A F.2.5 CBC-AES256', mode: 'cbc', key: '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4',
    iv: '000102030405060708090a0b0c0d0e0f', plaintext: SP800_38A_PLAINTEXT,
    ciphertext: 'f58c4c04d6e5f1ba779eabfb5f7bfbd6' + '9cfc4e967edb808d679f777bc6702c7d' + '39f23369a9d9bacfa530e26304231461' + 'b2eb05e2c39be9fcda6c19078c6a9d1b',
  },
  {
    name: 'SP 800-38A F.5.1 CTR-AES128', mode: 'ctr', key: '2b7e151628aed2a6abf7158809cf4f3c', iv: 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff',
    plaintext: SP800_38A_PLAINTEXT,
    ciphertext: '874d6191b620e3261bef6864990db6ce' + '9806f66b7970fdff8617187bb9fffdff' + '5ae4df3edbd5d35e5b4f09020db03eab' + '1e031dda2fbe03d1792170a0f3009cee',
  },
  {
    name: 'SP 800-38A F.5.5 CTR-AES256', mode: 'ctr', key: '603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4',
    iv: 'f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff', plaintext: SP800_38A_PLAINTEXT,
    ciphertext: '601ec313775789a5b7a7f504bbf3d228' + 'f443e3ca4d62b59aca84e990cacaf5c5' + '2b0930daa23de94ce87017ba2d84988d' + 'dfc9c58db67aada613c2dd08457941a6',
  },
  {
    name: 'GCM test case 3 (AES-128, no AAD)', mode: 'gcm', key: 'feffe9928665731c6d6a8f9467308308', iv: 'cafebabefacedbaddecaf888',
    plaintext: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255',
    ciphertext: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985'
      + '4d5c2af327cd64a62cf35abd2ba6fab4',
  },
  {
    name: 'GCM test case 4 (AES-128, AAD)', mode: 'gcm', key: 'feffe9928665731c6d6a8f9467308308', iv: 'cafebabefacedbaddecaf888',
    additionalData: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
    plaintext: 'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
    ciphertext: '42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091'
      + '5bc94fbc3221a5db94fae95ae7121a47',
  },
];
