/**
 * One AMT audit-log record as AMT_AuditLog.ReadRecords returns it (base64 per EventRecords), in
 * the layout MeshCommander (`amt-0.2.0.js` _GetAuditLog0) and GWM (`pkg/wsman/amt/auditlog/
 * decoder.go`) decode, multi-byte numbers big-endian:
 *
 *   AuditAppID u16 | EventID u16 | InitiatorType u8 | [type 0, HTTP Digest: u8 length + user name]
 *   | TimeStamp u32 (seconds since the epoch) | MCLocationType u8 (0 IPv4, 1 IPv6, 2 none)
 *   | u8 length + NetAddress (ASCII) | u8 length + ExtendedData
 *
 * InitiatorType 2 (local) and 3 (KVM default port) carry no name; 1 (Kerberos: u32 domain + u8
 * length + SID) is not produced by vme and refused by the parser. The fixed parts are codec
 * structs; the length-prefixed parts are the `lengthPrefixed` field below.
 */
import { DecodeError, struct, u16be, u32be, u8 } from '../../codec/index.js';

export const AUDIT_RECORD_HEAD = struct('AuditRecord head', { auditAppId: u16be(), eventId: u16be(), initiatorType: u8() });
export const AUDIT_RECORD_STAMP = struct('AuditRecord stamp', { timestamp: u32be(), mcLocationType: u8() });

export const INITIATOR_TYPE = { digest: 0, kerberos: 1, local: 2, kvmDefaultPort: 3 } as const;
export const MC_LOCATION_TYPE = { ipv4: 0, ipv6: 1, none: 2 } as const;

export type AuditInitiator = { readonly kind: 'digest'; readonly user: string } | { readonly kind: 'local' } | { readonly kind: 'kvm-default-port' };

export interface AuditRecord {
  readonly auditAppId: number;
  readonly eventId: number;
  readonly initiator: AuditInitiator;
  /** Seconds since the epoch. */
  readonly timestamp: number;
  readonly mcLocationType: number;
  readonly netAddress: string;
  readonly extendedData: Uint8Array;
}

/** A u8 length followed by that many bytes (names and addresses are ASCII/latin1). */
const lengthPrefixed = {
  serialize(bytes: Uint8Array, field: string): Uint8Array {
    if (bytes.length > 0xff) throw new RangeError(`audit record ${field} is ${bytes.length} bytes, at most 255`);
    return Uint8Array.of(bytes.length, ...bytes);
  },
  parse(data: Uint8Array, offset: number, field: string): { bytes: Uint8Array; next: number } {
    const length = data[offset];
    if (length === undefined || offset + 1 + length > data.length) {
      throw new DecodeError({ structure: 'AuditRecord', field, offset, reason: 'truncated', expected: `${1 + (length ?? 0)} bytes`, actual: `${Math.max(0, data.length - offset)} bytes` });
    }
    return { bytes: data.slice(offset + 1, offset + 1 + length), next: offset + 1 + length };
  },
};

const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
const text = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1');

export function serializeAuditRecord(record: AuditRecord): Uint8Array {
  const initiatorType = INITIATOR_TYPE[record.initiator.kind === 'kvm-default-port' ? 'kvmDefaultPort' : record.initiator.kind];
  const parts = [
    AUDIT_RECORD_HEAD.serialize({ auditAppId: record.auditAppId, eventId: record.eventId, initiatorType }),
    record.initiator.kind === 'digest' ? lengthPrefixed.serialize(latin1(record.initiator.user), 'user') : new Uint8Array(),
    AUDIT_RECORD_STAMP.serialize({ timestamp: record.timestamp, mcLocationType: record.mcLocationType }),
    lengthPrefixed.serialize(latin1(record.netAddress), 'NetAddress'),
    lengthPrefixed.serialize(record.extendedData, 'ExtendedData'),
  ];
  return Uint8Array.from(Buffer.concat(parts));
}

/** @throws DecodeError for a truncated record or an initiator type vme does not read. */
export function parseAuditRecord(data: Uint8Array): AuditRecord {
  const head = AUDIT_RECORD_HEAD.parse(data);
  let offset = AUDIT_RECORD_HEAD.size;
  let initiator: AuditInitiator;
  if (head.initiatorType === INITIATOR_TYPE.digest) {
    const user = lengthPrefixed.parse(data, offset, 'user');
    initiator = { kind: 'digest', user: text(user.bytes) };
    offset = user.next;
  } else if (head.initiatorType === INITIATOR_TYPE.local || head.initiatorType === INITIATOR_TYPE.kvmDefaultPort) {
    initiator = head.initiatorType === INITIATOR_TYPE.local ? { kind: 'local' } : { kind: 'kvm-default-port' };
  } else {
    throw new DecodeError({ structure: 'AuditRecord', field: 'initiatorType', offset: 4, reason: 'unsupported', actual: String(head.initiatorType) });
  }
  const stamp = AUDIT_RECORD_STAMP.parse(data, offset);
  const address = lengthPrefixed.parse(data, offset + AUDIT_RECORD_STAMP.size, 'NetAddress');
  const extended = lengthPrefixed.parse(data, address.next, 'ExtendedData');
  return {
    auditAppId: head.auditAppId, eventId: head.eventId, initiator, timestamp: stamp.timestamp, mcLocationType: stamp.mcLocationType,
    netAddress: text(address.bytes), extendedData: extended.bytes,
  };
}
