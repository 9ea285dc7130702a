// Crypto engine: official vectors through the engine, owner-bound handles, both AES paths, signatures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createPublicKey, randomBytes } from 'node:crypto';
import { CryptoEngine } from './crypto-engine.js';
import { AES_VECTORS } from './vectors/aes.js';
import { HKDF_RFC5869_CASE1, HMAC_RFC4231, SHA_ABC } from './vectors/hash-and-mac.js';
import { RFC6979_P256_SHA256_SAMPLE as P256 } from './vectors/ecdsa.js';
import type { SignatureAlgorithm } from './crypto-signatures.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const secret = hex('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff');
const engine = (): CryptoEngine => new CryptoEngine({ deviceSecret: secret });

test('AES CBC, CTR and GCM match NIST SP 800-38A and GCM spec vectors, and decrypt back', async () => {
  const session = engine().session('app');
  for (const v of AES_VECTORS) {
    const key = await session.importSecretKey('aes', hex(v.key));
    const parameters = { mode: v.mode, iv: hex(v.iv), ...(v.additionalData ? { additionalData: hex(v.additionalData) } : {}) };
    const out = await session.encrypt(key, parameters, hex(v.plaintext));
    // CBC output carries one extra PKCS#7 padding block after the NIST ciphertext.
    assert.equal(toHex(out.subarray(0, v.ciphertext.length / 2)), v.ciphertext, v.name);
    assert.equal(toHex(await session.decrypt(key, parameters, out)), v.plaintext, v.name);
  }
});

test('large inputs (thread-pool path) give the same bytes as node:crypto', async () => {
  const session = engine().session('app');
  const keyBytes = randomBytes(32);
  const key = await session.importSecretKey('aes', keyBytes);
  const data = randomBytes(200 * 1024);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyBytes, iv);
  const expected = Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
  const out = await session.encrypt(key, { mode: 'gcm', iv }, data);
  assert.deepEqual(Buffer.from(out), expected);
  assert.deepEqual(Buffer.from(await session.decrypt(key, { mode: 'gcm', iv }, out)), data);
  for (const mode of ['cbc', 'ctr'] as const) {
    const iv16 = randomBytes(16);
    const raw = createCipheriv(`aes-256-${mode}`, keyBytes, iv16);
    const rawOut = Buffer.concat([raw.update(data), raw.final()]);
    assert.deepEqual(Buffer.from(await session.encrypt(key, { mode, iv: iv16 }, data)), rawOut, mode);
  }
});

test('GCM with a flipped ciphertext, tag or AAD byte fails with VME_ERR_CRYPTO_AUTH on both paths', async () => {
  const session = engine().session('app');
  const key = await session.importSecretKey('aes', randomBytes(16));
  for (const size of [100, 100 * 1024]) {
    const iv = randomBytes(12);
    const sealed = await session.encrypt(key, { mode: 'gcm', iv, additionalData: hex('01') }, randomBytes(size));
    for (const at of [0, sealed.length - 1]) {
      const bad = sealed.slice();
      bad[at] = (bad[at] ?? 0) ^ 1;
      await assert.rejects(session.decrypt(key, { mode: 'gcm', iv, additionalData: hex('01') }, bad), { code: 'VME_ERR_CRYPTO_AUTH' });
    }
    await assert.rejects(session.decrypt(key, { mode: 'gcm', iv, additionalData: hex('02') }, sealed), { code: 'VME_ERR_CRYPTO_AUTH' });
  }
  await assert.rejects(session.decrypt(key, { mode: 'gcm', iv: randomBytes(12) }, new Uint8Array(5)), { code: 'VME_ERR_CRYPTO_AUTH' });
});

test('bad IV lengths are RangeErrors', async () => {
  const session = engine().session('app');
  const key = await session.importSecretKey('aes', randomBytes(16));
  await assert.rejects(session.encrypt(key, { mode: 'gcm', iv: new Uint8Array(16) }, new Uint8Array(1)), RangeError);
  await assert.rejects(session.encrypt(key, { mode: 'cbc', iv: new Uint8Array(12) }, new Uint8Array(1)), RangeError);
});

test('SHA-1/256/384 of "abc" match FIPS 180', async () => {
  const session = engine().session('app');
  for (const [algorithm, digest] of Object.entries(SHA_ABC)) {
    assert.equal(toHex(await session.digest(algorithm as keyof typeof SHA_ABC, Buffer.from('abc'))), digest, algorithm);
  }
  const big = randomBytes(100 * 1024);
  assert.equal((await session.digest('SHA-256', big)).length, 32);
});

