// Tests of the declare-once codec: golden bytes, round trip, magic, truncation, offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { struct, u8, u16, u32, u64, bytes, ascii, magicAscii, parseArray, DecodeError, bits, at, checksum8, sum8, crc32 } from './index.js';

const Header = struct('Test header', {
  signature: magicAscii('$TST'), // 0x00
  count: u32(), // 0x04
  version: u8(), // 0x08
  flags: u8(), // 0x09
  length: u16(), // 0x0A
  big: u64(), // 0x0C
  name: ascii(4), // 0x14
  digest: bytes(4), // 0x18
});

const golden = Buffer.from(
  '24545354' + '02000000' + '10' + '01' + '2000' + '0807060504030201' + '41420000' + 'deadbeef',
  'hex',
);

test('layout offsets and size derive from declaration order', () => {
  assert.equal(Header.size, 0x1c);
  assert.equal(Header.offsetOf('big'), 0x0c);
  assert.equal(Header.offsetOf('digest'), 0x18);
});

test('golden bytes parse to the expected fields', () => {
  const v = Header.parse(golden);
  assert.deepEqual({ ...v, digest: Buffer.from(v.digest).toString('hex') }, {
    signature: '$TST', count: 2, version: 0x10, flags: 1, length: 0x20, big: 0x0102030405060708n, name: 'AB', digest: 'deadbeef',
  });
});

test('serialize is the inverse of parse', () => {
  assert.deepEqual(Buffer.from(Header.serialize(Header.parse(golden))), golden);
});

test('bad magic names structure, field, offset, expected and actual', () => {
  const bad = Buffer.from(golden);
  bad[0] = 0x25;
  assert.throws(() => Header.parse(bad, 0, 0x1000), (e: unknown) => {
    assert.ok(e instanceof DecodeError);
    assert.equal(e.problem.field, 'signature');
    assert.equal(e.problem.offset, 0x1000);
    assert.equal(e.problem.reason, 'bad magic');
    assert.match(e.message, /expected "\$TST", found "%TST"/);
    return true;
  });
});

test('truncated input is rejected before any field is read', () => {
  for (const len of [0, 1, Header.size - 1]) {
    assert.throws(() => Header.parse(golden.subarray(0, len)), (e: unknown) => e instanceof DecodeError && e.problem.reason === 'truncated');
  }
  assert.throws(() => Header.parse(golden, 4), DecodeError);
  assert.throws(() => Header.parse(golden, -1), DecodeError);
});

test('parseArray checks the whole table length up front', () => {
  const E = struct('Entry', { a: u16() });
  assert.deepEqual(parseArray(E, Uint8Array.from([1, 0, 2, 0]), 0, 2), [{ a: 1 }, { a: 2 }]);
  assert.throws(() => parseArray(E, Uint8Array.from([1, 0, 2]), 0, 2), /Entry\[2\]/);
});

test('defaults fill magic fields and zeroes', () => {
  const d = Header.defaults({ count: 3 });
  assert.equal(d.signature, '$TST');
  assert.equal(d.count, 3);
  assert.equal(Header.serialize(d).length, Header.size);
});

test('bit layouts pack, unpack and refuse values that do not fit', () => {
  const FLMAP0 = bits('FLMAP0', { fcba: at(0, 8), nc: at(8, 2), frba: at(16, 8), nr: at(24, 3) });
  assert.equal(FLMAP0.pack({ fcba: 3, frba: 4 }), 0x00040003);
  assert.deepEqual(FLMAP0.unpack(0x00040003), { fcba: 3, nc: 0, frba: 4, nr: 0 });
  assert.throws(() => FLMAP0.pack({ nc: 4 }), RangeError);
});

test('checksum8 makes the sum zero; crc32 matches the IEEE check value', () => {
  const data = Uint8Array.from([1, 2, 3, 0]);
  data[3] = checksum8(data);
  assert.equal(sum8(data), 0);
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
});
