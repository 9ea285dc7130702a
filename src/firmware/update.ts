/**
 * Applying a signed firmware update (design record 0001, "Firmware update"). Nothing is written
 * until the package verifies and fits. Then, as the ME master through the flash controller, the
 * two code partitions are rewritten one after the other, each read back before the next starts,
 * in an order that keeps one verifying partition on flash at every instant:
 *   - old FTPR verifies  → NFTP first (old FTPR boots recovery meanwhile), then FTPR (new NFTP boots);
 *   - old FTPR is bad    → FTPR first (the old NFTP, if good, boots meanwhile), then NFTP
 *     (the new FTPR boots meanwhile). If neither old partition verifies the platform is already
 *     down and the update is its repair; FTPR first brings recovery back soonest.
 * The fuse floor is raised last, only once both partitions hold the new firmware.
 */
import { VmeError } from '../common/errors.js';
import type { FlashController } from '../flash/controller.js';
import { SECTOR_SIZE } from '../flash/backing.js';
import { parseFpt, findPartition, PartitionType, type FptPartitionEntry } from '../me/fpt.js';
import type { CodePartitionName } from '../me/code-partition.js';
import { verifyCodePartition, type RomFuses } from '../rom/verify.js';
import type { RomState } from '../rom/boot.js';
import { raiseSvnFloor } from '../platform/fuses.js';
import { verifyPackage, versionText, type VerifiedPackage } from './verify-package.js';
import { rewriteSlot, padToSlot, UPDATE_MASTER, DEFAULT_CHUNK_SIZE, type SlotWriteReport } from './slot-writer.js';

export interface UpdateProgress {
  step: 'verified' | 'order' | 'chunk' | 'partition' | 'floor';
  partition?: CodePartitionName;
  done?: number;
  total?: number;
  /** For 'chunk': false when the chunk already held the new bytes and was skipped. */
  written?: boolean;
  message: string;
}

export interface UpdateOptions {
  controller: FlashController;
  /** The fuses the ROM will use (key hash, platform id, floor). */
  fuses: RomFuses;
  /** The fuse file; required when the package asks to raise the floor above the current one. */
  fusesPath?: string;
  packageBytes: Uint8Array;
  onProgress?: (progress: UpdateProgress) => void;
  /** Erase/program granularity, a multiple of 4 KiB (default 64 KiB). */
  chunkSize?: number;
  /** Rewrite chunks that already hold the new bytes (default false: only changed chunks are written). */
  rewriteUnchanged?: boolean;
}

export interface FirmwareState {
  state: RomState;
  partition: CodePartitionName | null;
  version: string | null;
}

export interface UpdateResult {
  before: FirmwareState;
  newVersion: string;
  arbSvn: number;
  /** The partitions in the order they were rewritten. */
  order: CodePartitionName[];
  partitions: SlotWriteReport[];
  bytesWritten: number;
  svnFloorBefore: number;
  svnFloorAfter: number;
}

const CODE_PARTITIONS: readonly CodePartitionName[] = ['FTPR', 'NFTP'];

/** Verify, check fit, rewrite both partitions safely, raise the floor if asked. */
export function applyUpdate(opts: UpdateOptions): UpdateResult {
  const progress = opts.onProgress ?? (() => undefined);
  const pkg = verifyPackage(opts.packageBytes, opts.fuses);
  const floorTarget = pkg.raiseSvnFloor && pkg.arbSvn > opts.fuses.svnFloor ? pkg.arbSvn : undefined;
  if (floorTarget !== undefined && opts.fusesPath === undefined) {
    throw new VmeError('VME_ERR_USAGE', `the package asks to raise the fuse floor to ${floorTarget} but no fuse file was given`);
  }
  progress({ step: 'verified', message: `package verified: firmware ${versionText(pkg.version)}, ARB SVN ${pkg.arbSvn}, platform ${pkg.platformId}` });
  const { slots, before } = inspectFlash(opts.controller, pkg, opts.fuses);
  const order: CodePartitionName[] = before.ftprVerifies ? ['NFTP', 'FTPR'] : ['FTPR', 'NFTP'];
  progress({ step: 'order', message: `current firmware: ${describe(before.state)}; writing ${order.join(' then ')}${before.ftprVerifies ? '' : ' (current FTPR does not verify)'}` });
  const partitions = order.map((name) => writePartition(opts, name, slots[name], pkg, progress));
  const svnFloorAfter = floorTarget !== undefined && opts.fusesPath !== undefined ? raiseSvnFloor(opts.fusesPath, floorTarget).svnFloor : opts.fuses.svnFloor;
  if (svnFloorAfter !== opts.fuses.svnFloor) progress({ step: 'floor', message: `anti-rollback floor raised from ${opts.fuses.svnFloor} to ${svnFloorAfter}` });
  return {
    before: before.state, newVersion: versionText(pkg.version), arbSvn: pkg.arbSvn, order, partitions,
    bytesWritten: partitions.reduce((sum, p) => sum + p.bytesWritten, 0), svnFloorBefore: opts.fuses.svnFloor, svnFloorAfter,
  };
}

