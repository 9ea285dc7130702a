// DES known answers (FIPS 46-3 worked example and a classic vector) and VNC Authentication
// responses cross-checked with OpenSSL's legacy provider (`openssl enc -des-ecb -provider legacy`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { desEncryptBlock, vncAuthResponse, vncKey } from './des.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

test('DES encrypts the textbook vectors', () => {
  assert.equal(toHex(desEncryptBlock(hex('133457799bbcdff1'), hex('0123456789abcdef'))), '85e813540f0ab405');
  assert.equal(toHex(desEncryptBlock(hex('0e329232ea6d0d73'), hex('8787878787878787'))), '0000000000000000');
});

test('the VNC key reverses the bits of each password byte, truncated or zero-padded to 8', () => {
  assert.equal(toHex(vncKey('Vme-Kvm1')), '6ab6a6b4d26eb68c');
  assert.equal(toHex(vncKey('Vme-Kvm1 and more')), '6ab6a6b4d26eb68c');
  assert.equal(toHex(vncKey('abc')), '8646c60000000000');
});

test('VNC Authentication responses match OpenSSL DES-ECB under the reversed key', () => {
  assert.equal(toHex(vncAuthResponse('Vme-Kvm1', hex('000102030405060708090a0b0c0d0e0f'))), '38968917ef06ad064ea4aa51806afc64');
  assert.equal(toHex(vncAuthResponse('abc', hex('ffeeddccbbaa99887766554433221100'))), '1644884249e9149e362672340bc2cd41');
});

test('wrong sizes are refused', () => {
  assert.throws(() => desEncryptBlock(new Uint8Array(7), new Uint8Array(8)), RangeError);
  assert.throws(() => vncAuthResponse('x', new Uint8Array(8)), RangeError);
});
