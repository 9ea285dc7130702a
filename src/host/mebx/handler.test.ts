// mebxHandler in the host's POST (simulated host, manual clock, recording fake engine port for
// DRAM-init-done/End-of-POST) with the MEBX transport wired straight to an in-process MEBX server
// over a real in-memory NVRAM: keys from the serial port and the keyboard, the screen mirrored to
// serial as ANSI, End-of-POST only after Exit, and power loss ending the session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { directTransport, mebxRig } from '../../protocols/mebx/testing.js';
import { testHost } from '../testing.js';
import { mebxHandler } from './handler.js';
import { KEY } from './testing.js';

const GOOD = 'Vme-2024!ok';

/** Advances the clock in small steps until `ready` holds (at most 5 s of host time). */
async function until(clock: { advance(ms: number): Promise<void> }, ready: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !ready(); i++) await clock.advance(10);
  assert.ok(ready(), 'condition not reached');
}

test('in-process engine: Ctrl-P during POST runs MEBX on the framebuffer, driven from the serial port, then End-of-POST', async () => {
  const engine = await mebxRig();
  const { host, clock, engine: port } = testHost({ mebx: true, onMebx: mebxHandler(directTransport(engine.server)) });
  const serial: string[] = [];
  host.serial.onOutput((bytes) => serial.push(Buffer.from(bytes).toString('latin1')));
  host.powerOn();
  await until(clock, () => /\[ MEBx LOGIN \]/.test(host.screen.render()));
  assert.ok(serial.join('').includes('\x1b[1;1H'), 'ANSI cursor addressing on serial');
  assert.match(serial.join(''), /Intel\(R\) Management Engine BIOS Extension/);
  host.serial.inject(`admin${KEY.enter}`);
  await until(clock, () => /DEFAULT PASSWORD/.test(host.screen.render()));
  host.keyboard.press(`${GOOD}${KEY.enter}${GOOD}${KEY.enter}`);
  await until(clock, () => /\[ MAIN MENU \]/.test(host.screen.render()));
  assert.ok(!port.kinds().includes('end-of-post'));
  host.serial.inject(KEY.escape);
  await until(clock, () => /exit MEBx\?/.test(host.screen.render()));
  host.serial.inject('y');
  await clock.runUntilIdle();
  assert.ok(port.kinds().includes('end-of-post'));
  assert.equal(host.state().os, 'running');
  assert.doesNotMatch(host.screen.render(), /MEBx/);
});

test('in-process engine: powering off during MEBX ends the session and the next boot does not enter it', async () => {
  const engine = await mebxRig();
  let sessions = 0;
  const handler = mebxHandler(directTransport(engine.server));
  const { host, clock } = testHost({ mebx: true, onMebx: (session) => (sessions++, handler(session)) });
  host.powerOn();
  await until(clock, () => /MEBx LOGIN/.test(host.screen.render()));
  host.requestPowerState(8);
  await clock.runUntilIdle();
  host.powerOn();
  await clock.runUntilIdle();
  assert.equal(sessions, 1);
  assert.equal(host.state().os, 'running');
});
