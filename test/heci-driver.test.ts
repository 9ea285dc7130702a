// The host driver model over the real link and bus (in process): every driver errno the issue
// names, credits and queueing, fragmentation across small circular buffers, notifications, resets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CircularBuffer, encodeFragment, HeciPlatform, MeiErrnoError, type HeciPlatformOptions } from '../src/heci/index.js';
import { ECHO_UUID, echoHandler, FAULTY_UUID, faultyHandler, settle, SLOW_UUID, slowHandler } from './support/heci-harness.js';

async function platform(options: HeciPlatformOptions = {}, echoMax = 1024): Promise<HeciPlatform> {
  const heci = new HeciPlatform(options);
  heci.bus.registerClient({ uuid: ECHO_UUID, name: 'echo', protocolVersion: 4, maxConnections: 2, maxMessageBytes: echoMax, handler: echoHandler });
  heci.bus.registerClient({ uuid: SLOW_UUID, name: 'slow', protocolVersion: 1, maxConnections: 1, maxMessageBytes: 64, handler: slowHandler(15) });
  heci.bus.registerClient({ uuid: FAULTY_UUID, name: 'faulty', protocolVersion: 1, maxConnections: 1, maxMessageBytes: 64, handler: faultyHandler });
  await heci.start();
  return heci;
}

const errnoOf = async (operation: Promise<unknown> | (() => unknown)): Promise<string> => {
  try {
    await (typeof operation === 'function' ? operation() : operation);
  } catch (error) {
    if (error instanceof MeiErrnoError) return error.errno;
    throw error;
  }
  return 'no error';
};

test('start-up enumerates every client with its properties', async () => {
  const heci = await platform();
  assert.deepEqual(heci.driver.negotiated, { major: 2, minor: 2 });
  assert.deepEqual(heci.driver.clients().map((c) => [c.uuid, c.meAddress, c.protocolVersion, c.maxConnections, c.maxMessageLength]), [
    [ECHO_UUID, 1, 4, 2, 1024], [SLOW_UUID, 2, 1, 1, 64], [FAULTY_UUID, 3, 1, 1, 64],
  ]);
});

test('connect: result, ENOTTY unknown, EBUSY twice on one file, EBUSY at the client limit, EBADF closed', async () => {
  const heci = await platform();
  const first = heci.driver.open();
  assert.deepEqual(await first.connect(ECHO_UUID.toUpperCase()), { maxMessageLength: 1024, protocolVersion: 4 });
  assert.equal(await errnoOf(first.connect(ECHO_UUID)), 'EBUSY');
  assert.equal(await errnoOf(heci.driver.open().connect('00000000-0000-4000-8000-00000000dead')), 'ENOTTY');
  await heci.driver.open().connect(SLOW_UUID);
  assert.equal(await errnoOf(heci.driver.open().connect(SLOW_UUID)), 'EBUSY');
  const closed = heci.driver.open();
  closed.close();
  assert.equal(await errnoOf(closed.connect(ECHO_UUID)), 'EBADF');
});

test('write: EFBIG over the maximum, 0 for empty, ENODEV when not connected; read: EAGAIN, ETIMEDOUT', async () => {
  const heci = await platform();
  const file = heci.driver.open();
  assert.equal(await errnoOf(() => file.write(Uint8Array.of(1))), 'ENODEV');
  await file.connect(ECHO_UUID);
  assert.equal(await errnoOf(() => file.write(new Uint8Array(1025))), 'EFBIG');
  assert.equal(file.write(new Uint8Array(0)), 0);
  assert.equal(await errnoOf(file.read(0)), 'EAGAIN');
  assert.equal(await errnoOf(file.read(20)), 'ETIMEDOUT');
  assert.equal(file.write(new Uint8Array(1024).fill(3)), 1024);
  assert.equal((await file.read(1000)).length, 1024);
});

test('write without credit: queued up to the transmit limit, then EAGAIN; the queue drains in order', async () => {
  const heci = await platform({ driver: { transmitQueueLimit: 2 } });
  const file = heci.driver.open();
  await file.connect(SLOW_UUID);
  file.write(Uint8Array.of(1)); // takes the credit
  await settle();
  file.write(Uint8Array.of(2)); // queued (the slow client holds the credit)
  file.write(Uint8Array.of(3));
  assert.equal(await errnoOf(() => file.write(Uint8Array.of(4))), 'EAGAIN');
  const replies = [await file.read(1000), await file.read(1000), await file.read(1000)].map((reply) => reply[0]);
  assert.deepEqual(replies, [1, 2, 3]);
  assert.equal(heci.bus.counters.writeWithoutCredit, 0, 'the driver never writes without a credit');
});

test('EMSGSIZE: a message from the engine over the client maximum is discarded and read as EMSGSIZE', async () => {
  const heci = await platform({}, 32);
  const file = heci.driver.open();
  await file.connect(ECHO_UUID);
  heci.driver.receive(encodeFragment(1, file.hostAddress, new Uint8Array(20), false));
  heci.driver.receive(encodeFragment(1, file.hostAddress, new Uint8Array(20), true));
  assert.equal(await errnoOf(file.read(100)), 'EMSGSIZE');
  file.write(Uint8Array.of(7));
  assert.deepEqual([...(await file.read(1000))], [7], 'the connection keeps working');
});

