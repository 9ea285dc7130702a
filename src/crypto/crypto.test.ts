// Tests of the crypto helpers: known digests, key block round trip, LE signatures verify and fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { verify, constants } from 'node:crypto';
import { sha256, sha1, sha384, toHex, reversed, bytesEqual, generateRsa2048, keyBlockOf, publicKeyFromBlock, signSha256LE, verifySha256LE, randomBytes, rsaModulusBits } from './index.js';

const abc = Buffer.from('abc');
const { privateKey, publicKey } = generateRsa2048();

test('digests match the FIPS 180 "abc" vectors', () => {
  assert.equal(toHex(sha256(abc)), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  assert.equal(toHex(sha256(Buffer.from('a'), Buffer.from('bc'))), toHex(sha256(abc)));
  assert.equal(toHex(sha1(abc)), 'a9993e364706816aba3e25717850c26c9cd0d89d');
  assert.equal(sha384(abc).length, 48);
});

test('key block is little-endian modulus and u32 exponent, and converts back', () => {
  const block = keyBlockOf(publicKey);
  assert.equal(block.modulusLE.length, 256);
  assert.equal(block.exponent, 65537);
  assert.equal((block.modulusLE[255] ?? 0) & 0x80, 0x80, 'top bit of a 2048-bit modulus is the last LE byte');
  assert.ok(bytesEqual(keyBlockOf(publicKeyFromBlock(block)).modulusLE, block.modulusLE));
  assert.equal(rsaModulusBits(publicKey), 2048);
});

test('signatures are stored little-endian and verify; tampering fails', () => {
  const message = randomBytes(100);
  const signatureLE = signSha256LE(privateKey, message);
  assert.equal(signatureLE.length, 256);
  assert.ok(verify('sha256', message, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, reversed(signatureLE)));
  const fromBlock = publicKeyFromBlock(keyBlockOf(publicKey));
  assert.ok(verifySha256LE(fromBlock, message, signatureLE));
  const badSig = Uint8Array.from(signatureLE);
  badSig[0] = (badSig[0] ?? 0) ^ 1;
  assert.equal(verifySha256LE(fromBlock, message, badSig), false);
  assert.equal(verifySha256LE(fromBlock, Uint8Array.from([...message, 0]), signatureLE), false);
  assert.equal(verifySha256LE(generateRsa2048().publicKey, message, signatureLE), false);
  assert.equal(verifySha256LE(fromBlock, message, new Uint8Array(3)), false);
});
