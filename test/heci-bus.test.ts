// The firmware-side HECI bus as a state machine, frame by frame: HBM start-up, enumeration,
// properties, connect refusals, credits, reassembly, every host error case, faults and fuzzing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFragment, encodeHbm, HBM_MESSAGES, packMeiHeader, type HbmFields } from '../src/heci/index.js';
import { MEI_HEADER } from '../src/heci/header.js';
import { SeededRandom } from './support/random.js';
import { BusHarness, ECHO_UUID, echoHandler, FAULTY_UUID, faultyHandler, names, settle, SLOW_UUID, slowHandler, type Output } from './support/heci-harness.js';

function withClients(options: ConstructorParameters<typeof BusHarness>[0] = {}): BusHarness {
  const harness = new BusHarness(options);
  harness.bus.registerClient({ uuid: ECHO_UUID, name: 'echo', protocolVersion: 1, maxConnections: 2, maxMessageBytes: 1024, handler: echoHandler });
  harness.bus.registerClient({ uuid: SLOW_UUID, name: 'slow', protocolVersion: 2, maxConnections: 1, maxMessageBytes: 64, handler: slowHandler(5) });
  harness.bus.registerClient({ uuid: FAULTY_UUID, name: 'faulty', protocolVersion: 1, maxConnections: 1, maxMessageBytes: 64, handler: faultyHandler });
  harness.start();
  return harness;
}

const fieldsOf = <T>(output: Output | undefined): T => (output as unknown as { fields: T }).fields;
const statusOf = (outputs: Output[]): number => fieldsOf<{ status: number }>(outputs[0]).status;

test('HOST_START: the engine accepts 2.2 and lower, refuses 3.0 and 0.x, and answers with its maximum', () => {
  const harness = new BusHarness();
  for (const [major, minor, supported] of [[2, 2, 1], [1, 0, 1], [3, 0, 0], [2, 3, 0], [0, 9, 0]] as const) {
    const [response] = harness.hbm('hostStartRequest', { majorVersion: major, minorVersion: minor });
    assert.deepEqual(fieldsOf<HbmFields<'hostStartResponse'>>(response), { command: 0x81, hostVersionSupported: supported, minorVersion: 2, majorVersion: 2 }, `${major}.${minor}`);
    assert.equal(harness.bus.negotiated === undefined, supported === 0);
  }
});

test('before HOST_START every other HBM request is ignored and counted', () => {
  const harness = new BusHarness();
  assert.deepEqual(harness.hbm('hostEnumerationRequest', {}), []);
  assert.deepEqual(harness.connect(1, 1), []);
  assert.equal(harness.bus.counters.hbmBeforeStart, 2);
});

test('HOST_ENUM bitmap and HOST_CLIENT_PROPERTIES per address (unknown address: status 1)', () => {
  const harness = withClients();
  const [enumeration] = harness.hbm('hostEnumerationRequest', { flags: 0 });
  assert.equal(Buffer.from(fieldsOf<HbmFields<'hostEnumerationResponse'>>(enumeration).validAddresses).toString('hex'), '0e' + '00'.repeat(31));
  const [slow] = harness.hbm('clientPropertiesRequest', { meAddress: 2 });
  assert.deepEqual(fieldsOf(slow), {
    command: 0x85, meAddress: 2, status: 0, reserved: 0, protocolName: SLOW_UUID, protocolVersion: 2, maxConnections: 1, fixedAddress: 0, flags: 0, maxMessageLength: 64,
  });
  assert.equal(statusOf(harness.hbm('clientPropertiesRequest', { meAddress: 9 })), 1);
});

test('CLIENT_CONNECT: success grants the first credit; unknown, duplicate, over the limit and host_addr 0 are refused', () => {
  const harness = withClients();
  const first = harness.connect(2, 5);
  assert.deepEqual(names(first), ['clientConnectResponse', 'flowControl']);
  assert.equal(statusOf(first), 0);
  assert.deepEqual(fieldsOf<HbmFields<'flowControl'>>(first[1]).hostAddress, 5);
  assert.equal(statusOf(harness.connect(9, 6)), 1, 'unknown me_addr: not found');
  assert.equal(statusOf(harness.connect(2, 5)), 2, 'same pair again: already started');
  assert.equal(statusOf(harness.connect(2, 6)), 3, 'beyond max connections: out of resources');
  assert.equal(statusOf(harness.connect(1, 0)), 4, 'host_addr 0: invalid');
  assert.equal(harness.bus.counters.connectRefused, 4);
  assert.equal(harness.bus.connections().length, 1);
});

