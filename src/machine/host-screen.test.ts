// KVM's engine data path without a worker: the `host:framebuffer` snapshot and key syscalls served
// by the kernel from the machine's host screen, refused on other host lines, and an RFB session
// fed from them through engineScreenSource; the `pointer` syscall into the SimulatedHost's pointer model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { engineScreenSource, ScreenFeed } from '../amt/kvm/index.js';
import { TextFramebuffer } from '../host/framebuffer.js';
import { ManualClock } from '../host/clock.js';
import { Keyboard } from '../host/keyboard.js';
import { clampPointer, PointerDevice, RECENT_POINTER_EVENTS, type PointerEvent } from '../host/pointer.js';
import { SimulatedHost } from '../host/simulated-host.js';
import { mintCapabilities } from '../kernel/capabilities.js';
import { serveSyscall, type AppServices, type HostPorts } from '../kernel/services.js';
import type { AppGrants } from '../me/app-manifest.js';
import { RfbServer } from '../protocols/rfb/server.js';
import { decodeUpdate, handshake, sent, updateRequest } from '../protocols/rfb/testing.js';
import { hostScreenSnapshot } from './host-screen.js';

const none: AppGrants = { heciClients: [], networkListeners: [], nvram: null, dmaWindows: [], cryptoKeys: [], hostControl: [], calls: [] };

function rig() {
  const screen = new TextFramebuffer();
  const keyboard = new Keyboard();
  const ports = { hostControl: () => true, heciNotify: () => undefined, hostScreen: (_app: string, since: number) => hostScreenSnapshot(screen, since), hostKeys: (_app: string, keys: Uint8Array) => keyboard.press(keys) } satisfies HostPorts;
  const services = { app: 'amt', ports } as unknown as AppServices;
  const capabilities = mintCapabilities('amt', { ...none, hostControl: ['framebuffer', 'power'] });
  const invoke = (id: string, operation: string, args: unknown): Promise<unknown> => serveSyscall(capabilities.lookup(id) ?? assert.fail(`no ${id}`), operation, args, services);
  return { screen, keyboard, invoke };
}

test('host:framebuffer snapshot: cells little-endian with the cursor, nothing while unchanged; key types on the keyboard', async () => {
  const { screen, keyboard, invoke } = rig();
  screen.putText(0, 0, 'A', 0x1f);
  screen.setCursor(3, 4);
  const first = (await invoke('host:framebuffer', 'snapshot', { since: -1 })) as { changed: boolean; changeCount: number; cells: Uint8Array; cursorRow: number; cursorColumn: number; columns: number };
  assert.equal(first.changed, true);
  assert.deepEqual([first.cells.length, first.cells[0], first.cells[1], first.cursorRow, first.cursorColumn, first.columns], [4000, 0x41, 0x1f, 3, 4, 80]);
  const again = (await invoke('host:framebuffer', 'snapshot', { since: first.changeCount })) as { changed: boolean; cells: Uint8Array };
  assert.deepEqual([again.changed, again.cells.length], [false, 0]);
  assert.deepEqual(await invoke('host:framebuffer', 'key', { keys: Buffer.from('\x10') }), { accepted: 1 });
  assert.deepEqual([...keyboard.take()], [0x10]);
});

test('snapshot and key are host:framebuffer operations only; oversized keys are refused', async () => {
  const { invoke } = rig();
  await assert.rejects(invoke('host:power', 'snapshot', { since: -1 }), { code: 'VME_ERR_CAPABILITY_DENIED' });
  await assert.rejects(invoke('host:power', 'key', { keys: Uint8Array.of(1) }), { code: 'VME_ERR_CAPABILITY_DENIED' });
  await assert.rejects(invoke('host:framebuffer', 'key', { keys: new Uint8Array(65) }), { code: 'VME_ERR_IPC_INVALID' });
});

