// Redirection resource limits on a whole machine (issue 6 §4): a SOL console that stops reading
// while the host floods its serial port. The host is never stuck (every UART write returns at
// once: the serial relay keeps a bounded backlog), WS-Man is served meanwhile, the session is
// dropped at the kernel's per-connection cap (net-capped), the SOL slot is free again, the consent
// it held is released, and afterwards the host's shell still answers on its UART.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { textOf } from '../src/amt/wsman/testing.js';
import { instanceOf } from './support/amt-console.js';
import { bootSolPlatform, grantConsent, hostUart, SolConsole, type SolPlatform } from './support/sol-platform.js';
import { waitUntil } from './support/wait.js';

const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
/** Host output per UART write, and the most the flood writes before giving up on a cap. */
const CHUNK = 64 * 1024;
const MAX_FLOOD_BYTES = 1024 * 1024 * 1024;
let platform: SolPlatform;
const consoles: SolConsole[] = [];

before(async () => {
  platform = await bootSolPlatform(address);
});

after(async () => {
  for (const console of consoles) console.close();
  await (platform as SolPlatform | undefined)?.close();
});

test('a SOL console that stops reading while the host floods serial output is dropped at the cap; the host and WS-Man carry on', async () => {
  const { machine, admin } = platform;
  await grantConsent(platform);
  const greedy = await SolConsole.open(address);
  consoles.push(greedy);
  assert.deepEqual(await greedy.startSol(), [0, 0, 0]);
  greedy.pause();

  const uart = hostUart(machine);
  const capped = (): number => machine.engine.counters['net.net-capped'] ?? 0;
  const chunk = new Uint8Array(CHUNK).fill(0x41);
  let flooded = 0;
  let slowestWriteMs = 0;
  let meanwhile: Promise<string> | undefined;
  const deadline = Date.now() + 60_000;
  while (capped() === 0 && flooded < MAX_FLOOD_BYTES && Date.now() < deadline) {
    const t0 = performance.now();
    uart.transmit(chunk);
    slowestWriteMs = Math.max(slowestWriteMs, performance.now() - t0);
    flooded += chunk.length;
    if (flooded === 64 * CHUNK) meanwhile = admin.call('AMT', 'GeneralSettings', 'Get');
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.equal(capped(), 1, `the kernel capped the SOL connection (${flooded} bytes flooded, ${greedy.received} read)`);
  const event = machine.engine.trace.events('net').find((e) => e.kind === 'net-capped');
  assert.ok(event?.kind === 'net-capped' && event.port === 16994, JSON.stringify(event));
  assert.ok(slowestWriteMs < 1000, `a UART write never waits for the console (slowest ${slowestWriteMs.toFixed(1)} ms)`);
  assert.ok(meanwhile, 'a WS-Man request was sent during the flood');
  assert.equal(instanceOf(await meanwhile, 'AMT_GeneralSettings')['ElementName'], 'Intel(r) AMT: General Settings', 'WS-Man served during the flood');

  greedy.socket.resume(); // reads what was delivered, then sees the drop
  await waitUntil(() => greedy.closed, 'the greedy console closed');
  const deadlineConsent = Date.now() + 20_000;
  while (textOf(await admin.call('IPS', 'OptInService', 'Get'), 'g:OptInState') !== '0') {
    assert.ok(Date.now() < deadlineConsent, 'the consent released when the session was dropped');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  // The SOL slot is free: a new session is admitted (not busy) and, with a new consent, runs.
  await grantConsent(platform);
  const next = await SolConsole.open(address);
  consoles.push(next);
  assert.deepEqual(await next.startSol(), [0, 0, 0], 'a new SOL session after the drop');
  let seen = '';
  next.onData = (bytes) => (seen += Buffer.from(bytes).toString('latin1'));
  next.type('\recho still-alive\r');
  await waitUntil(() => /^(?:root@\S+ )?still-alive\r$/m.test(seen), 'the host shell answering over the new session (its echo, then its output)');
  next.close();
});
