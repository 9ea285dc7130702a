// The audit record codec: the recorded AMT record decodes and re-encodes byte for byte; one vme
// record is checked field by field against the documented layout; truncated or foreign input is a
// DecodeError, never a crash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DecodeError } from '../../codec/index.js';
import { AUDIT_RECORD_HEAD, AUDIT_RECORD_STAMP, parseAuditRecord, serializeAuditRecord, type AuditRecord } from './audit-record.js';

const fixture = readFileSync(new URL('../../../../../shared/fixtures/amt-responses/amt/auditlog/readrecords.xml', import.meta.url), 'utf8');
const recorded = [...fixture.matchAll(/<g:EventRecords>([^<]*)<\/g:EventRecords>/g)].map((m) => Uint8Array.from(Buffer.from(m[1] ?? '', 'base64')));

test('the recorded AMT records decode (Firmware Update Manager, local initiator, no address, 16 bytes of versions) and re-encode identically', () => {
  assert.equal(recorded.length, 2);
  for (const bytes of recorded) {
    const record = parseAuditRecord(bytes);
    assert.equal(record.auditAppId, 19);
    assert.equal(record.eventId, 0);
    assert.deepEqual(record.initiator, { kind: 'local' });
    assert.equal(record.mcLocationType, 2);
    assert.equal(record.netAddress, '');
    assert.equal(record.extendedData.length, 16);
    assert.deepEqual(serializeAuditRecord(record), bytes);
  }
  assert.equal(parseAuditRecord(recorded[1] ?? new Uint8Array()).timestamp - parseAuditRecord(recorded[0] ?? new Uint8Array()).timestamp, 1);
});

test('a Digest-initiated record has the documented layout, byte by byte', () => {
  const record: AuditRecord = {
    auditAppId: 16, eventId: 2, initiator: { kind: 'digest', user: 'admin' }, timestamp: 0x65949b53, mcLocationType: 0,
    netAddress: '10.0.0.7', extendedData: Uint8Array.of(0, 3, 0x62, 0x6f, 0x62),
  };
  const bytes = serializeAuditRecord(record);
  const expected = [
    0x00, 0x10, // AuditAppID 16, big-endian
    0x00, 0x02, // EventID 2 (ACL Entry Added)
    0x00, // InitiatorType 0 = HTTP Digest
    0x05, 0x61, 0x64, 0x6d, 0x69, 0x6e, // user name length 5, "admin"
    0x65, 0x94, 0x9b, 0x53, // TimeStamp, big-endian seconds
    0x00, // MCLocationType 0 = IPv4
    0x08, ...Buffer.from('10.0.0.7'), // NetAddress length + ASCII
    0x05, 0x00, 0x03, 0x62, 0x6f, 0x62, // ExtendedData length + data
  ];
  assert.deepEqual([...bytes], expected);
  assert.deepEqual(parseAuditRecord(bytes), record);
  assert.equal(AUDIT_RECORD_HEAD.size, 5);
  assert.equal(AUDIT_RECORD_STAMP.size, 5);
});

test('truncated records, unknown initiator types and over-long fields are refused with typed errors', () => {
  const good = serializeAuditRecord({ auditAppId: 17, eventId: 0, initiator: { kind: 'local' }, timestamp: 1, mcLocationType: 2, netAddress: '', extendedData: new Uint8Array() });
  for (let length = 0; length < good.length; length++) assert.throws(() => parseAuditRecord(good.subarray(0, length)), DecodeError, `length ${length}`);
  const kerberos = Uint8Array.from(good);
  kerberos[4] = 1;
  assert.throws(() => parseAuditRecord(kerberos), DecodeError);
  assert.throws(() => serializeAuditRecord({ auditAppId: 16, eventId: 0, initiator: { kind: 'local' }, timestamp: 0, mcLocationType: 2, netAddress: '', extendedData: new Uint8Array(256) }), RangeError);
});

test('random bytes never crash the parser: a record or a DecodeError', () => {
  let seed = 7;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 0x8000_0000) & 0xff;
  for (let i = 0; i < 2000; i++) {
    const bytes = Uint8Array.from({ length: next() % 40 }, next);
    try {
      parseAuditRecord(bytes);
    } catch (error) {
      assert.ok(error instanceof DecodeError, String(error));
    }
  }
});
