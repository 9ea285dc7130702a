/**
 * What the simulated BIOS reads from IDE-R media before booting it: the first 2 KiB (the boot
 * record: one CD block, four floppy sectors) and, on a CD, the ISO 9660 primary volume descriptor
 * at block 16 (type 1, "CD001", volume identifier at byte 40, 32 bytes). The media is bootable when
 * it has a volume descriptor, the 0x55AA boot signature or a `BOOT_IMAGE=` line; the simulated
 * OS's kernel command line is that line (up to a NUL or line end), else a default for the drive.
 * The report carries a SHA-256 of every byte read, in order, so tests compare it with the image.
 */
import { createHash } from 'node:crypto';
import type { BootDeviceName, BootMedia, MediaBlocks } from './boot-order.js';

export interface BootMediaReport {
  readonly device: BootDeviceName;
  /** The reads, in order. */
  readonly reads: readonly { readonly lba: number; readonly count: number }[];
  readonly bytesRead: number;
  /** SHA-256 (hex) of the bytes read, concatenated in read order. */
  readonly sha256: string;
  readonly volumeId?: string;
  /** What the BIOS found, for the screen. */
  readonly found: string;
  readonly commandLine: string;
  /** Why the media does not boot (a failed read, nothing bootable). */
  readonly error?: string;
}

const BOOT_RECORD_BYTES = 2048;
const PVD_LBA = 16;
const MAX_LINE = 512;

/** Reads the boot record (and a CD's volume descriptor) through `media.blocks`; never throws for a failed read. */
export async function readBootRecord(device: BootDeviceName, media: BootMedia, signal: AbortSignal): Promise<BootMediaReport> {
  const blocks = media.blocks as MediaBlocks;
  const hash = createHash('sha256');
  const reads: { lba: number; count: number }[] = [];
  let bytesRead = 0;
  const read = async (lba: number, count: number): Promise<Uint8Array> => {
    reads.push({ lba, count });
    const bytes = await abortable(blocks.read(lba, count), signal);
    if (bytes.length !== count * blocks.blockSize) throw new Error(`read of ${count} blocks at ${lba} returned ${bytes.length} bytes`);
    hash.update(bytes);
    bytesRead += bytes.length;
    return bytes;
  };
  const report = (rest: { found: string; commandLine: string; volumeId?: string; error?: string }): BootMediaReport =>
    ({ device, reads, bytesRead, sha256: hash.copy().digest('hex'), ...rest });
  const fallback = defaultCommandLine(device);
  try {
    const record = await read(0, Math.max(1, Math.ceil(BOOT_RECORD_BYTES / blocks.blockSize)));
    const cd = blocks.blockSize === 2048 && (blocks.count === 0 || blocks.count > PVD_LBA);
    const volumeId = cd ? isoVolumeId(await read(PVD_LBA, 1)) : undefined;
    const line = bootLine(record);
    const signature = record[510] === 0x55 && record[511] === 0xaa;
    const found = [volumeId !== undefined ? `ISO 9660 volume "${volumeId}"` : '', signature ? 'boot signature 55AA' : '', line ? 'boot line' : ''].filter(Boolean).join(', ');
    if (!found) return report({ found: 'nothing bootable', commandLine: fallback, error: 'not bootable (no ISO 9660 volume, boot signature or BOOT_IMAGE line)' });
    return report({ found, commandLine: line ?? fallback, ...(volumeId !== undefined ? { volumeId } : {}) });
  } catch (error) {
    if (signal.aborted) throw error;
    return report({ found: 'read error', commandLine: fallback, error: `read failed: ${error instanceof Error ? error.message : String(error)}` });
  }
}

function defaultCommandLine(device: BootDeviceName): string {
  const root = device === 'ider-floppy' ? '/dev/fd0' : '/dev/sr0';
  return `BOOT_IMAGE=/isolinux/vmlinuz root=${root} ro console=tty0 console=ttyS0,115200n8`;
}

/** The primary volume descriptor's identifier, or undefined when the block is not one. */
function isoVolumeId(block: Uint8Array): string | undefined {
  if (block[0] !== 1 || Buffer.from(block.subarray(1, 6)).toString('latin1') !== 'CD001') return undefined;
  return Buffer.from(block.subarray(40, 72)).toString('latin1').trimEnd();
}

/** A `BOOT_IMAGE=` line in the boot record (printable ASCII up to NUL, CR or LF). */
function bootLine(record: Uint8Array): string | undefined {
  const text = Buffer.from(record).toString('latin1');
  const start = text.indexOf('BOOT_IMAGE=');
  if (start < 0) return undefined;
  const match = /^[\x20-\x7e]*/.exec(text.slice(start, start + MAX_LINE));
  return match?.[0];
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