test('a message in fragments is reassembled and echoed back in fragments after the host grants a credit', async () => {
  const harness = withClients({ fragmentBytes: 60 });
  harness.connect(1, 3);
  const message = Uint8Array.from({ length: 150 }, (_, index) => index);
  assert.deepEqual(harness.data(1, 3, message.subarray(0, 60), false), []);
  assert.deepEqual(harness.data(1, 3, message.subarray(60, 120), false), []);
  const served = harness.data(1, 3, message.subarray(120), true);
  await settle();
  assert.deepEqual(names([...served, ...harness.take()]), ['flowControl'], 'served: the next credit, but no reply without a host credit');
  const out = harness.hbm('flowControl', { meAddress: 1, hostAddress: 3 });
  assert.deepEqual(out.map((o) => (o.name === 'data' ? [o.payload.length, o.complete] : o.name)), [[60, false], [60, false], [30, true]]);
  assert.deepEqual([...(out.flatMap((o) => (o.name === 'data' ? [...o.payload] : [])))], [...message]);
  assert.equal(harness.bus.counters.messagesDelivered, 1);
});

test('write without credit: the engine disconnects that connection and counts it', async () => {
  const harness = withClients();
  harness.connect(2, 3);
  harness.data(2, 3, Uint8Array.of(1)); // uses the credit; the slow client holds the next one
  const out = harness.data(2, 3, Uint8Array.of(2));
  assert.deepEqual(names(out), ['clientDisconnectRequest']);
  assert.equal(harness.bus.counters.writeWithoutCredit, 1);
  assert.equal(harness.bus.connections().length, 0);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.deepEqual(harness.take(), [], 'the slow reply to a closed connection goes nowhere');
  assert.deepEqual(harness.hbm('clientDisconnectResponse', { meAddress: 2, hostAddress: 3, status: 0 }), []);
});

test('over the maximum message length (across fragments): disconnected and counted; others keep working', () => {
  const harness = withClients();
  harness.connect(2, 3);
  harness.connect(1, 4);
  harness.data(2, 3, new Uint8Array(40), false);
  assert.deepEqual(names(harness.data(2, 3, new Uint8Array(40), true)), ['clientDisconnectRequest']);
  assert.equal(harness.bus.counters.overLength, 1);
  harness.hbm('flowControl', { meAddress: 1, hostAddress: 4 });
  const out = harness.data(1, 4, Uint8Array.of(9, 9));
  assert.deepEqual(out.filter((o) => o.name === 'data').map((o) => o.name === 'data' && [...o.payload]), [[9, 9]]);
});

test('malformed frames: truncated, length mismatch, oversized fragment, dma_ring, reserved bits, unknown connection', () => {
  const harness = withClients({ fragmentBytes: 16 });
  harness.connect(1, 3);
  const rawHeader = (fields: Parameters<typeof packMeiHeader>[0]): Uint8Array => MEI_HEADER.serialize({ word: packMeiHeader(fields) });
  harness.bus.receive(Uint8Array.of(1, 3));
  harness.bus.receive(Uint8Array.of(...rawHeader({ meAddress: 1, hostAddress: 3, length: 8, messageComplete: true }), 1, 2));
  assert.equal(harness.bus.counters.malformedFrames, 2);
  assert.deepEqual(names(harness.take()), [], 'a frame whose length lies cannot be attributed safely');
  assert.deepEqual(names(harness.data(1, 3, new Uint8Array(17))), ['clientDisconnectRequest'], 'fragment over the buffer size');
  harness.connect(1, 4);
  assert.deepEqual(names(harness.take()), []);
  harness.bus.receive(Uint8Array.of(...rawHeader({ meAddress: 1, hostAddress: 4, length: 1, dmaRing: true, messageComplete: true }), 0));
  assert.deepEqual(names(harness.take()), ['clientDisconnectRequest'], 'dma_ring is not supported');
  assert.deepEqual(harness.data(7, 7, Uint8Array.of(1)), []);
  assert.equal(harness.bus.counters.unknownConnection, 1);
  assert.equal(harness.bus.counters.malformedFrames, 4);
});