test('engine down: ENODEV for waiting reads, connects, reads and writes; restart serves again', async () => {
  const heci = await platform();
  const file = heci.driver.open();
  await file.connect(ECHO_UUID);
  const waiting = file.read(5000);
  heci.engineDown();
  assert.equal(await errnoOf(waiting), 'ENODEV');
  assert.equal(await errnoOf(() => file.write(Uint8Array.of(1))), 'ENODEV');
  assert.equal(await errnoOf(heci.driver.open().connect(ECHO_UUID)), 'ENODEV');
  await heci.restart();
  assert.equal(heci.bus.connections().length, 0);
  await file.connect(ECHO_UUID);
  file.write(Uint8Array.of(8));
  assert.deepEqual([...(await file.read(1000))], [8]);
});

test('a client that faults: the engine disconnects that file (ENODEV), other files are served', async () => {
  const heci = await platform();
  const faulty = heci.driver.open();
  const echo = heci.driver.open();
  await faulty.connect(FAULTY_UUID);
  await echo.connect(ECHO_UUID);
  faulty.write(Uint8Array.of(1));
  assert.equal(await errnoOf(faulty.read(1000)), 'ENODEV');
  echo.write(Uint8Array.of(2));
  assert.deepEqual([...(await echo.read(1000))], [2]);
  assert.equal(faulty.state, 'disconnected');
  await faulty.connect(FAULTY_UUID); // a disconnected file may connect again, as in Linux
});

test('close disconnects the client and frees the connection slot', async () => {
  const heci = await platform();
  const file = heci.driver.open();
  await file.connect(SLOW_UUID);
  file.close();
  await settle();
  assert.deepEqual(heci.bus.connections(), []);
  await heci.driver.open().connect(SLOW_UUID);
});

test('fragmentation across a 16-dword circular buffer (60-byte fragments), with pointers wrapping', async () => {
  const heci = await platform({ bufferDepth: 16 });
  assert.equal(heci.link.maxFragmentBytes, 60);
  const file = heci.driver.open();
  await file.connect(ECHO_UUID);
  for (let round = 0; round < 20; round++) {
    const message = Uint8Array.from({ length: 1000 - round }, (_, index) => (index * 7 + round) & 0xff);
    file.write(message);
    assert.deepEqual(await file.read(1000), message);
  }
  assert.equal(heci.link.dropped, 0);
});

test('notifications: set, event, get (0 ms answers at once), EOPNOTSUPP below HBM 2.0', async () => {
  const heci = await platform();
  const file = heci.driver.open();
  await file.connect(ECHO_UUID);
  await file.setNotify(true);
  assert.equal(await file.waitNotification(0), false);
  const waiting = file.waitNotification(1000);
  assert.equal(heci.bus.notifyClient(ECHO_UUID), 1);
  assert.equal(await waiting, true);
  await file.setNotify(false);
  await file.setNotify(false);
  const old = await platform({ driver: { version: { major: 1, minor: 1 } } });
  const oldFile = old.driver.open();
  await oldFile.connect(ECHO_UUID);
  assert.equal(await errnoOf(oldFile.setNotify(true)), 'EOPNOTSUPP');
});

test('circular buffer: slot arithmetic, refusal when full, corrupt header resets', () => {
  const buffer = new CircularBuffer(16);
  assert.equal(buffer.maxFragmentBytes, 60);
  assert.equal(new CircularBuffer().maxFragmentBytes, 508);
  assert.ok(buffer.write(encodeFragment(1, 1, new Uint8Array(9), true))); // 1 + 3 slots
  assert.ok(buffer.write(encodeFragment(1, 1, new Uint8Array(32), true))); // 1 + 8 slots
  assert.equal(buffer.filledSlots, 13);
  assert.equal(buffer.write(encodeFragment(1, 1, new Uint8Array(13), true)), false, '5 slots do not fit in 3');
  const read = buffer.read();
  assert.equal(read.kind === 'fragment' && read.frame.length, 13);
  assert.deepEqual(buffer.pointers, { depth: 16, writePointer: 13, readPointer: 4 });
  assert.equal(buffer.read().kind, 'fragment');
  assert.throws(() => buffer.write(encodeFragment(1, 1, new Uint8Array(61), true)), RangeError);
  assert.throws(() => new CircularBuffer(8), RangeError);
  assert.throws(() => new CircularBuffer(24), RangeError);
  for (let round = 0; round < 100; round++) {
    buffer.write(encodeFragment(1, 1, new Uint8Array(3), true));
    assert.equal(buffer.read().kind, 'fragment');
  }
  assert.equal(buffer.filledSlots, 0);
  const lying = encodeFragment(1, 1, new Uint8Array(40), true).subarray(0, 8); // header says 40 bytes, 4 follow
  assert.ok(buffer.write(lying));
  assert.equal(buffer.read().kind, 'corrupt');
  assert.equal(buffer.filledSlots, 0, 'reset after corruption');
});
