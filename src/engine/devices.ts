/**
 * The per-platform devices the kernel serves apps from: crypto engine (keyed by the fuse device
 * secret), sparse host DRAM, UMA, SRAM with the manifest's budget, DMA and pageable engine memory.
 * All are plain objects (no timers, no threads), so an idle platform costs only their state.
 */
import { CryptoEngine, DmaEngine, EngineMemory, HostDram, Sram, Uma } from '../devices/index.js';
import type { Fuses } from '../platform/fuses.js';
import type { KernelBootLog } from '../kernel/index.js';

export interface PlatformDevices {
  readonly crypto: CryptoEngine;
  readonly dram: HostDram;
  readonly uma: Uma;
  readonly sram: Sram;
  readonly dma: DmaEngine;
  readonly memory: EngineMemory;
}

const DEFAULT_SRAM_BYTES = 512 * 1024;

/** Creates the devices; an SRAM budget the devices refuse falls back to 512 KiB (logged, degraded). */
export function createDevices(fuses: Fuses, sramBudgetBytes: number, log: KernelBootLog): { devices: PlatformDevices; ok: boolean } {
  let sram: Sram;
  let ok = true;
  try {
    sram = new Sram(sramBudgetBytes);
  } catch (error) {
    ok = false;
    sram = new Sram(DEFAULT_SRAM_BYTES);
    log.add('devices', false, `SRAM budget refused (${(error as Error).message}); using ${DEFAULT_SRAM_BYTES} bytes`, { expected: '256 KiB..1 MiB', actual: String(sramBudgetBytes) });
  }
  const dram = new HostDram();
  const uma = new Uma(dram);
  const devices: PlatformDevices = {
    crypto: new CryptoEngine({ deviceSecret: Buffer.from(fuses.secrets.deviceSecret, 'hex') }),
    dram, uma, sram, dma: new DmaEngine({ dram, uma }), memory: new EngineMemory(sram, uma),
  };
  if (ok) log.add('devices', true, `crypto engine, DMA, ${sram.budgetBytes / 1024} KiB SRAM, ${dram.size / 1024 ** 3} GiB host DRAM (sparse)`);
  return { devices, ok };
}