test('HMAC matches RFC 4231 cases 1 and 2 and verifies in constant time', async () => {
  const session = engine().session('app');
  for (const v of HMAC_RFC4231) {
    const key = await session.importSecretKey('hmac', hex(v.key));
    assert.equal(toHex(await session.hmac(key, 'SHA-256', hex(v.data))), v['SHA-256'], v.name);
    assert.equal(toHex(await session.hmac(key, 'SHA-384', hex(v.data))), v['SHA-384'], v.name);
    assert.equal(await session.hmacVerify(key, 'SHA-256', hex(v.data), hex(v['SHA-256'])), true);
    assert.equal(await session.hmacVerify(key, 'SHA-256', hex(v.data), hex(v['SHA-256']).subarray(1)), false);
  }
});

test('HKDF matches RFC 5869 test case 1', async () => {
  const v = HKDF_RFC5869_CASE1;
  const out = await engine().session('app').hkdf('SHA-256', hex(v.inputKey), hex(v.salt), hex(v.info), v.length);
  assert.equal(toHex(out), v.output);
});

test('derived keys are handles: deterministic per label and kind, never bytes', async () => {
  const a = engine().session('app');
  const b = engine().session('app');
  const iv = new Uint8Array(12);
  const data = Buffer.from('same plaintext');
  const k1 = await a.deriveKey('storage');
  const k2 = await b.deriveKey('storage');
  const k3 = await a.deriveKey('other');
  assert.deepEqual(Object.keys(k1).sort(), ['id', 'kind']);
  assert.ok(Object.isFrozen(k1));
  assert.deepEqual(await a.encrypt(k1, { mode: 'gcm', iv }, data), await b.encrypt(k2, { mode: 'gcm', iv }, data));
  assert.notDeepEqual(await a.encrypt(k1, { mode: 'gcm', iv }, data), await a.encrypt(k3, { mode: 'gcm', iv }, data));
  const mac = await a.deriveKey('storage', 'hmac');
  assert.equal((await a.hmac(mac, 'SHA-256', data)).length, 32);
  await assert.rejects(a.encrypt(mac, { mode: 'gcm', iv }, data), { code: 'VME_ERR_CRYPTO_KEY' });
});

test('handles of another owner are refused with VME_ERR_CRYPTO_KEY_OWNER; unknown ones with VME_ERR_CRYPTO_KEY', async () => {
  const device = engine();
  const alice = device.session('alice');
  const mallory = device.session('mallory');
  const key = await alice.deriveKey('secret');
  await assert.rejects(mallory.encrypt(key, { mode: 'gcm', iv: new Uint8Array(12) }, new Uint8Array(4)), { code: 'VME_ERR_CRYPTO_KEY_OWNER', blame: 'app' });
  assert.throws(() => mallory.destroyKey(key), { code: 'VME_ERR_CRYPTO_KEY_OWNER' });
  await assert.rejects(mallory.encrypt({ id: 999, kind: 'aes' }, { mode: 'gcm', iv: new Uint8Array(12) }, new Uint8Array(4)), { code: 'VME_ERR_CRYPTO_KEY' });
  assert.deepEqual(Object.keys(mallory), ['owner'], 'no key table reachable from a session object');
  alice.destroyKey(key);
  await assert.rejects(alice.encrypt(key, { mode: 'gcm', iv: new Uint8Array(12) }, new Uint8Array(4)), { code: 'VME_ERR_CRYPTO_KEY' });
  assert.equal(device.keyCount, 0);
});

test('RSA PKCS#1 v1.5 and PSS, ECDSA P-256 and P-384 sign and verify; tampering fails', async () => {
  const session = engine().session('app');
  const data = Buffer.from('firmware manifest');
  const cases: [Parameters<typeof session.generateKeyPair>[0], SignatureAlgorithm[]][] = [
    [{ type: 'rsa', bits: 2048 }, ['RSA-PKCS1-SHA256', 'RSA-PKCS1-SHA384', 'RSA-PSS-SHA256', 'RSA-PSS-SHA384']],
    [{ type: 'ec', curve: 'P-256' }, ['ECDSA-SHA256']],
    [{ type: 'ec', curve: 'P-384' }, ['ECDSA-SHA384']],
  ];
  for (const [spec, algorithms] of cases) {
    const { handle, publicKey } = await session.generateKeyPair(spec);
    assert.deepEqual(await session.publicKey(handle), publicKey);
    for (const algorithm of algorithms) {
      const signature = await session.sign(handle, algorithm, data);
      assert.equal(await session.verify(publicKey, algorithm, data, signature), true, algorithm);
      assert.equal(await session.verify(publicKey, algorithm, Buffer.from('firmware manifesT'), signature), false, algorithm);
    }
  }
  const ec = await session.generateKeyPair({ type: 'ec', curve: 'P-256' });
  assert.equal((await session.sign(ec.handle, 'ECDSA-SHA256', data)).length, 64, 'P1363 r ‖ s');
  await assert.rejects(session.sign(ec.handle, 'RSA-PSS-SHA256', data), { code: 'VME_ERR_CRYPTO_KEY' });
  await assert.rejects(session.importPrivateKey(hex('3000')), TypeError);
});

