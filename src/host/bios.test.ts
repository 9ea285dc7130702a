// BIOS POST with a recording fake engine port: the engine can fail or stall, and POST still goes on;
// power loss during MEBX aborts its session and nothing of the old run prints into the new one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BIOS_STEPS, umaPlacement } from './bios.js';
import type { EngineHostPort } from './engine-port.js';
import { testHost } from './testing.js';

test('POST steps are declared in order', () => {
  assert.deepEqual(BIOS_STEPS, ['power-on', 'memory-init', 'dram-init-done', 'mebx-prompt', 'mebx', 'end-of-post', 'boot-select']);
  assert.deepEqual(umaPlacement(8 * 2 ** 30), { base: 8 * 2 ** 30 - 32 * 2 ** 20, size: 32 * 2 ** 20 });
});

test('fake engine that throws at DRAM-init-done and never answers End-of-POST: POST still boots the OS', async () => {
  const stalled: EngineHostPort = {
    dramInitDone: () => {
      throw new Error('UMA reservation refused');
    },
    endOfPost: () => new Promise(() => undefined),
    hostPowerChanged: () => undefined,
  };
  const { host, clock } = testHost({ engine: stalled, bios: { umaSize: 4 * 2 ** 20, endOfPostTimeoutMilliseconds: 1000 } });
  host.powerOn();
  await clock.runUntilIdle();
  const output = host.serial.outputText();
  assert.match(output, /ME: dram-init-done failed: UMA reservation refused/);
  assert.match(output, /ME: end-of-post failed: no answer in 1000 ms/);
  assert.deepEqual([host.state().os, host.state().dramInitDoneSent, host.state().endOfPostSent], ['running', false, false]);
  assert.equal(host.events().filter((event) => event.kind === 'engine-error').length, 2);
});

test('fake engine: power off during MEBX aborts the session; the next boot is clean', async () => {
  let session: AbortSignal | undefined;
  const { host, clock } = testHost({ mebx: true, onMebx: ({ signal }) => ((session = signal), new Promise(() => undefined)) });
  host.powerOn();
  await clock.advance(1000);
  assert.equal(host.state().biosStep, 'mebx');
  host.requestPowerState(8);
  assert.equal(session?.aborted, true);
  await clock.runUntilIdle();
  assert.equal(host.state().phase, 'off');
  host.powerOn();
  await clock.runUntilIdle();
  assert.equal(host.state().os, 'running');
  assert.equal(host.events().filter((event) => event.kind === 'bios-step' && event.step === 'mebx').length, 1, '--mebx applies to the first POST only');
  assert.equal(host.events().filter((event) => event.kind === 'internal-error').length, 0);
});
