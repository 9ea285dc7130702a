/**
 * The on-flash format of the NVRAM partition, declared once with the codec: the partition is two
 * equal areas; the active one starts with an `AreaHeader`, then snapshot records, then commit
 * records appended in sequence order. Limits and kinds are pinned here; docs/design/0002-nvram.md
 * carries the tables generated from these declarations (a test keeps them in step).
 */
import { bytes, magicAscii, struct, u16, u32, u8, type Infer } from '../../codec/index.js';

export const FORMAT_VERSION = 1;
export const MAC_SIZE = 32;

export const AreaHeader = struct('NVRAM area header', {
  magic: magicAscii('$NVA'), // 0x00
  version: u16(), // 0x04 FORMAT_VERSION
  headerSize: u16(), // 0x06 bytes before the first record (= AreaHeader.size)
  generation: u32(), // 0x08 +1 at every compaction; the higher valid area is active
  baseSequence: u32(), // 0x0C sequence number of the snapshot records
  areaSize: u32(), // 0x10 bytes in this area (half the partition)
  snapshotEnd: u32(), // 0x14 offset in the area where the snapshot ends and the commit log starts
  reserved: bytes(8), // 0x18 zero
  mac: bytes(MAC_SIZE), // 0x20 HMAC-SHA-256 over the 32 bytes above and the area's offset
});
export type AreaHeaderValue = Infer<typeof AreaHeader>;

export const RecordHeader = struct('NVRAM record header', {
  magic: magicAscii('$NVR'), // 0x00
  kind: u8(), // 0x04 RecordKind
  namespaceLength: u8(), // 0x05 bytes of the namespace name that opens the payload
  operationCount: u16(), // 0x06 operations after the name
  payloadLength: u32(), // 0x08 name + operations; the MAC follows the payload
  sequence: u32(), // 0x0C commit sequence number (bound to the anti-replay counter)
  generation: u32(), // 0x10 the area generation this record was written in
});
export type RecordHeaderValue = Infer<typeof RecordHeader>;

export const OperationHeader = struct('NVRAM operation header', {
  type: u8(), // 0x00 OperationType
  keyLength: u8(), // 0x01 1..MAX_KEY_LENGTH ASCII bytes follow
  valueLength: u16(), // 0x02 value bytes after the key (0 for delete)
});

export const RecordKind = { snapshot: 1, commit: 2 } as const;
export const OperationType = { put: 1, delete: 2 } as const;

export const LIMITS = {
  maxKeyLength: 64,
  maxValueLength: 16 * 1024,
  maxNamespaceLength: 32,
  /** Namespace name plus encoded operations of one record (one transaction). */
  maxRecordPayload: 64 * 1024,
  minSecretLength: 16,
} as const;

/** Encoded size of one operation. */
export const operationSize = (keyLength: number, valueLength: number): number => OperationHeader.size + keyLength + valueLength;

/** Encoded size of a whole record (header, payload, MAC). */
export const recordSize = (payloadLength: number): number => RecordHeader.size + payloadLength + MAC_SIZE;
