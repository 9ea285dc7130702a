/**
 * Undoable writes for the image fuzzer: mutations patch a shared copy of the clean image in place
 * and are undone after each case, so no case copies 8 MiB. Also the checksum, CRC and signature
 * fix-ups that let a structure-aware mutation get past the cheap checks to the deeper ones.
 */
import type { KeyObject } from 'node:crypto';
import { checksum8, crc32 } from '../../src/codec/index.js';
import { sha256, reversed, signSha256LE } from '../../src/crypto/index.js';
import { CpdHeader, CpdEntry, CPD_MAX_ENTRIES, FPT_OFFSET, FptHeader, Mn2Header, signedParts, keyBlockBytes, KEY_BLOCK_OFFSET } from '../../src/me/index.js';
import { ExtensionType, PartitionInfoExtension } from '../../src/me/index.js';
import type { CodePartitionLayout, PlatformLayout } from './image-fuzz-layout.js';

/** Writes into `buffer` that remember the bytes they replaced. */
export class Patch {
  readonly #saved: { offset: number; bytes: Uint8Array }[] = [];
  readonly view: DataView;

  constructor(readonly buffer: Uint8Array) {
    this.view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  get touched(): boolean {
    return this.#saved.length > 0;
  }

  /** Write `bytes` at `offset` (clipped to the buffer). */
  set(offset: number, bytes: Uint8Array): void {
    const start = Math.max(0, offset);
    const end = Math.min(this.buffer.length, offset + bytes.length);
    if (end <= start) return;
    this.#saved.push({ offset: start, bytes: this.buffer.slice(start, end) });
    this.buffer.set(bytes.subarray(start - offset, end - offset), start);
  }

  fill(offset: number, length: number, value: number): void {
    this.set(offset, new Uint8Array(Math.max(0, length)).fill(value));
  }

  /** Write an unsigned little-endian integer of `width` bytes. */
  setUint(offset: number, width: 1 | 2 | 4, value: number): void {
    const bytes = new Uint8Array(width);
    for (let i = 0; i < width; i++) bytes[i] = Math.floor(value / 2 ** (8 * i)) & 0xff;
    this.set(offset, bytes);
  }

  getUint(offset: number, width: 1 | 2 | 4): number {
    if (offset < 0 || offset + width > this.buffer.length) return 0;
    if (width === 1) return this.view.getUint8(offset);
    return width === 2 ? this.view.getUint16(offset, true) : this.view.getUint32(offset, true);
  }

  /** Undo every write, newest first. */
  restore(): void {
    for (let i = this.#saved.length - 1; i >= 0; i--) {
      const saved = this.#saved[i];
      if (saved) this.buffer.set(saved.bytes, saved.offset);
    }
    this.#saved.length = 0;
  }
}

/** Make the `$FPT` header bytes sum to zero again. */
export function fixFptChecksum(patch: Patch, layout: PlatformLayout): void {
  const at = layout.me.offset + FPT_OFFSET;
  const header = Uint8Array.from(patch.buffer.subarray(at, at + FptHeader.size));
  header[FptHeader.offsetOf('headerChecksum')] = 0;
  patch.setUint(at + FptHeader.offsetOf('headerChecksum'), 1, checksum8(header));
}

/** Recompute a `$CPD` CRC-32 over the (possibly mutated) header and entries. */
export function fixCpdCrc(patch: Patch, part: CodePartitionLayout): void {
  const at = part.directory.offset;
  const claimed = patch.getUint(at + CpdHeader.offsetOf('numEntries'), 4);
  const count = claimed >= 1 && claimed <= CPD_MAX_ENTRIES ? claimed : part.cpdEntryCount;
  const bytes = Uint8Array.from(patch.buffer.subarray(at, at + CpdHeader.size + count * CpdEntry.size));
  bytes.fill(0, CpdHeader.offsetOf('crc32'), CpdHeader.offsetOf('crc32') + 4);
  patch.setUint(at + CpdHeader.offsetOf('crc32'), 4, crc32(bytes));
}

/** Recompute the volume header's 16-bit checksum over its (possibly mutated) header length. */
export function fixVolumeChecksum(patch: Patch, layout: PlatformLayout): void {
  const at = layout.volume.header.offset;
  const length = Math.min(0x1000, patch.getUint(at + 0x30, 2) & ~1);
  patch.setUint(at + 0x32, 2, 0);
  let sum = 0;
  for (let i = 0; i < length; i += 2) sum = (sum + patch.getUint(at + i, 2)) & 0xffff;
  patch.setUint(at + 0x32, 2, (0x10000 - sum) & 0xffff);
}

/** Recompute an FFS file header checksum (state and file checksum count as zero). */
export function fixFfsHeaderChecksum(patch: Patch, fileOffset: number): void {
  const header = Uint8Array.from(patch.buffer.subarray(fileOffset, fileOffset + 0x18));
  header[0x10] = 0;
  header[0x11] = 0;
  header[0x17] = 0;
  patch.setUint(fileOffset + 0x10, 1, checksum8(header));
}

/** Make the GbE NVM words 0x00–0x3F sum to 0xBABA again. */
export function fixGbeChecksum(patch: Patch, layout: PlatformLayout): void {
  let sum = 0;
  for (let word = 0; word < 0x3f; word++) sum = (sum + patch.getUint(layout.gbe.offset + 2 * word, 2)) & 0xffff;
  patch.setUint(layout.gbe.offset + 0x7e, 2, (0xbaba - sum + 0x10000) & 0xffff);
}

export interface ResignOptions {
  /** Recompute the partition hash in extension 0x03 first (default true). */
  readonly rehash?: boolean;
  /** Put this key's key block at manifest+0x80 (a "swapped key"); default: keep the one there. */
  readonly embedKeyOf?: KeyObject;
}

/**
 * Sign a code partition's manifest (as found in `patch.buffer`) with `key`: optionally recompute
 * the partition hash and swap the key block first. Lengths come from the clean layout.
 */
export function resignPartition(patch: Patch, part: CodePartitionLayout, key: KeyObject, options: ResignOptions = {}): void {
  const man = part.manifest.offset;
  if (options.rehash ?? true) rehashPartition(patch, part);
  if (options.embedKeyOf) patch.set(man + KEY_BLOCK_OFFSET, keyBlockBytes(options.embedKeyOf));
  const manifest = patch.buffer.subarray(man, man + part.manifest.length);
  const signature = signSha256LE(key, Buffer.concat(signedParts(manifest, Mn2Header.size, part.manifest.length)));
  patch.set(man + Mn2Header.offsetOf('signature'), signature);
}

/** Recompute the extension 0x03 partition hash over the partition's clean content range. */
export function rehashPartition(patch: Patch, part: CodePartitionLayout): void {
  const info = part.extensions.find((x) => x.type === ExtensionType.partitionInfo);
  if (!info) return;
  const start = part.partition.offset;
  const man = part.manifest;
  const hash = sha256(patch.buffer.subarray(start, man.offset), patch.buffer.subarray(man.offset + man.length, start + part.contentEnd));
  patch.set(info.offset + PartitionInfoExtension.offsetOf('hash'), reversed(hash));
}
