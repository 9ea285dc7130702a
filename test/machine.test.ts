// A whole virtual PC: engine (real app workers) + HECI + host in real time. The BIOS reserves UMA at
// DRAM-init-done, sends End-of-POST to the engine over HECI, and boots the simulated OS; a host program
// reaches the engine only through the MEI device socket.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { RealTimeClock } from '../src/host/index.js';
import { MeiDevice } from '../src/heci/index.js';
import { Machine, MKHI_CLIENT_UUID } from '../src/machine/index.js';
import { MkhiHeader, GetFwVersionResponse, MKHI_COMMAND } from '../src/protocols/mkhi/index.js';
import { tempDir } from './support/cli.js';
import { waitUntil } from './support/wait.js';

const { dir, cleanup } = tempDir('vme-machine-');
const events: string[] = [];
let machine: Machine;

before(async () => {
  const platform = testPlatform({ version: { major: 16, minor: 1, hotfix: 27, build: 2225 } });
  machine = await Machine.create({
    flash: new MemoryBacking(platform.image), fuses: platform.fuses, clock: new RealTimeClock(),
    meiSocketPath: join(dir, 'mei0.sock'), engine: { counter: new MemoryCounter() },
    host: { bios: { stepMilliseconds: 2, mebxWindowMilliseconds: 5 } },
    onEvent: (kind, detail) => events.push(`${kind}: ${detail}`),
  });
});
after(async () => {
  await machine.shutdown();
  cleanup();
});


test('power on: DRAM-init-done reserves UMA, End-of-POST goes over HECI, the OS boots', async () => {
  assert.equal(machine.engine.state, 'operational');
  machine.host.powerOn();
  await waitUntil(() => machine.host.state().phase === 'os', 'the OS to boot');
  const state = machine.host.state();
  assert.equal(state.dramInitDoneSent, true);
  assert.equal(state.endOfPostSent, true);
  assert.ok(events.some((e) => e.startsWith('uma-reserved')), events.join('\n'));
  assert.ok(machine.engine.parts.devices?.uma.region, 'the engine has UMA now');
  assert.equal(machine.engine.endOfPost, true, 'the engine recorded End-of-POST from the BIOS');
});

test('a host program talks MKHI to the engine only through the MEI device socket', async () => {
  const mei = await MeiDevice.open(join(dir, 'mei0.sock'));
  try {
    const connected = await mei.connect(MKHI_CLIENT_UUID);
    assert.ok(connected.maxMessageLength > 0);
    const request = MkhiHeader.serialize({ groupId: MKHI_COMMAND.getFwVersion.group, command: MKHI_COMMAND.getFwVersion.command, reserved: 0, result: 0 });
    const reply = await mei.request(request);
    const version = GetFwVersionResponse.parse(reply, MkhiHeader.size);
    assert.deepEqual([version.codeMajor, version.codeMinor, version.codeHotfix, version.codeBuild], [16, 1, 27, 2225]);
  } finally {
    await mei.close();
  }
});

test('the host still answers power requests after boot, and the engine keeps serving', async () => {
  machine.host.requestPowerState(8, 'management'); // soft off (S5)
  await waitUntil(() => machine.host.state().powerState === 'S5', 'S5');
  assert.equal(machine.engine.state, 'operational');
  assert.equal(machine.engine.endOfPost, false, 'End-of-POST is per boot');
  const mei = await MeiDevice.open(join(dir, 'mei0.sock'));
  try {
    await mei.connect(MKHI_CLIENT_UUID);
    const reply = await mei.request(MkhiHeader.serialize({ groupId: 0xff, command: 0x02, reserved: 0, result: 0 }));
    assert.equal(reply[1], 0x82);
  } finally {
    await mei.close();
  }
});
