/**
 * `romBoot`: the ROM's boot decision over a whole ME region — parse `$FPT`, try NFTP (operational)
 * then FTPR (recovery); the first partition that passes every check boots; none → down.
 */
import { VmeError } from '../common/errors.js';
import { DecodeError } from '../codec/index.js';
import { parseFpt, findPartition, PartitionType, type Fpt } from '../me/fpt.js';
import type { CodePartitionName } from '../me/code-partition.js';
import { BootLogRecorder, formatBootLog, type BootLogEntry } from './boot-log.js';
import { verifyCodePartition, type PartitionVerdict, type RomFuses, type VerifiedFirmware } from './verify.js';

export type RomState = 'operational' | 'recovery' | 'down';

export interface RomBootResult {
  state: RomState;
  partition: CodePartitionName | null;
  firmware?: VerifiedFirmware;
  /** Per-partition verdicts, in the order tried. */
  verdicts: PartitionVerdict[];
  log: BootLogEntry[];
}

export interface RomBootOptions {
  /** Absolute offset of the ME region in the flash image, for log offsets (default 0). */
  regionBase?: number;
}

const ORDER: readonly [CodePartitionName, RomState][] = [['NFTP', 'operational'], ['FTPR', 'recovery']];

/** Boot an ME region against the fuses. Never throws on bad input. */
export function romBoot(meRegion: Uint8Array, fuses: RomFuses, opts: RomBootOptions = {}): RomBootResult {
  const base = opts.regionBase ?? 0;
  const top = new BootLogRecorder(null);
  let fpt: Fpt;
  try {
    fpt = parseFpt(meRegion, base);
  } catch (err) {
    const p = err instanceof DecodeError ? err.problem : undefined;
    top.fail('fpt', err instanceof Error ? err.message : String(err), p ? { offset: p.offset, expected: p.expected, actual: p.actual } : {});
    top.fail('decision', 'engine stays down: no readable partition table');
    return { state: 'down', partition: null, verdicts: [], log: top.entries };
  }
  top.pass('fpt', `$FPT v2.0 with ${fpt.partitions.length} entries, checksum holds`, { offset: base + 0x10 });
  const log = [...top.entries];
  const verdicts: PartitionVerdict[] = [];
  for (const [name, state] of ORDER) {
    const verdict = verifyPartitionIn(meRegion, fpt, name, fuses, base);
    verdicts.push(verdict);
    log.push(...verdict.log);
    if (verdict.ok && verdict.firmware) {
      log.push({ stage: 'rom', partition: name, check: 'decision', ok: true, message: `booting ${name} (${state})` });
      return { state, partition: name, firmware: verdict.firmware, verdicts, log };
    }
  }
  const reasons = verdicts.map((v) => `${v.partition}: ${v.failedCheck ?? '?'}`).join('; ');
  log.push({ stage: 'rom', partition: null, check: 'decision', ok: false, message: `engine stays down (${reasons})` });
  return { state: 'down', partition: null, verdicts, log };
}

function verifyPartitionIn(region: Uint8Array, fpt: Fpt, name: CodePartitionName, fuses: RomFuses, base: number): PartitionVerdict {
  const entry = findPartition(fpt, name);
  if (!entry || entry.type !== PartitionType.code) {
    const log = new BootLogRecorder(name);
    const failed = log.fail('partition', entry ? `${name} is not a code partition` : `no valid ${name} entry in $FPT`, { offset: base + 0x30, expected: `${name} (type 0 Code)`, actual: entry ? `type ${entry.type}` : 'absent' });
    return { partition: name, ok: false, failedCheck: failed.check, errorCode: 'VME_ERR_VERIFY_STRUCTURE', log: log.entries };
  }
  const partitionLog = new BootLogRecorder(name);
  partitionLog.pass('partition', `${name} at ${hex(entry.offset)}, ${hex(entry.size)} bytes`, { offset: base + entry.offset });
  const verdict = verifyCodePartition(region.subarray(entry.offset, entry.offset + entry.size), name, fuses, base + entry.offset);
  return { ...verdict, log: [...partitionLog.entries, ...verdict.log] };
}

const hex = (n: number): string => `0x${n.toString(16).toUpperCase()}`;

/** Human-readable boot log. */
export const formatRomBoot = (result: RomBootResult): string => `${formatBootLog(result.log)}\nstate: ${result.state}${result.partition ? ` (${result.partition})` : ''}`;

/** A typed error for a failed verdict (for callers such as the firmware updater). */
export function verdictError(verdict: PartitionVerdict): VmeError {
  const failed = verdict.log.find((e) => !e.ok);
  return new VmeError(verdict.errorCode ?? 'VME_ERR_VERIFY_STRUCTURE', `${verdict.partition} failed ${verdict.failedCheck ?? '?'}: ${failed?.message ?? 'unknown'}`, { partition: verdict.partition, check: verdict.failedCheck, log: verdict.log });
}
