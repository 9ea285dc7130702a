// Tests of $MN2: header fields pinned to brief §2.5, extension sizes, signature rule, rejections.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../codec/index.js';
import { sha256, reversed, keyBlockOf, publicKeyFromBlock, verifySha256LE, toHex } from '../crypto/index.js';
import { Mn2Header, buildManifest, parseManifest, bcdDate, keyBlockBytes, keyBlockHash, signedParts, KEY_BLOCK_OFFSET, KEY_BLOCK_LENGTH } from './manifest.js';
import { PartitionInfoExtension, SignedPackageInfoExtension, SignedPackageModule, ModuleAttributesExtension, ExtensionType, serializeSignedPackageInfo } from './extensions.js';
import { testKeys, TEST_DATE } from './testing.js';

const ext = serializeSignedPackageInfo({ partitionName: 'FTPR', vcn: 3, usageBitmap: new Uint8Array(16), arbSvn: 7, reserved: new Uint8Array(16), modules: [] });
const build = (): Uint8Array => buildManifest({ version: { major: 1, minor: 2, hotfix: 3, build: 4 }, svn: 5, platformId: 'vme-test', date: TEST_DATE, extensions: [ext], signingKey: testKeys().signing });
const u32 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint32(at, true);
const u16 = (b: Uint8Array, at: number): number => new DataView(b.buffer, b.byteOffset).getUint16(at, true);

test('layout sizes pinned to the brief', () => {
  assert.equal(Mn2Header.size, 0x284);
  assert.equal(Mn2Header.offsetOf('modulus'), 0x80);
  assert.equal(Mn2Header.offsetOf('exponent'), 0x180);
  assert.equal(Mn2Header.offsetOf('signature'), 0x184);
  assert.equal(Mn2Header.offsetOf('platformId'), 0x58);
  assert.equal(PartitionInfoExtension.size, 0x58);
  assert.equal(SignedPackageInfoExtension.size, 0x34);
  assert.equal(SignedPackageModule.size, 0x34);
  assert.equal(ModuleAttributesExtension.size, 0x38);
  assert.equal(KEY_BLOCK_OFFSET + KEY_BLOCK_LENGTH, 0x184);
});

test('golden header fields', () => {
  const m = build();
  assert.equal(u16(m, 0x00), 4); // HeaderType: code manifest
  assert.equal(u16(m, 0x02), 0); // HeaderSubType
  assert.equal(u32(m, 0x04), 0xa1); // HeaderLength in dwords (0x284 bytes)
  assert.equal(u32(m, 0x08), 0x10000); // HeaderVersion R1
  assert.equal(u32(m, 0x0c), 1 << 29); // Flags: PID-bound only
  assert.equal(u32(m, 0x10), 0x8086); // Vendor
  assert.equal(u32(m, 0x14), 0x20250115); // Date, BCD
  assert.equal(u32(m, 0x18), (0x284 + 0x34) / 4); // Size in dwords incl. extensions
  assert.equal(Buffer.from(m.subarray(0x1c, 0x20)).toString('latin1'), '$MN2'); // tag
  assert.deepEqual([u16(m, 0x24), u16(m, 0x26), u16(m, 0x28), u16(m, 0x2a)], [1, 2, 3, 4]); // major, minor, hotfix, build
  assert.equal(u32(m, 0x2c), 5); // SVN
  assert.equal(Buffer.from(m.subarray(0x58, 0x60)).toString('latin1'), 'vme-test'); // platform binding (reserved in Intel's layout)
  assert.equal(u32(m, 0x78), 0x40); // PublicKeySize in dwords
  assert.equal(u32(m, 0x7c), 1); // ExponentSize in dwords
  const block = keyBlockOf(testKeys().signing);
  assert.deepEqual(m.subarray(0x80, 0x180), block.modulusLE); // modulus, little-endian
  assert.equal(u32(m, 0x180), 65537); // exponent
  assert.equal(u32(m, 0x284), ExtensionType.signedPackageInfo); // first extension type
  assert.equal(u32(m, 0x288), 0x34); // its length
});

test('signature covers [0,0x80) ‖ [0x284, size) and is little-endian', () => {
  const m = build();
  const message = Buffer.concat(signedParts(m, 0x284, m.length));
  assert.equal(message.length, 0x80 + 0x34);
  const key = publicKeyFromBlock(keyBlockOf(testKeys().signing));
  assert.ok(verifySha256LE(key, message, m.subarray(0x184, 0x284)));
  assert.equal(toHex(sha256(m.subarray(0x80, 0x184))), toHex(keyBlockHash(testKeys().signing)));
  assert.deepEqual(keyBlockBytes(testKeys().signing), m.subarray(0x80, 0x184));
  assert.ok(reversed(m.subarray(0x184, 0x284)).length === 256);
});

test('parse round trip', () => {
  const parsed = parseManifest(build(), 0, 0x4090);
  assert.deepEqual(parsed.version, { major: 1, minor: 2, hotfix: 3, build: 4 });
  assert.equal(parsed.header.platformId, 'vme-test');
  assert.equal(parsed.extensions.signedPackageInfo?.arbSvn, 7);
  assert.equal(parsed.extensions.signedPackageInfo?.vcn, 3);
  assert.deepEqual(parsed.extensions.raw, [{ type: 0x0f, offset: 0x284, length: 0x34 }]);
});

test('BCD date', () => {
  assert.equal(bcdDate(new Date('2031-12-09T23:00:00Z')), 0x20311209);
});

const rejects = (m: Uint8Array, check: (p: DecodeError['problem']) => void): void => {
  assert.throws(() => parseManifest(m, 0, 0x4090), (e: unknown) => {
    assert.ok(e instanceof DecodeError, String(e));
    check(e.problem);
    return true;
  });
};

test('rejects bad fixed fields, sizes and extension lengths', () => {
  const t = build();
  t[0] = 3;
  rejects(t, (p) => assert.deepEqual([p.field, p.offset, p.expected, p.actual], ['headerType', 0x4090, '0x4', '0x3']));
  const tag = build();
  tag[0x1c] = 0x25;
  rejects(tag, (p) => assert.deepEqual([p.field, p.reason, p.offset], ['tag', 'bad magic', 0x40ac]));
  const vendor = build();
  vendor[0x10] = 0;
  rejects(vendor, (p) => assert.equal(p.field, 'vendor'));
  const size = build();
  new DataView(size.buffer).setUint32(0x18, 0x1000, true);
  rejects(size, (p) => assert.deepEqual([p.field, p.reason], ['size', 'out of range']));
  const extLength = build();
  new DataView(extLength.buffer).setUint32(0x288, 0x38, true);
  rejects(extLength, (p) => assert.deepEqual([p.field, p.reason, p.offset], ['length', 'out of range', 0x4090 + 0x288]));
  rejects(build().subarray(0, 0x100), (p) => assert.equal(p.reason, 'truncated'));
});
