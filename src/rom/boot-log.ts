/**
 * The ROM's boot log: one entry per check, with expected and actual values and the absolute
 * offset at fault, readable as text and as JSON. Each failing check maps to one error code.
 */
import type { ErrorCode } from '../common/errors.js';
import type { CodePartitionName } from '../me/code-partition.js';

export const ROM_CHECKS = [
  'descriptor', 'fpt', 'partition', 'cpd', 'manifest', 'key', 'signature', 'partition-hash', 'metadata-hash', 'module-hash', 'platform', 'rollback', 'apps', 'decision',
] as const;
export type RomCheck = (typeof ROM_CHECKS)[number];

export interface BootLogEntry {
  stage: 'rom';
  partition: CodePartitionName | null;
  check: RomCheck;
  ok: boolean;
  expected?: string;
  actual?: string;
  /** Absolute offset (in the ME region, or as given by the caller's base) of the data at fault. */
  offset?: number;
  message: string;
}

/** The error code a failed check stands for (for callers that turn a verdict into an error). */
export const CHECK_ERROR_CODES: Record<RomCheck, ErrorCode> = {
  descriptor: 'VME_ERR_VERIFY_STRUCTURE',
  fpt: 'VME_ERR_VERIFY_STRUCTURE',
  partition: 'VME_ERR_VERIFY_STRUCTURE',
  cpd: 'VME_ERR_VERIFY_STRUCTURE',
  manifest: 'VME_ERR_VERIFY_STRUCTURE',
  key: 'VME_ERR_VERIFY_KEY',
  signature: 'VME_ERR_VERIFY_SIGNATURE',
  'partition-hash': 'VME_ERR_VERIFY_HASH',
  'metadata-hash': 'VME_ERR_VERIFY_HASH',
  'module-hash': 'VME_ERR_VERIFY_HASH',
  platform: 'VME_ERR_VERIFY_PLATFORM',
  rollback: 'VME_ERR_VERIFY_ROLLBACK',
  apps: 'VME_ERR_VERIFY_STRUCTURE',
  decision: 'VME_ERR_VERIFY_STRUCTURE',
};

/** One line: `rom NFTP key            FAIL  message (expected X, actual Y) @0x1234`. */
export function formatBootLogEntry(e: BootLogEntry): string {
  const where = e.offset !== undefined ? ` @0x${e.offset.toString(16).toUpperCase()}` : '';
  const values = e.expected !== undefined ? ` (expected ${e.expected}, actual ${e.actual ?? '?'})` : e.actual !== undefined ? ` [${e.actual}]` : '';
  return `${e.stage} ${(e.partition ?? '-').padEnd(4)} ${e.check.padEnd(14)} ${e.ok ? 'ok  ' : 'FAIL'}  ${e.message}${values}${where}`;
}

export const formatBootLog = (entries: readonly BootLogEntry[]): string => entries.map(formatBootLogEntry).join('\n');

/** Collects entries for one partition. */
export class BootLogRecorder {
  readonly entries: BootLogEntry[] = [];

  constructor(readonly partition: CodePartitionName | null) {}

  pass(check: RomCheck, message: string, extra: Partial<BootLogEntry> = {}): void {
    this.entries.push({ stage: 'rom', partition: this.partition, check, ok: true, message, ...extra });
  }

  fail(check: RomCheck, message: string, extra: Partial<BootLogEntry> = {}): BootLogEntry {
    const entry: BootLogEntry = { stage: 'rom', partition: this.partition, check, ok: false, message, ...extra };
    this.entries.push(entry);
    return entry;
  }
}
