/** Helpers for whole-engine tests: build a platform once, boot it with a private worker pool, wait for conditions. */
import { after } from 'node:test';
import { AppHostPool, type AppHostPoolOptions } from '../../src/kernel/index.js';
import { waitUntil } from './wait.js';
import { MemoryBacking } from '../../src/flash/index.js';
import { testPlatform } from '../../src/image/testing.js';
import type { BuiltPlatform } from '../../src/image/build.js';
import { bootEngine, type Engine, type EngineOptions } from '../../src/engine/index.js';
import { TESTING_APP_REGISTRY, testingDefinition } from '../../src/apps/testing/index.js';
import { MemoryCounter } from '../../src/kernel/nvram/index.js';
import type { FlashBacking } from '../../src/flash/index.js';

/** A platform with mkhi plus the named test apps. */
export function testingPlatform(apps: readonly string[], supervisor?: { maxRestarts: number; restartWindowMs: number }): BuiltPlatform {
  return testPlatform({ definition: testingDefinition(apps, supervisor) });
}

/** Short deadlines and back-off so fault tests run fast. */
export const FAST: EngineOptions = { requestDeadlineMs: 400, backoffBaseMs: 20, backoffMaxMs: 200, registry: TESTING_APP_REGISTRY };

/** Boots `platform` on a fresh in-memory flash (or `flash`) with `options`. */
export function bootTesting(platform: BuiltPlatform, options: EngineOptions, flash: FlashBacking = new MemoryBacking(platform.image)): Promise<Engine> {
  return bootEngine({ flash, fuses: platform.fuses, options: { counter: new MemoryCounter(), ...options } });
}

/** Polls `predicate` every 10 ms until true; rejects after `timeoutMs`. */
/** Resolves once `predicate()` holds (see support/wait.ts). */
export const waitFor = (predicate: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> => waitUntil(predicate, what, timeoutMs, 5);

/** The state of one app of an engine. */
export const appState = (engine: Engine, name: string): string | undefined => engine.apps.find((a) => a.name === name)?.state;

/** A test file's worker pool and the engines its tests boot; all are shut down after the file's tests. */
export function engineFixture(poolOptions: AppHostPoolOptions = { pingTimeoutMs: 200 }): { pool: AppHostPool; engines: Engine[] } {
  const fixture = { pool: new AppHostPool(poolOptions), engines: [] as Engine[] };
  after(async () => {
    await Promise.all(fixture.engines.map((engine) => engine.shutdown()));
    await fixture.pool.close();
  });
  return fixture;
}
