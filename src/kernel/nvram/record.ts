/**
 * Encoding and checking of one record: header, payload (namespace name, then operations) and MAC.
 * Decoding never throws: a record that is short, malformed or fails its MAC is reported as damage
 * with a reason, and the mount logic decides whether that is a torn write or tampering.
 */
import { DecodeError } from '../../codec/index.js';
import { computeMac, macEquals } from './mac.js';
import { LIMITS, MAC_SIZE, OperationHeader, OperationType, RecordHeader, operationSize, recordSize, type RecordHeaderValue } from './format.js';
import { isValidKey, isValidNamespace, type TransactionOperation } from './validate.js';

export interface RecordInput {
  readonly kind: number;
  readonly namespace: string;
  readonly operations: readonly TransactionOperation[];
  readonly sequence: number;
  readonly generation: number;
}

export interface DecodedOperation {
  readonly type: 'put' | 'delete';
  readonly key: string;
  /** Absolute partition offset of the value bytes. */
  readonly valueOffset: number;
  readonly valueLength: number;
}

export interface DecodedRecord {
  readonly header: RecordHeaderValue;
  readonly namespace: string;
  readonly operations: readonly DecodedOperation[];
  readonly size: number;
}

export type RecordResult = { readonly ok: true; readonly record: DecodedRecord } | { readonly ok: false; readonly reason: string };

const valueLengthOf = (operation: TransactionOperation): number => (operation.type === 'put' ? operation.value.length : 0);

export function payloadLength(namespace: string, operations: readonly TransactionOperation[]): number {
  return operations.reduce((sum, op) => sum + operationSize(op.key.length, valueLengthOf(op)), namespace.length);
}

/** The complete record bytes for writing at absolute `offset`. */
export function encodeRecord(key: Buffer, offset: number, input: RecordInput): Uint8Array {
  const payload = payloadLength(input.namespace, input.operations);
  const out = new Uint8Array(recordSize(payload));
  RecordHeader.serialize({
    magic: '$NVR', kind: input.kind, namespaceLength: input.namespace.length, operationCount: input.operations.length,
    payloadLength: payload, sequence: input.sequence, generation: input.generation,
  }, out, 0);
  let at = RecordHeader.size;
  out.set(Buffer.from(input.namespace, 'latin1'), at);
  at += input.namespace.length;
  for (const op of input.operations) at = encodeOperation(out, at, op);
  out.set(computeMac(key, 'record', offset, out.subarray(0, at)), at);
  return out;
}

function encodeOperation(out: Uint8Array, at: number, op: TransactionOperation): number {
  const valueLength = valueLengthOf(op);
  OperationHeader.serialize({ type: op.type === 'put' ? OperationType.put : OperationType.delete, keyLength: op.key.length, valueLength }, out, at);
  out.set(Buffer.from(op.key, 'latin1'), at + OperationHeader.size);
  if (op.type === 'put') out.set(op.value, at + OperationHeader.size + op.key.length);
  return at + operationSize(op.key.length, valueLength);
}

/** Parses and sanity-checks a record header; the size it implies is checked by the caller. */
export function parseRecordHeader(bytes: Uint8Array): { ok: true; header: RecordHeaderValue } | { ok: false; reason: string } {
  let header: RecordHeaderValue;
  try {
    header = RecordHeader.parse(bytes);
  } catch (e) {
    if (e instanceof DecodeError) return { ok: false, reason: `record header: ${e.problem.reason}` };
    throw e;
  }
  if (header.payloadLength > LIMITS.maxRecordPayload) return { ok: false, reason: `payload length ${header.payloadLength} over ${LIMITS.maxRecordPayload}` };
  if (header.namespaceLength > header.payloadLength) return { ok: false, reason: 'namespace longer than payload' };
  return { ok: true, header };
}

/** Verifies the MAC of a complete record read from absolute `offset`, then decodes its payload. */
export function decodeRecord(key: Buffer, offset: number, bytes: Uint8Array, header: RecordHeaderValue): RecordResult {
  const size = recordSize(header.payloadLength);
  if (bytes.length !== size) return { ok: false, reason: `record needs ${size} bytes, have ${bytes.length}` };
  const macAt = size - MAC_SIZE;
  if (!macEquals(computeMac(key, 'record', offset, bytes.subarray(0, macAt)), bytes.subarray(macAt))) return { ok: false, reason: 'MAC mismatch' };
  return decodePayload(offset, bytes.subarray(0, macAt), header);
}

function decodePayload(offset: number, body: Uint8Array, header: RecordHeaderValue): RecordResult {
  let at = RecordHeader.size;
  const namespace = Buffer.from(body.subarray(at, at + header.namespaceLength)).toString('latin1');
  if (!isValidNamespace(namespace)) return { ok: false, reason: 'invalid namespace name' };
  at += header.namespaceLength;
  const operations: DecodedOperation[] = [];
  for (let i = 0; i < header.operationCount; i++) {
    const decoded = decodeOperation(offset, body, at);
    if (!decoded.ok) return decoded;
    operations.push(decoded.operation);
    at = decoded.next;
  }
  if (at !== body.length) return { ok: false, reason: `operations end at ${at}, payload at ${body.length}` };
  return { ok: true, record: { header, namespace, operations, size: body.length + MAC_SIZE } };
}

type OperationResult = { ok: true; operation: DecodedOperation; next: number } | { ok: false; reason: string };

function decodeOperation(offset: number, body: Uint8Array, at: number): OperationResult {
  if (at + OperationHeader.size > body.length) return { ok: false, reason: 'operation header past payload' };
  const head = OperationHeader.parse(body, at);
  const next = at + operationSize(head.keyLength, head.valueLength);
  if (next > body.length) return { ok: false, reason: 'operation past payload' };
  if (head.type !== OperationType.put && head.type !== OperationType.delete) return { ok: false, reason: `operation type ${head.type}` };
  if (head.type === OperationType.delete && head.valueLength !== 0) return { ok: false, reason: 'delete with a value' };
  if (head.valueLength > LIMITS.maxValueLength) return { ok: false, reason: 'value over limit' };
  const keyAt = at + OperationHeader.size;
  const key = Buffer.from(body.subarray(keyAt, keyAt + head.keyLength)).toString('latin1');
  if (!isValidKey(key)) return { ok: false, reason: 'invalid key' };
  const type = head.type === OperationType.put ? 'put' : 'delete';
  return { ok: true, operation: { type, key, valueOffset: offset + keyAt + head.keyLength, valueLength: head.valueLength }, next };
}

/** Offsets of each put's value from the start of its record, in operation order (deletes: -1). */
export function valuePositions(namespace: string, operations: readonly TransactionOperation[]): number[] {
  let at = RecordHeader.size + namespace.length;
  return operations.map((op) => {
    const position = op.type === 'put' ? at + OperationHeader.size + op.key.length : -1;
    at += operationSize(op.key.length, valueLengthOf(op));
    return position;
  });
}
