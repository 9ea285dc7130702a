// On-flash format: golden bytes per field, round trip, pinned kinds and limits, bad magic, truncation,
// an independent MAC computation, and docs/design/0002-nvram.md tables kept in step with the codec.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, hkdfSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DecodeError } from '../../codec/index.js';
import { PartitionLayout, encodeAreaHeader } from './area.js';
import { AreaHeader, LIMITS, OperationHeader, OperationType, RecordHeader, RecordKind } from './format.js';
import { deriveMacKey } from './mac.js';
import { encodeRecord } from './record.js';
import { SECRET, text } from './test-fixtures.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

test('record golden bytes, one comment per field, with an independently computed MAC', () => {
  const key = deriveMacKey(SECRET);
  const bytes = encodeRecord(key, 0x1040, { kind: RecordKind.commit, namespace: 'amt', operations: [{ type: 'put', key: 'pw', value: text('hi') }], sequence: 7, generation: 3 });
  const expected =
    '244e5652' + // magic "$NVR"
    '02' + // kind: commit
    '03' + // namespaceLength
    '0100' + // operationCount
    '0b000000' + // payloadLength: 3 + 4 + 2 + 2
    '07000000' + // sequence
    '03000000' + // generation
    '616d74' + // namespace "amt"
    '01' + '02' + '0200' + // operation: put, keyLength 2, valueLength 2
    '7077' + '6869'; // key "pw", value "hi"
  assert.equal(hex(bytes.subarray(0, bytes.length - 32)), expected);
  const macKey = Buffer.from(hkdfSync('sha256', SECRET, 'vme/nvram/v1', 'record-mac', 32));
  const prefix = Buffer.concat([Buffer.from('NVR\0', 'latin1'), Buffer.from([0x40, 0x10, 0, 0])]);
  const mac = createHmac('sha256', macKey).update(prefix).update(Buffer.from(expected, 'hex')).digest('hex');
  assert.equal(hex(bytes.subarray(bytes.length - 32)), mac);
});

test('area header golden bytes and round trip', () => {
  const layout = new PartitionLayout(0x80000, 4096);
  const bytes = encodeAreaHeader(deriveMacKey(SECRET), layout, 1, { generation: 2, baseSequence: 9, snapshotEnd: 0x80 });
  const expected =
    '244e5641' + // magic "$NVA"
    '0100' + // version 1
    '4000' + // headerSize 64
    '02000000' + // generation
    '09000000' + // baseSequence
    '00000400' + // areaSize 0x40000
    '80000000' + // snapshotEnd
    '0000000000000000'; // reserved
  assert.equal(hex(bytes.subarray(0, 32)), expected);
  assert.deepEqual(AreaHeader.serialize(AreaHeader.parse(bytes)), bytes);
});

test('kinds, operation types and limits are pinned', () => {
  assert.deepEqual(RecordKind, { snapshot: 1, commit: 2 });
  assert.deepEqual(OperationType, { put: 1, delete: 2 });
  assert.deepEqual([AreaHeader.size, RecordHeader.size, OperationHeader.size], [64, 20, 4]);
  assert.deepEqual(LIMITS, { maxKeyLength: 64, maxValueLength: 16384, maxNamespaceLength: 32, maxRecordPayload: 65536, minSecretLength: 16 });
});

test('bad magic and truncation are decode errors naming the field', () => {
  const bytes = encodeRecord(deriveMacKey(SECRET), 0, { kind: RecordKind.commit, namespace: 'a', operations: [{ type: 'delete', key: 'k' }], sequence: 1, generation: 1 });
  const bad = bytes.slice();
  bad[1] = 0x41;
  assert.throws(() => RecordHeader.parse(bad), (e: unknown) => e instanceof DecodeError && e.problem.field === 'magic');
  assert.throws(() => RecordHeader.parse(bytes.subarray(0, 19)), (e: unknown) => e instanceof DecodeError && e.problem.reason === 'truncated');
});

test('docs/design/0002-nvram.md carries the tables generated from the codec declarations', () => {
  const doc = readFileSync(new URL('../../../../docs/design/0002-nvram.md', import.meta.url), 'utf8');
  for (const s of [AreaHeader, RecordHeader, OperationHeader]) assert.ok(doc.includes(s.docTable()), `table for ${s.name}`);
});
