// The engine seam's connection events: a granted client's connects and disconnects reach the owner
// in order with its messages — a message written right after connecting waits until a slow
// 'connected' event has been handled, a reconnect's message comes after 'disconnected' and the new
// 'connected', firmware-initiated messages reach a new connection only once its 'connected' was
// handled (an old session's late message never reaches a new host), and a failing event handler
// blocks nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { registerGrantedClients, type HostConnectionChange } from './engine-seam.js';
import { HeciPlatform } from './platform.js';

const UUID = '0b6f5b5c-7c3d-4f2e-9a41-1d3c5e7f9a0b';
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const bytes = (value: string): Uint8Array => new TextEncoder().encode(value);
const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function rig(onEvent: (event: HostConnectionChange, log: string[]) => Promise<void>) {
  const log: string[] = [];
  const heci = new HeciPlatform();
  registerGrantedClients(heci.bus, [{ uuid: UUID, name: 'seam', maxMessageBytes: 256 }], (_client, message) => {
    log.push(`message ${text(message)}`);
    return bytes(`re ${text(message)}`);
  }, (client, event) => {
    assert.equal(client, UUID);
    return onEvent(event, log);
  });
  await heci.start();
  return { heci, log };
}

test('connection events and messages reach the owner in bus order, even when the events are slow', async () => {
  const { heci, log } = await rig(async (event, log) => {
    await tick(30);
    log.push(event);
  });
  const first = heci.driver.open();
  await first.connect(UUID);
  first.write(bytes('one'));
  assert.equal(text(await first.read(2000)), 're one');
  first.close();
  const second = heci.driver.open();
  await second.connect(UUID);
  second.write(bytes('two'));
  assert.equal(text(await second.read(2000)), 're two');
  second.close();
  await tick(100);
  assert.deepEqual(log, ['connected', 'message one', 'disconnected', 'connected', 'message two', 'disconnected']);
  heci.engineDown();
});

test('a failing connection event blocks neither the connection nor its messages', async () => {
  const { heci, log } = await rig((event) => Promise.reject(new Error(`${event} refused`)));
  const file = heci.driver.open();
  await file.connect(UUID);
  file.write(bytes('still'));
  assert.equal(text(await file.read(2000)), 're still');
  assert.deepEqual(log, ['message still']);
  file.close();
  heci.engineDown();
});

test('firmware-initiated messages are held from a new connection until its owner handled the connection', async () => {
  let release: () => void = () => undefined;
  const { heci, log } = await rig((event, log) => new Promise((resolve) => {
    release = () => {
      log.push(event);
      resolve();
    };
  }));
  const file = heci.driver.open();
  await file.connect(UUID);
  assert.equal(heci.bus.sendToClient(UUID, bytes('late')), 0, 'the owner has not heard of this connection yet');
  release();
  await tick(10);
  assert.deepEqual(log, ['connected']);
  assert.equal(heci.bus.sendToClient(UUID, bytes('hello')), 1);
  assert.equal(text(await file.read(2000)), 'hello');
  file.close();
  heci.engineDown();
});