test('malformed HBM: unknown command, wrong length, fragmented HBM, host sending engine-only messages', () => {
  const harness = withClients();
  harness.bus.receive(encodeFragment(0, 0, Uint8Array.of(0x7f, 0, 0, 0), true));
  harness.bus.receive(encodeFragment(0, 0, Uint8Array.of(0x06, 1), true));
  harness.bus.receive(encodeFragment(0, 0, Uint8Array.of(0x06, 1, 1, 0, 0), true));
  harness.bus.receive(encodeFragment(0, 0, encodeHbm('clientConnectRequest', { meAddress: 1, hostAddress: 1 }), false));
  assert.equal(harness.bus.counters.malformedHbm, 4);
  harness.hbm('notification', { meAddress: 1, hostAddress: 1 });
  harness.hbm('hostStartResponse', {});
  assert.equal(harness.bus.counters.unexpectedHbm, 2);
  assert.deepEqual(harness.take(), []);
});

test('CLIENT_DISCONNECT from the host frees the connection; a second one answers "not found"', () => {
  const harness = withClients();
  harness.connect(1, 3);
  assert.equal(statusOf(harness.hbm('clientDisconnectRequest', { meAddress: 1, hostAddress: 3 })), 0);
  assert.equal(statusOf(harness.hbm('clientDisconnectRequest', { meAddress: 1, hostAddress: 3 })), 1);
  assert.equal(statusOf(harness.connect(1, 3)), 0, 'the slot is free again');
});

test('a faulting client: its connection is disconnected by the engine, the bus keeps serving', async () => {
  const harness = withClients();
  harness.connect(3, 3);
  harness.connect(1, 4);
  const faulted = harness.data(3, 3, Uint8Array.of(1));
  await settle();
  assert.deepEqual(names([...faulted, ...harness.take()]), ['clientDisconnectRequest']);
  assert.equal(harness.bus.counters.clientFaults, 1);
  harness.hbm('flowControl', { meAddress: 1, hostAddress: 4 });
  assert.ok(harness.data(1, 4, Uint8Array.of(5)).some((o) => o.name === 'data'));
});

