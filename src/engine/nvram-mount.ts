/**
 * Mounting the engine's NVRAM at boot: find the MFS data partition in `$FPT`, put the file system
 * on it through the flash controller (as the ME master) and key it from the fuse NVRAM seed. A
 * failure does not stop the boot: the engine runs degraded and apps granted NVRAM get the typed
 * error (integrity, replay, ...) whenever they use it.
 */
import { VmeError } from '../common/errors.js';
import type { FlashController } from '../flash/index.js';
import { findPartition, parseFpt, PartitionType } from '../me/fpt.js';
import type { Fuses } from '../platform/fuses.js';
import { FlashPartitionStore, type KernelBootLog, type Trace } from '../kernel/index.js';
import { NvramError, NvramFileSystem, type MonotonicCounter } from '../kernel/nvram/index.js';

export const MFS_PARTITION = 'MFS';

/** The mounted file system, or the typed error that keeps NVRAM unavailable. */
export function mountNvram(controller: FlashController, meRegion: Uint8Array, fuses: Fuses, counter: MonotonicCounter, trace: Trace, log: KernelBootLog): NvramFileSystem | VmeError {
  try {
    const entry = findPartition(parseFpt(meRegion), MFS_PARTITION);
    if (!entry || entry.type !== PartitionType.data) {
      throw new NvramError('VME_ERR_NVRAM_INTEGRITY', `no ${MFS_PARTITION} data partition in $FPT`, { partition: MFS_PARTITION });
    }
    const store = new FlashPartitionStore(controller, entry.offset, entry.size);
    const fs = NvramFileSystem.mount({ store, secret: Buffer.from(fuses.secrets.nvramKeySeed, 'hex'), counter, onEvent: (event) => trace.record('nvram', { kind: 'nvram', event }) });
    const stats = fs.stats();
    log.add('nvram', true, `NVRAM mounted on ${MFS_PARTITION} at ME+0x${entry.offset.toString(16).toUpperCase()} (${entry.size / 1024} KiB), anti-replay counter ${counter.read()}`, { actual: `generation ${stats.generation}, sequence ${stats.sequence}, ${stats.entries} entries` });
    return fs;
  } catch (error) {
    const typed = error instanceof VmeError ? error : new NvramError('VME_ERR_NVRAM_INTEGRITY', (error as Error).message);
    trace.record('nvram', { kind: 'nvram-unavailable', code: typed.code, message: typed.message });
    log.add('nvram', false, `NVRAM unavailable, engine degraded: ${typed.message}`, { actual: typed.code });
    return typed;
  }
}
