// The shared scheduler runs tasks in deadline order on one timer, skips cancelled ones, and the supervisor policy backs off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Scheduler } from './scheduler.js';
import { RestartBudget } from './supervisor.js';

test('tasks run in deadline order; cancelled tasks never run', async () => {
  const scheduler = new Scheduler();
  const ran: string[] = [];
  scheduler.schedule(30, () => ran.push('c'));
  scheduler.schedule(10, () => ran.push('a'));
  const cancelled = scheduler.schedule(15, () => ran.push('x'));
  scheduler.schedule(20, () => ran.push('b'));
  cancelled.cancel();
  assert.equal(scheduler.pending, 3);
  const keepAlive = setTimeout(() => undefined, 1000);
  await sleep(80);
  clearTimeout(keepAlive);
  assert.deepEqual(ran, ['a', 'b', 'c']);
  assert.equal(scheduler.pending, 0);
});

test('a throwing task is reported and does not stop the others', async () => {
  const errors: unknown[] = [];
  const scheduler = new Scheduler((e) => errors.push(e));
  let ran = false;
  scheduler.schedule(0, () => {
    throw new Error('x');
  });
  scheduler.schedule(0, () => {
    ran = true;
  });
  await sleep(20);
  assert.equal(errors.length, 1);
  assert.ok(ran);
});

test('restart back-off doubles up to the cap, then gives up past maxRestarts in the window', () => {
  const budget = new RestartBudget({ maxRestarts: 4, restartWindowMs: 1000, baseDelayMs: 100, maxDelayMs: 300 });
  assert.deepEqual([0, 1, 2, 3].map((t) => budget.onFault(t)), [
    { action: 'restart', delayMs: 100, restartsInWindow: 1 }, { action: 'restart', delayMs: 200, restartsInWindow: 2 },
    { action: 'restart', delayMs: 300, restartsInWindow: 3 }, { action: 'restart', delayMs: 300, restartsInWindow: 4 },
  ]);
  assert.equal(budget.onFault(4).action, 'give-up');
  assert.deepEqual(budget.onFault(2000), { action: 'restart', delayMs: 100, restartsInWindow: 1 }, 'old restarts leave the window');
});