const describe = (s: FirmwareState): string => (s.partition ? `${s.version ?? '?'} (${s.state}, ${s.partition})` : 'down');

function writePartition(opts: UpdateOptions, name: CodePartitionName, slot: FptPartitionEntry, pkg: VerifiedPackage, progress: (p: UpdateProgress) => void): SlotWriteReport {
  const report = rewriteSlot(opts.controller, slot, padToSlot(pkg.partitions[name].bytes, slot.size), {
    chunkSize: opts.chunkSize ?? DEFAULT_CHUNK_SIZE, rewriteUnchanged: opts.rewriteUnchanged ?? false,
    onChunk: (done, total, written) => progress({ step: 'chunk', partition: name, done, total, written, message: `${name}: 0x${done.toString(16)} of 0x${total.toString(16)} bytes${written ? '' : ' (unchanged)'}` }),
  });
  opts.controller.backing.sync();
  progress({ step: 'partition', partition: name, message: `${name} written and read back: ${report.chunksWritten} chunks rewritten, ${report.chunksUnchanged} unchanged, ${report.bytesWritten} bytes programmed` });
  return report;
}

interface FlashInspection {
  slots: Record<CodePartitionName, FptPartitionEntry>;
  before: { state: FirmwareState; ftprVerifies: boolean };
}

/** Read the ME region as the ME master, locate and size-check the slots, verify what is there now. */
function inspectFlash(controller: FlashController, pkg: VerifiedPackage, fuses: RomFuses): FlashInspection {
  const region = controller.region('me');
  const bytes = controller.read(UPDATE_MASTER, 'me', 0, region.size);
  const fpt = parseFpt(bytes, region.base);
  const slots = { FTPR: slotFor(fpt, 'FTPR', pkg, region.base), NFTP: slotFor(fpt, 'NFTP', pkg, region.base) };
  const verdicts = CODE_PARTITIONS.map((name) => verifyCodePartition(bytes.subarray(slots[name].offset, slots[name].offset + slots[name].size), name, fuses, region.base + slots[name].offset));
  const [ftpr, nftp] = verdicts;
  const booted = nftp?.ok ? nftp : ftpr?.ok ? ftpr : undefined;
  const state: FirmwareState = booted?.firmware
    ? { state: booted.partition === 'NFTP' ? 'operational' : 'recovery', partition: booted.partition, version: versionText(booted.firmware.version) }
    : { state: 'down', partition: null, version: null };
  return { slots, before: { state, ftprVerifies: ftpr?.ok ?? false } };
}

function slotFor(fpt: ReturnType<typeof parseFpt>, name: CodePartitionName, pkg: VerifiedPackage, regionBase: number): FptPartitionEntry {
  const slot = findPartition(fpt, name);
  if (!slot || slot.type !== PartitionType.code) {
    throw new VmeError('VME_ERR_UPDATE_FIT', `the image's $FPT has no valid ${name} code partition to update`, { partition: name, expected: `${name} (type 0 Code)`, actual: slot ? `type ${slot.type}` : 'absent' });
  }
  const length = pkg.partitions[name].bytes.length;
  if (length > slot.size) {
    throw new VmeError('VME_ERR_UPDATE_FIT', `package ${name} is 0x${length.toString(16)} bytes; its $FPT slot holds 0x${slot.size.toString(16)}`, { partition: name, expected: `<= 0x${slot.size.toString(16)}`, actual: `0x${length.toString(16)}` });
  }
  if ((regionBase + slot.offset) % SECTOR_SIZE !== 0 || slot.size % SECTOR_SIZE !== 0) {
    throw new VmeError('VME_ERR_UPDATE_FIT', `${name} slot at flash 0x${(regionBase + slot.offset).toString(16)}+0x${slot.size.toString(16)} is not 4 KiB sector-aligned`, { partition: name });
  }
  return slot;
}
