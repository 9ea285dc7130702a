/**
 * Boot to all-apps-ready for one platform (default manifest, ROM included), against the ROM alone
 * as the baseline. The shared worker pool is warm after the first boot, as in a running fleet;
 * the cold first boot (worker start) is printed separately.
 * Run: npm run build && node dist/bench/engine-boot.js
 */
import { performance } from 'node:perf_hooks';
import { MemoryBacking, FlashController } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import { romBoot } from '../src/rom/index.js';
import { bootEngine } from '../src/engine/index.js';
import { AppHostPool } from '../src/kernel/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { measure, printTable } from './lib/measure.js';

const platform = testPlatform();
const pool = new AppHostPool();
const boot = async (): Promise<void> => {
  const engine = await bootEngine({ flash: new MemoryBacking(platform.image), fuses: platform.fuses, options: { pool, counter: new MemoryCounter() } });
  if (engine.state !== 'operational') throw new Error(`engine ${engine.state}`);
  await engine.shutdown();
};

const coldStart = performance.now();
const cold = await bootEngine({ flash: new MemoryBacking(platform.image), fuses: platform.fuses, options: { pool, counter: new MemoryCounter() } });
const coldMs = performance.now() - coldStart;
// Keep one platform booted so the worker stays up between measured boots (as in a fleet).
const rom = await measure('ROM only (descriptor + verify)', () => {
  const controller = new FlashController(new MemoryBacking(platform.image));
  const region = controller.region('me');
  romBoot(controller.read('me', 'me', 0, region.size), platform.fuses, { regionBase: region.base });
}, 30, 5);
const engine = await measure('engine boot to all apps ready (warm workers)', boot, 30, 5);
printTable([rom, engine], rom);
console.log(`\ncold first boot (includes starting the mkhi worker): ${coldMs.toFixed(1)} ms`);
await cold.shutdown();
await pool.close();