test('ECDSA verifies the RFC 6979 A.2.5 P-256/SHA-256 "sample" signature', async () => {
  const b64 = (h: string): string => Buffer.from(h, 'hex').toString('base64url');
  const spki = createPublicKey({ key: { kty: 'EC', crv: 'P-256', x: b64(P256.publicX), y: b64(P256.publicY) }, format: 'jwk' })
    .export({ format: 'der', type: 'spki' });
  const session = engine().session('app');
  const signature = hex(P256.r + P256.s);
  assert.equal(await session.verify(spki, 'ECDSA-SHA256', Buffer.from(P256.message), signature), true);
  assert.equal(await session.verify(spki, 'ECDSA-SHA256', Buffer.from('samples'), signature), false);
  await assert.rejects(session.verify(hex('3000'), 'ECDSA-SHA256', Buffer.from('x'), signature), TypeError);
});

test('DRNG returns the requested number of bytes and refuses silly lengths', async () => {
  const session = engine().session('app');
  const a = await session.randomBytes(32);
  assert.equal(a.length, 32);
  assert.notDeepEqual(a, await session.randomBytes(32));
  await assert.rejects(session.randomBytes(0), RangeError);
  await assert.rejects(session.randomBytes(65537), RangeError);
});

test('modular exponentiation: small worked case, RSA round trip, constant-size outputs and input checks', async () => {
  const session = engine().session('app');
  assert.deepEqual(await session.modularExponentiation(Uint8Array.of(0, 4), Uint8Array.of(0, 13), Uint8Array.of(0x01, 0xf1)), Uint8Array.of(0x01, 0xbd));
  // Textbook RSA with p = 61, q = 53: n = 3233, e = 17, d = 2753; m = 65 → c = 2790.
  const n = Uint8Array.of(0x0c, 0xa1);
  const c = await session.modularExponentiation(Uint8Array.of(0, 65), Uint8Array.of(0, 17), n);
  assert.deepEqual(c, Uint8Array.of(0x0a, 0xe6));
  assert.deepEqual(await session.modularExponentiation(c, Uint8Array.of(0x0a, 0xc1), n), Uint8Array.of(0, 65));
  await assert.rejects(session.modularExponentiation(Uint8Array.of(4), Uint8Array.of(0, 1), n), RangeError);
  await assert.rejects(session.modularExponentiation(Uint8Array.of(0), Uint8Array.of(0), Uint8Array.of(1)), RangeError);
});

test('snapshot/restore carries keys to a forked engine', async () => {
  const first = engine();
  const session = first.session('app');
  const key = await session.importSecretKey('aes', randomBytes(16));
  const pair = await session.generateKeyPair({ type: 'ec', curve: 'P-256' });
  const iv = new Uint8Array(12);
  const sealed = await session.encrypt(key, { mode: 'gcm', iv }, Buffer.from('hello'));
  const fork = engine();
  fork.restore(first.snapshot());
  const forked = fork.session('app');
  assert.equal(Buffer.from(await forked.decrypt(key, { mode: 'gcm', iv }, sealed)).toString(), 'hello');
  const signature = await forked.sign(pair.handle, 'ECDSA-SHA256', Buffer.from('x'));
  assert.equal(await forked.verify(pair.publicKey, 'ECDSA-SHA256', Buffer.from('x'), signature), true);
  await assert.rejects(fork.session('other').encrypt(key, { mode: 'gcm', iv }, sealed), { code: 'VME_ERR_CRYPTO_KEY_OWNER' });
});

test('construction refuses a short device secret', () => {
  assert.throws(() => new CryptoEngine({ deviceSecret: new Uint8Array(8) }), RangeError);
});
