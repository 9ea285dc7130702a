/**
 * Rewriting one `$FPT` slot of the ME region through the flash controller, as the ME master:
 * chunk by chunk, skip chunks that already hold the wanted bytes, otherwise erase the chunk and
 * program its bytes up to the last non-0xFF byte (erased flash already reads 0xFF); then read the
 * whole slot back and compare.
 */
import { VmeError } from '../common/errors.js';
import { SECTOR_SIZE } from '../flash/backing.js';
import type { FlashController } from '../flash/controller.js';
import type { Master } from '../flash/regions.js';
import type { FptPartitionEntry } from '../me/fpt.js';
import type { CodePartitionName } from '../me/code-partition.js';

/** The updater runs on the engine: only the ME master may write the ME region of a locked descriptor. */
export const UPDATE_MASTER: Master = 'me';
export const DEFAULT_CHUNK_SIZE = 0x10000;

export interface SlotWriteOptions {
  /** Bytes per erase/program step, a multiple of 4 KiB (default 64 KiB). */
  chunkSize: number;
  /** Rewrite chunks even when they already hold the wanted bytes (tests use it to exercise every chunk). */
  rewriteUnchanged: boolean;
  onChunk?: (done: number, total: number, written: boolean) => void;
}

export interface SlotWriteReport {
  partition: CodePartitionName;
  /** Offset of the slot in the ME region, and its size. */
  offset: number;
  size: number;
  chunksWritten: number;
  chunksUnchanged: number;
  /** Bytes erased (whole chunks) and bytes programmed. */
  bytesErased: number;
  bytesWritten: number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** Length of `data` without its trailing 0xFF bytes. */
function programmedLength(data: Uint8Array): number {
  let end = data.length;
  while (end > 0 && data[end - 1] === 0xff) end -= 1;
  return end;
}

/** `bytes` padded with 0xFF to `size`. */
export function padToSlot(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size).fill(0xff);
  out.set(bytes.subarray(0, size));
  return out;
}

/** Rewrite `slot` so that it holds `wanted` (exactly the slot's size). @throws VME_ERR_UPDATE_READBACK */
export function rewriteSlot(controller: FlashController, slot: FptPartitionEntry, wanted: Uint8Array, opts: SlotWriteOptions): SlotWriteReport {
  if (opts.chunkSize <= 0 || opts.chunkSize % SECTOR_SIZE !== 0) throw new VmeError('VME_ERR_USAGE', `chunk size 0x${opts.chunkSize.toString(16)} is not a positive multiple of 4 KiB`);
  const report: SlotWriteReport = { partition: slot.name as CodePartitionName, offset: slot.offset, size: slot.size, chunksWritten: 0, chunksUnchanged: 0, bytesErased: 0, bytesWritten: 0 };
  for (let offset = 0; offset < slot.size; offset += opts.chunkSize) {
    const length = Math.min(opts.chunkSize, slot.size - offset);
    const chunk = wanted.subarray(offset, offset + length);
    const at = slot.offset + offset;
    const written = opts.rewriteUnchanged || !sameBytes(controller.read(UPDATE_MASTER, 'me', at, length), chunk);
    if (written) writeChunk(controller, at, chunk, report);
    else report.chunksUnchanged += 1;
    opts.onChunk?.(offset + length, slot.size, written);
  }
  checkReadBack(controller, slot, wanted);
  return report;
}

function writeChunk(controller: FlashController, at: number, chunk: Uint8Array, report: SlotWriteReport): void {
  controller.erase(UPDATE_MASTER, 'me', at, chunk.length);
  report.bytesErased += chunk.length;
  const length = programmedLength(chunk);
  if (length > 0) controller.write(UPDATE_MASTER, 'me', at, chunk.subarray(0, length));
  report.bytesWritten += length;
  report.chunksWritten += 1;
}

function checkReadBack(controller: FlashController, slot: FptPartitionEntry, wanted: Uint8Array): void {
  const actual = controller.read(UPDATE_MASTER, 'me', slot.offset, slot.size);
  if (sameBytes(actual, wanted)) return;
  const index = actual.findIndex((byte, i) => byte !== wanted[i]);
  const hex = (n: number | undefined): string => `0x${(n ?? 0).toString(16).padStart(2, '0')}`;
  throw new VmeError('VME_ERR_UPDATE_READBACK', `${slot.name} read back differs from the package at ME offset 0x${(slot.offset + index).toString(16)}: expected ${hex(wanted[index])}, actual ${hex(actual[index])}`, {
    partition: slot.name, offset: slot.offset + index, expected: wanted[index], actual: actual[index],
  });
}
