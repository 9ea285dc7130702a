/**
 * The kernel's part of the boot log: it continues the ROM's entries (same shape, `stage:
 * 'kernel'`) with NVRAM mount, device set-up and each app's load and start, so `vme image verify`
 * style output reads from reset to all-apps-ready in one list.
 */
import { formatBootLogEntry, type BootLogEntry } from '../rom/index.js';
import type { CodePartitionName } from '../me/code-partition.js';

export const KERNEL_CHECKS = ['nvram', 'devices', 'app-load', 'app-start', 'network', 'ready'] as const;
export type KernelCheck = (typeof KERNEL_CHECKS)[number];

export interface KernelBootLogEntry {
  stage: 'kernel';
  partition: CodePartitionName | null;
  check: KernelCheck;
  ok: boolean;
  /** The app the entry is about, for app-load, app-start and network. */
  app?: string;
  expected?: string;
  actual?: string;
  message: string;
}

export type EngineBootLogEntry = BootLogEntry | KernelBootLogEntry;

/** One line in the ROM's format: `kernel NFTP app-start      ok    mkhi started in 3.1 ms`. */
export function formatEngineBootLogEntry(entry: EngineBootLogEntry): string {
  if (entry.stage === 'rom') return formatBootLogEntry(entry);
  const values = entry.expected !== undefined ? ` (expected ${entry.expected}, actual ${entry.actual ?? '?'})` : entry.actual !== undefined ? ` [${entry.actual}]` : '';
  return `kernel ${(entry.partition ?? '-').padEnd(4)} ${entry.check.padEnd(14)} ${entry.ok ? 'ok  ' : 'FAIL'}  ${entry.message}${values}`;
}

export const formatEngineBootLog = (entries: readonly EngineBootLogEntry[]): string => entries.map(formatEngineBootLogEntry).join('\n');

/** Appends kernel entries for one partition. */
export class KernelBootLog {
  constructor(readonly entries: EngineBootLogEntry[], readonly partition: CodePartitionName | null) {}

  add(check: KernelCheck, ok: boolean, message: string, extra: Partial<KernelBootLogEntry> = {}): void {
    this.entries.push({ stage: 'kernel', partition: this.partition, check, ok, message, ...extra });
  }
}
