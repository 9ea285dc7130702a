// Tests of $FPT: golden header and entry bytes, constants from the brief, and every rejection.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError, sum8 } from '../codec/index.js';
import { FptHeader, FptEntry, FPT_OFFSET, serializeFpt, parseFpt, findPartition, PartitionType, ENTRY_INVALID } from './fpt.js';
import { ME_LAYOUT } from './me-region.js';

const region = (): Uint8Array => {
  const r = new Uint8Array(0x2fd000).fill(0xff);
  r.fill(0, 0, 16);
  r.set(serializeFpt(ME_LAYOUT), FPT_OFFSET);
  return r;
};
const rejects = (r: Uint8Array, check: (p: DecodeError['problem']) => void, base = 0x3000): void => {
  assert.throws(() => parseFpt(r, base), (e: unknown) => {
    assert.ok(e instanceof DecodeError, String(e));
    check(e.problem);
    return true;
  });
};
const setU32 = (r: Uint8Array, at: number, v: number): void => new DataView(r.buffer).setUint32(at, v, true);

test('sizes and constants match brief §2.2', () => {
  assert.equal(FptHeader.size, 0x20);
  assert.equal(FptEntry.size, 0x20);
  assert.equal(FPT_OFFSET, 0x10);
  assert.equal(FptEntry.offsetOf('offset'), 0x08);
  assert.equal(FptEntry.offsetOf('flags'), 0x1c);
});

test('golden header bytes', () => {
  const h = serializeFpt(ME_LAYOUT).subarray(0, 0x20);
  assert.equal(Buffer.from(h.subarray(0, 4)).toString('latin1'), '$FPT'); // 0x00 signature
  assert.equal(new DataView(h.buffer).getUint32(4, true), 4); // 0x04 NumPartitions
  assert.equal(h[8], 0x20); // 0x08 HeaderVersion 2.0
  assert.equal(h[9], 0x10); // 0x09 EntryVersion
  assert.equal(h[0xa], 0x20); // 0x0A HeaderLength
  assert.equal(sum8(h), 0); // 0x0B HeaderChecksum makes the header sum to 0
  assert.deepEqual([...h.subarray(0xc)], new Array(20).fill(0)); // 0x0C.. reserved/FITC version 0
});

test('golden entry bytes (FTPR, MFS)', () => {
  const t = serializeFpt(ME_LAYOUT);
  assert.equal(Buffer.from(t.subarray(0x20, 0x40)).toString('hex'),
    '46545052' + '00000000' + '00100000' + '00000800' + '00'.repeat(12) + '00000000'); // FTPR, owner, 0x1000, 0x80000, tokens, flags type 0 valid
  assert.equal(Buffer.from(t.subarray(0x60, 0x80)).toString('hex'),
    '4d465300' + '00000000' + '00101800' + '00000800' + '00'.repeat(12) + '01000000'); // "MFS\0", 0x181000, 0x80000, type 1 Data
});

test('round trip and lookup', () => {
  const fpt = parseFpt(region());
  assert.deepEqual(fpt.partitions.map((p) => [p.name, p.offset, p.size, p.type, p.valid]), ME_LAYOUT.map((p) => [p.name, p.offset, p.size, p.type, true]));
  assert.equal(findPartition(fpt, 'NFTP')?.offset, 0x81000);
  assert.equal(findPartition(fpt, 'XXXX'), undefined);
});

test('bad magic', () => {
  const r = region();
  r[0x10] = 0x25;
  rejects(r, (p) => assert.deepEqual([p.field, p.reason, p.offset], ['signature', 'bad magic', 0x3010]));
});

test('bad checksum names the checksum byte', () => {
  const r = region();
  r[0x1c] = 1;
  rejects(r, (p) => assert.deepEqual([p.field, p.reason, p.offset, p.expected, p.actual], ['headerChecksum', 'bad checksum', 0x301b, 'byte sum 0x00', 'byte sum 0x1']));
});

test('truncated header and truncated table', () => {
  rejects(region().subarray(0, 0x20), (p) => assert.equal(p.reason, 'truncated'));
  rejects(region().subarray(0, 0x60), (p) => assert.deepEqual([p.structure, p.reason, p.offset], ['$FPT entry[4]', 'truncated', 0x3030]));
});

test('entry count out of range', () => {
  for (const n of [0, 65]) {
    const r = new Uint8Array(0x3000).fill(0xff);
    const table = serializeFpt(ME_LAYOUT.slice(0, 1));
    setU32(table, 4, n);
    table[0xb] = 0;
    table[0xb] = (0x100 - sum8(table.subarray(0, 0x20))) & 0xff;
    r.set(table, 0x10);
    rejects(r, (p) => assert.deepEqual([p.field, p.reason, p.actual], ['numPartitions', 'out of range', String(n)]));
  }
});

test('oversize and out-of-range partitions', () => {
  const big = region();
  setU32(big, 0x30 + 0x0c, 0x400000); // FTPR size past the region end
  rejects(big, (p) => assert.deepEqual([p.structure, p.field, p.reason, p.offset], ['$FPT entry "FTPR"', 'size', 'out of range', 0x303c]));
  const far = region();
  setU32(far, 0x50 + 0x08, 0x2fd000); // NFTP offset at the region end
  rejects(far, (p) => assert.deepEqual([p.field, p.reason, p.actual], ['offset', 'out of range', '0x2FD000']));
  const inside = region();
  setU32(inside, 0x30 + 0x08, 0x20); // FTPR inside the table itself
  rejects(inside, (p) => assert.equal(p.reason, 'out of range'));
});

test('overlapping partitions', () => {
  const r = region();
  setU32(r, 0x50 + 0x08, 0x7f000); // NFTP starts inside FTPR
  rejects(r, (p) => assert.deepEqual([p.structure, p.field, p.reason, p.expected, p.actual], ['$FPT entry "NFTP"', 'offset', 'overlaps FTPR', 'outside 0x1000..0x80FFF', '0x7F000..0x17EFFF']));
});

test('EntryValid: 0xFF entries are skipped, other values rejected', () => {
  const r = region();
  r[0x50 + 0x1f] = ENTRY_INVALID; // NFTP invalid
  setU32(r, 0x50 + 0x08, 0); // an invalid entry's offset is not checked
  const fpt = parseFpt(r);
  assert.equal(findPartition(fpt, 'NFTP'), undefined);
  assert.equal(fpt.partitions.find((p) => p.name === 'NFTP')?.valid, false);
  const odd = region();
  odd[0x50 + 0x1f] = 0x12;
  rejects(odd, (p) => assert.deepEqual([p.field, p.reason], ['flags.entryValid', 'bad value']));
});

test('duplicate names and unknown types are rejected', () => {
  const r = region();
  r.set(Buffer.from('FTPR'), 0x50);
  rejects(r, (p) => assert.equal(p.reason, 'duplicate partition'));
  const t = region();
  t[0x70 + 0x1c] = 0x7f;
  rejects(t, (p) => assert.deepEqual([p.field, p.reason], ['flags.type', 'unknown partition type']));
  assert.equal(PartitionType.data, 1);
});
