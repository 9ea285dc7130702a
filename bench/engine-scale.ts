/**
 * Many platforms in one process: boots platforms up to N = 100 and then 1,000 (each with its own
 * fuses, NVRAM counter and copy-on-write view of one shared 8 MiB image) in one process with the
 * shared app-host workers, and prints boot ms per platform and RSS / heap per platform (after GC,
 * relative to a process that already runs one platform). RSS includes the worker threads.
 * Run: npm run build && node --expose-gc dist/bench/engine-scale.js [maxPlatforms]
 */
import { performance } from 'node:perf_hooks';
import { createFuses } from '../src/platform/fuses.js';
import { testDevelopmentKeys, testPlatform } from '../src/image/testing.js';
import { bootEngine, CopyOnWriteBacking, SharedImage, type Engine } from '../src/engine/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { sharedAppHostPool } from '../src/kernel/index.js';

const steps = [100, 1000].filter((n) => n <= Number(process.argv[2] ?? 1000));
const keys = testDevelopmentKeys();
const image = new SharedImage(testPlatform().image);
const engines: Engine[] = [];
const backings: CopyOnWriteBacking[] = [];

async function bootOne(): Promise<void> {
  const fuses = createFuses({ firmwareKey: keys.firmwareSigning.publicKey, oemKey: keys.oem.publicKey, svnFloor: 1 });
  const flash = new CopyOnWriteBacking(image);
  backings.push(flash);
  const engine = await bootEngine({ flash, fuses, options: { counter: new MemoryCounter() } });
  if (engine.state !== 'operational') throw new Error(`platform ${engines.length} is ${engine.state}`);
  engines.push(engine);
}

function memory(): { rss: number; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss, heap: usage.heapUsed + usage.external };
}

await bootOne();
for (let i = 0; i < 10; i++) await bootOne(); // warm the JIT before the baseline
const baseline = memory();
const baseCount = engines.length;
const rows: string[] = ['| platforms | boot ms / platform | RSS MiB total | RSS KiB / platform | main heap+external KiB / platform | private flash pages / platform |', '|---|---|---|---|---|---|'];
for (const target of steps) {
  const started = performance.now();
  const from = engines.length;
  while (engines.length < target + baseCount) await bootOne();
  const bootMs = (performance.now() - started) / (engines.length - from);
  const now = memory();
  const count = engines.length - baseCount;
  const pages = backings.reduce((sum, b) => sum + b.privatePages, 0) / backings.length;
  rows.push(`| ${target} | ${bootMs.toFixed(2)} | ${(now.rss / 2 ** 20).toFixed(0)} | ${((now.rss - baseline.rss) / count / 1024).toFixed(0)} | ${((now.heap - baseline.heap) / count / 1024).toFixed(0)} | ${pages.toFixed(1)} |`);
}
console.log(rows.join('\n'));
console.log(`\napp-host workers: ${sharedAppHostPool().hostCount} (one per app kind, whatever the platform count)`);
await Promise.all(engines.map((e) => e.shutdown()));
await sharedAppHostPool().close();