test('an RFB session fed through the engine source shows the screen and its changes', async () => {
  const { screen, invoke } = rig();
  const feed = new ScreenFeed(engineScreenSource(invoke));
  screen.putText(1, 1, 'engine', 0x0f);
  await feed.refresh();
  const server = new RfbServer({ framebuffer: feed.renderer });
  handshake(server);
  const picture = { width: 640, values: new Uint32Array(640 * 400) };
  decodeUpdate(sent(server.receive(updateRequest(false, 0, 0, 640, 400))), picture, 4);
  assert.ok(picture.values.subarray(16 * 640, 32 * 640).includes(0xffffff));
  assert.deepEqual(server.receive(updateRequest(true, 0, 0, 640, 400)), []);
  const updates: Uint8Array[] = [];
  const unsubscribe = feed.subscribe((rects) => updates.push(sent(server.invalidate(rects))));
  screen.putText(5, 5, 'x');
  await feed.refresh();
  unsubscribe();
  assert.deepEqual(decodeUpdate(Buffer.from(updates[0] ?? []), picture, 4).map((r) => [r.x, r.y, r.width, r.height]), [[40, 80, 8, 16]]);
});

test('host:framebuffer pointer reaches the SimulatedHost pointer model (through engineScreenSource too); refused on other lines and outside 640x400', async () => {
  const host = new SimulatedHost({ clock: new ManualClock() });
  const ports = { hostControl: () => true, heciNotify: () => undefined, hostPointer: (_app: string, event: PointerEvent) => host.pointer(event) } satisfies HostPorts;
  const services = { app: 'amt', ports } as unknown as AppServices;
  const capabilities = mintCapabilities('amt', { ...none, hostControl: ['framebuffer', 'power'] });
  const invoke = (id: string, operation: string, args: unknown): Promise<unknown> => serveSyscall(capabilities.lookup(id) ?? assert.fail(`no ${id}`), operation, args, services);
  assert.deepEqual(await invoke('host:framebuffer', 'pointer', { x: 100, y: 50, buttons: 1 }), { accepted: true });
  await engineScreenSource(invoke).pointer?.({ x: 639, y: 399, buttons: 0 });
  const { x, y, buttons, events, presses, recent } = host.snapshot().pointer ?? assert.fail('no pointer in the snapshot');
  assert.deepEqual({ x, y, buttons, events, presses, recent }, { x: 639, y: 399, buttons: 0, events: 2, presses: 1, recent: [{ x: 100, y: 50, buttons: 1 }, { x: 639, y: 399, buttons: 0 }] });
  await assert.rejects(invoke('host:power', 'pointer', { x: 1, y: 1, buttons: 0 }), { code: 'VME_ERR_CAPABILITY_DENIED' });
  for (const args of [{ x: 640, y: 0, buttons: 0 }, { x: 0, y: 400, buttons: 0 }, { x: 0, y: 0, buttons: 256 }, { x: -1, y: 0, buttons: 0 }, { x: 1.5, y: 0, buttons: 0 }, { x: 0, y: 0 }]) {
    await assert.rejects(invoke('host:framebuffer', 'pointer', args), { code: 'VME_ERR_IPC_INVALID' }, JSON.stringify(args));
  }
  assert.equal(host.pointerDevice.state.events, 2);
  const bare = { hostControl: () => true, heciNotify: () => undefined } satisfies HostPorts;
  const refused = serveSyscall(capabilities.lookup('host:framebuffer') ?? assert.fail('no line'), 'pointer', { x: 0, y: 0, buttons: 0 }, { app: 'amt', ports: bare } as unknown as AppServices);
  assert.deepEqual(await refused, { accepted: false }, 'no host pointer: not accepted');
});

test('the pointer model clamps, counts presses per button and keeps a short ring; power loss releases the buttons', () => {
  const device = new PointerDevice();
  device.move({ x: -5, y: 9999, buttons: 0b11 });
  device.move({ x: 3.7, y: 2, buttons: 0b110 });
  for (let i = 0; i < RECENT_POINTER_EVENTS + 4; i++) device.move({ x: i, y: i, buttons: 0 });
  const state = device.state;
  assert.deepEqual([state.presses, state.events, state.recent.length, state.recent[0]], [3, RECENT_POINTER_EVENTS + 6, RECENT_POINTER_EVENTS, { x: 4, y: 4, buttons: 0 }]);
  assert.deepEqual(clampPointer({ x: -5, y: 9999, buttons: 0x1ff }), { x: 0, y: 399, buttons: 0xff });
  device.move({ x: 1, y: 1, buttons: 1 });
  device.reset();
  assert.deepEqual([device.state.buttons, device.state.x], [0, 1]);
});