test('flow control: banked host credits are bounded; the outgoing queue refuses when full', () => {
  const harness = withClients({ outgoingLimit: 2 });
  let connection: import('../src/heci/index.js').HeciConnection | undefined;
  harness.bus.registerClient({ uuid: 'e0e0e0e0-0009-4000-8000-000000000009', name: 'pusher', protocolVersion: 1, maxConnections: 1, maxMessageBytes: 8, handler: { onMessage: () => undefined, onConnect: (c) => { connection = c; } } });
  harness.hbm('hostEnumerationRequest', {});
  harness.connect(4, 3);
  assert.ok(connection);
  connection.send(Uint8Array.of(1));
  connection.send(Uint8Array.of(2));
  assert.throws(() => connection?.send(Uint8Array.of(3)), /queue of 2 messages is full/);
  assert.throws(() => connection?.send(new Uint8Array(9)), /exceeds the client's maximum 8/);
  for (let credit = 0; credit < 12; credit++) harness.hbm('flowControl', { meAddress: 4, hostAddress: 3 });
  assert.equal(harness.bus.counters.creditOverflow, 2, '8 banked (2 spent) then refused');
});

test('notifications: start, already started, event only while enabled, stop, not started', () => {
  const harness = withClients();
  harness.connect(1, 3);
  const status = (start: number): number => fieldsOf<{ status: number }>(harness.hbm('notifyRequest', { meAddress: 1, hostAddress: 3, start })[0]).status;
  assert.equal(status(1), 0);
  assert.equal(status(1), 6);
  assert.equal(harness.bus.notifyClient(ECHO_UUID), 1);
  assert.deepEqual(names(harness.take()), ['notification']);
  assert.equal(status(0), 0);
  assert.equal(status(0), 7);
  assert.equal(harness.bus.notifyClient(ECHO_UUID), 0);
  assert.equal(fieldsOf<{ status: number }>(harness.hbm('notifyRequest', { meAddress: 1, hostAddress: 9, start: 1 })[0]).status, 1);
});

test('firmware-initiated messages (sendToClient) go out on the client\'s open connection when the host grants a credit', () => {
  const harness = withClients();
  assert.equal(harness.bus.sendToClient(ECHO_UUID, Uint8Array.of(7, 8)), 0, 'no connection yet: nothing sent');
  harness.connect(1, 3);
  harness.take();
  assert.equal(harness.bus.sendToClient(ECHO_UUID, Uint8Array.of(7, 8)), 1);
  assert.deepEqual(harness.take(), [], 'held until the host grants a credit');
  const out = harness.hbm('flowControl', { meAddress: 1, hostAddress: 3 });
  assert.deepEqual(out.flatMap((o) => (o.name === 'data' ? [...o.payload] : [])), [7, 8]);
  assert.equal(harness.bus.sendToClient('00000000-0000-0000-0000-000000000000', Uint8Array.of(1)), 0, 'unknown client');
});

test('notifications need HBM 2.0: refused as not allowed after a 1.x start', () => {
  const harness = withClients();
  harness.hbm('hostStartRequest', { majorVersion: 1, minorVersion: 1 });
  harness.connect(1, 3);
  assert.equal(fieldsOf<{ status: number }>(harness.hbm('notifyRequest', { meAddress: 1, hostAddress: 3, start: 1 })[0]).status, 5);
});

test('registration refuses bad UUIDs, duplicates and limits out of range', () => {
  const harness = new BusHarness();
  const base = { uuid: ECHO_UUID, name: 'echo', protocolVersion: 1, maxConnections: 1, maxMessageBytes: 64, handler: echoHandler };
  harness.bus.registerClient(base);
  for (const bad of [{ uuid: 'x' }, { uuid: ECHO_UUID.toUpperCase() }, { uuid: SLOW_UUID, maxConnections: 0 }, { uuid: SLOW_UUID, maxMessageBytes: 0x10001 }, { uuid: SLOW_UUID, protocolVersion: 256 }, { uuid: SLOW_UUID, name: '' }]) {
    assert.throws(() => harness.bus.registerClient({ ...base, ...bad }), (error: Error & { code?: string }) => error.code === 'VME_ERR_HECI_REGISTRATION', JSON.stringify(bad));
  }
});

test('unregistering a client disconnects its connections; HOST_STOP drops everything', () => {
  const harness = withClients();
  harness.connect(1, 3);
  harness.connect(2, 4);
  assert.ok(harness.bus.unregisterClient(ECHO_UUID));
  assert.deepEqual(names(harness.take()), ['clientDisconnectRequest']);
  assert.deepEqual(names(harness.hbm('hostStopRequest', {})), ['hostStopResponse']);
  assert.deepEqual(harness.bus.connections(), []);
  assert.equal(harness.bus.negotiated, undefined);
});

test('fuzz: 4000 random and mutated frames never throw out of the bus, and it still serves afterwards', async () => {
  const random = new SeededRandom(0x4ec1);
  const harness = withClients({ fragmentBytes: 64 });
  const valid = Object.keys(HBM_MESSAGES).map((name) => encodeHbm(name as keyof typeof HBM_MESSAGES, { meAddress: 1 + random.int(3), hostAddress: random.int(4) } as never));
  for (let round = 0; round < 4000; round++) {
    const kind = random.int(4);
    let frame: Uint8Array;
    if (kind === 0) frame = Uint8Array.from({ length: random.int(80) }, () => random.int(256));
    else if (kind === 1) frame = encodeFragment(0, 0, random.pick(valid), random.int(8) !== 0);
    else if (kind === 2) frame = encodeFragment(random.int(5), random.int(5), Uint8Array.from({ length: random.int(70) }, () => random.int(256)), random.int(2) === 0);
    else {
      frame = encodeFragment(0, 0, random.pick(valid), true);
      frame[random.int(frame.length)] = random.int(256);
    }
    harness.bus.receive(frame);
    if (round % 100 === 0) await settle();
  }
  await settle();
  const counters = harness.bus.counters;
  assert.equal(counters.framesReceived, 4000 + 1);
  assert.ok(counters.malformedFrames + counters.malformedHbm > 100, JSON.stringify(counters));
  harness.take();
  harness.start();
  harness.connect(1, 200);
  harness.hbm('flowControl', { meAddress: 1, hostAddress: 200 });
  const out = harness.data(1, 200, Uint8Array.of(42));
  assert.ok(out.some((o) => o.name === 'data' && o.payload[0] === 42));
});
