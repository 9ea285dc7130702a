// Manual clock: timers in time then creation order, cancel, abortable sleep, runUntilIdle's limit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hang, ManualClock, RunAborted, sleep } from './clock.js';

test('timers run in due order (ties in creation order) and time jumps to each', async () => {
  const clock = new ManualClock();
  const ran: string[] = [];
  clock.schedule(20, () => ran.push(`b@${clock.now()}`));
  clock.schedule(10, () => ran.push(`a@${clock.now()}`));
  clock.schedule(20, () => ran.push(`c@${clock.now()}`));
  const cancel = clock.schedule(15, () => ran.push('cancelled'));
  cancel();
  await clock.advance(19);
  assert.deepEqual(ran, ['a@10']);
  assert.equal(clock.now(), 19);
  await clock.advance(1);
  assert.deepEqual(ran, ['a@10', 'b@20', 'c@20']);
  assert.equal(clock.pending, 0);
});

test('sleep resolves on the clock and rejects with RunAborted when aborted', async () => {
  const clock = new ManualClock();
  const controller = new AbortController();
  let done = false;
  const slept = sleep(clock, 100, controller.signal).then(() => (done = true));
  await clock.advance(99);
  assert.equal(done, false);
  await clock.advance(1);
  await slept;
  assert.equal(done, true);
  const aborted = sleep(clock, 100, controller.signal);
  controller.abort();
  await assert.rejects(aborted, RunAborted);
  assert.equal(clock.pending, 0, 'the aborted sleep cancelled its timer');
  await assert.rejects(hang(controller.signal), RunAborted);
});

test('runUntilIdle stops at its limit when something keeps re-arming', async () => {
  const clock = new ManualClock();
  const rearm = (): void => void clock.schedule(1, rearm);
  rearm();
  await assert.rejects(clock.runUntilIdle(50), RangeError);
});
