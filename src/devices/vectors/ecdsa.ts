/**
 * ECDSA verification vector: RFC 6979 appendix A.2.5 (P-256), key pair and the SHA-256 signature
 * of the message "sample". (RFC 6979 signatures are deterministic, but any valid ECDSA verifier
 * must accept them, which is what we test.)
 */
export const RFC6979_P256_SHA256_SAMPLE = {
  privateKey: 'c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721',
  publicX: '60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6',
  publicY: '7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299',
  message: 'sample',
  r: 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716',
  s: 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
} as const;
