// Tests of $CPD: golden header and entry bytes, CRC-32, and every rejection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError, crc32 } from '../codec/index.js';
import { CpdHeader, CpdEntry, serializeCpd, parseCpd, cpdLength } from './cpd.js';

const files = [{ name: 'FTPR.man', offset: 0x50, length: 0x20 }, { name: 'kernel', offset: 0x70, length: 0x10 }];
const partition = (): Uint8Array => {
  const p = new Uint8Array(0x100).fill(0xff);
  p.set(serializeCpd('FTPR', files), 0);
  return p;
};
const rejects = (p: Uint8Array, check: (x: DecodeError['problem']) => void): void => {
  assert.throws(() => parseCpd(p, 0x4000, 'FTPR'), (e: unknown) => {
    assert.ok(e instanceof DecodeError, String(e));
    check(e.problem);
    return true;
  });
};

test('sizes match brief §2.4', () => {
  assert.equal(CpdHeader.size, 0x14);
  assert.equal(CpdEntry.size, 0x18);
  assert.equal(cpdLength(2), 0x44);
});

test('golden header and entry bytes', () => {
  const b = serializeCpd('FTPR', files);
  assert.equal(Buffer.from(b.subarray(0, 0x10)).toString('hex'),
    '24435044' + '02000000' + '02' + '01' + '14' + '00' + '46545052'); // $CPD, 2 entries, header v2, entry v1, length 0x14, reserved, FTPR
  const crc = new DataView(b.buffer).getUint32(0x10, true); // 0x10 CRC-32 with the field zeroed
  const zeroed = Uint8Array.from(b);
  zeroed.fill(0, 0x10, 0x14);
  assert.equal(crc, crc32(zeroed));
  assert.equal(Buffer.from(b.subarray(0x14, 0x2c)).toString('hex'),
    Buffer.from('FTPR.man\0\0\0\0').toString('hex') + '50000000' + '20000000' + '00000000'); // name[12], offset 0x50, length 0x20, reserved
});

test('round trip', () => {
  const cpd = parseCpd(partition(), 0, 'FTPR');
  assert.deepEqual(cpd.entries, files);
  assert.equal(cpd.header.partitionName, 'FTPR');
});

test('bad magic, bad CRC, wrong partition name', () => {
  const m = partition();
  m[1] = 0;
  rejects(m, (p) => assert.deepEqual([p.field, p.reason, p.offset], ['signature', 'bad magic', 0x4000]));
  const c = partition();
  c[0x20] = 0x41; // inside the first entry's name
  rejects(c, (p) => assert.deepEqual([p.field, p.reason, p.offset], ['crc32', 'bad CRC', 0x4010]));
  assert.throws(() => parseCpd(partition(), 0, 'NFTP'), /wrong partition/);
});

test('truncated header and table', () => {
  rejects(partition().subarray(0, 0x10), (p) => assert.equal(p.reason, 'truncated'));
  rejects(partition().subarray(0, 0x30), (p) => assert.deepEqual([p.structure, p.reason], ['$CPD entry[2]', 'truncated']));
});

test('entries outside the partition or inside the directory are rejected', () => {
  const out = new Uint8Array(0x100).fill(0xff);
  out.set(serializeCpd('FTPR', [{ name: 'kernel', offset: 0xf8, length: 0x10 }]));
  rejects(out, (p) => assert.deepEqual([p.structure, p.field, p.reason, p.offset], ['$CPD entry "kernel"', 'offsetAttributes', 'out of range', 0x4020]));
  const inside = new Uint8Array(0x100).fill(0xff);
  inside.set(serializeCpd('FTPR', [{ name: 'kernel', offset: 0x10, length: 0x10 }]));
  rejects(inside, (p) => assert.equal(p.reason, 'out of range'));
});

test('entry count out of range and duplicate names', () => {
  const zero = new Uint8Array(0x100).fill(0xff);
  zero.set(serializeCpd('FTPR', []));
  rejects(zero, (p) => assert.deepEqual([p.field, p.reason], ['numEntries', 'out of range']));
  const dup = new Uint8Array(0x100).fill(0xff);
  dup.set(serializeCpd('FTPR', [files[1], files[1]].filter((f) => f !== undefined)));
  rejects(dup, (p) => assert.equal(p.reason, 'duplicate name'));
});

test('parsing never modifies the caller\'s bytes, even when they are a Node Buffer (whose slice() is a view)', () => {
  const bytes = Buffer.from(partition());
  const before = Buffer.from(bytes);
  parseCpd(bytes, 0, 'FTPR');
  parseCpd(bytes, 0, 'FTPR'); // a second parse still sees the CRC
  assert.ok(bytes.equals(before));
});
