// The engine's network device (design 0009) with real sockets: the `netecho` test app's granted TCP and
// UDP ports on a random loopback address per test (127.a.b.c, random per file so parallel files never collide).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { NETECHO_TCP_PORT as TCP, NETECHO_TLS_PORT as TLS, NETECHO_UDP_PORT as UDP } from '../src/apps/testing/index.js';
import { generateDeviceCertificate } from '../src/amt/tls/index.js';
import type { Engine } from '../src/engine/index.js';
import type { NetworkLimits, TraceEvent } from '../src/kernel/index.js';
import { appState, bootTesting, engineFixture, FAST, testingPlatform, waitFor } from './support/engine.js';

// A generous heartbeat: only the blocking test needs the ping to fail, and a loaded machine must not fake a hang.
const fixture = engineFixture({ pingTimeoutMs: 2000 });
const platform = testingPlatform(['netecho']);
const base = `127.${randomInt(1, 255)}.${randomInt(0, 256)}`;
let host = randomInt(1, 200);
const nextAddress = (): string => `${base}.${host++}`;

async function boot(limits?: Partial<NetworkLimits>, address = nextAddress()): Promise<{ engine: Engine; address: string }> {
  const engine = await bootTesting(platform, { ...FAST, pool: fixture.pool, network: { address, ...(limits ? { limits } : {}) } });
  fixture.engines.push(engine);
  return { engine, address };
}

/** A connected client socket that never throws on errors (resets are expected in several tests). */
function dial(address: string, options: { allowHalfOpen?: boolean } = {}): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address, port: TCP, ...options }, () => resolve(socket));
    socket.once('error', reject);
    socket.on('error', () => undefined);
  });
}

const closed = (socket: Socket): Promise<void> => new Promise((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));

/** Polls an async condition every 20 ms for at most 5 s. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (const deadline = Date.now() + 5000; Date.now() < deadline;) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`timed out waiting for: ${what}`);
}

/** Writes `bytes` and collects exactly that many bytes back. */
function roundTrip(socket: Socket, bytes: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      got += chunk.length;
      if (got >= bytes.length) {
        socket.off('data', onData);
        socket.off('close', onClose);
        resolve(Buffer.concat(chunks));
      }
    };
    const onClose = (): void => reject(new Error(`closed after ${got} of ${bytes.length} bytes`));
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(bytes);
  });
}

/** The testing app's listeners (the default platform's amt app listens too). */
const netecho = (engine: Engine): ReturnType<Engine['networkListeners']> => engine.networkListeners().filter((l) => l.app === 'netecho');
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const events = (engine: Engine, component: 'net' | 'audit' | 'supervisor'): TraceEvent[] => engine.trace.events(component);

test('echo round trip; the address reaches the app; listeners and boot log report it', async () => {
  const { engine, address } = await boot();
  assert.deepEqual(netecho(engine), [
    { app: 'netecho', port: TCP, protocol: 'tcp', tls: false, address, listening: true },
    { app: 'netecho', port: UDP, protocol: 'udp', tls: false, address, listening: true },
    { app: 'netecho', port: TLS, protocol: 'tcp', tls: true, address, listening: true },
  ]);
  assert.equal(engine.platform?.networkAddress, address);
  assert.equal(engine.status().network?.address, address);
  assert.equal(engine.state, 'operational');
  assert.match(engine.formatBootLog(), new RegExp(`network +ok +netecho tcp ${address.replaceAll('.', '\\.')}:${TCP} listening`));
  const socket = await dial(address);
  assert.equal((await roundTrip(socket, text('hello'))).toString(), 'hello');
  assert.deepEqual(await engine.call('netecho', 'info', {}), { address, open: 1, lastConnection: 1, listening: true });
  socket.destroy();
});

test('an engine without an address opens no sockets', async () => {
  const engine = await bootTesting(platform, { ...FAST, pool: fixture.pool });
  fixture.engines.push(engine);
  assert.deepEqual(engine.networkListeners(), []);
  assert.equal(engine.status().network, undefined);
  assert.deepEqual(await engine.call('netecho', 'info', {}), { address: '', open: 0, lastConnection: 0, listening: false });
});

test('many connections at once, each an ordered stream; the socket pauses while the app is behind', async () => {
  const { engine, address } = await boot({ maxUnackedBytes: 8 * 1024 });
  const sockets = await Promise.all(Array.from({ length: 16 }, () => dial(address)));
  const payloads = sockets.map(() => randomBytes(256 * 1024));
  const echoed = await Promise.all(sockets.map((s, i) => roundTrip(s, payloads[i] as Buffer)));
  echoed.forEach((bytes, i) => assert.ok(bytes.equals(payloads[i] as Buffer), `connection ${i} echoed in order`));
  assert.ok(engine.trace.counter('net.paused') > 0, 'flow control paused at least one socket');
  sockets.forEach((s) => s.destroy());
});

test('half-close: the peer ends its side, still gets the echo, then the app ends the connection', async () => {
  const { address } = await boot();
  const socket = await dial(address, { allowHalfOpen: true });
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
  socket.end(text('after this I only listen'));
  await ended;
  assert.equal(Buffer.concat(received).toString(), 'after this I only listen');
  await closed(socket);
});

test('a forged connection id is refused and audited; the real connection is untouched', async () => {
  const { engine, address } = await boot();
  const socket = await dial(address);
  await roundTrip(socket, text('x'));
  await engine.call('netecho', 'forge', { connection: 999_999 });
  await waitFor(() => events(engine, 'audit').some((e) => e.kind === 'net-denied'), 3000, 'net-denied audit event');
  assert.deepEqual(events(engine, 'audit').filter((e) => e.kind === 'net-denied'), [{ kind: 'net-denied', app: 'netecho', connection: 999_999, operation: 'net-write' }]);
  assert.equal((await roundTrip(socket, text('still mine'))).toString(), 'still mine', 'nothing forged reached the peer');
  socket.destroy();
});

test('an app fault destroys its connections; the listener stays and serves the next instance', async () => {
  const { engine, address } = await boot();
  const sockets = await Promise.all([dial(address), dial(address), dial(address)]);
  for (const s of sockets) await roundTrip(s, text('before'));
  const { lastConnection } = (await engine.call('netecho', 'info', {})) as { lastConnection: number };
  await engine.call('netecho', 'crashOnData', {});
  const gone = sockets.map(closed);
  sockets[0].write(text('boom'));
  await Promise.all(gone);
  await waitFor(() => appState(engine, 'netecho') === 'running', 5000, 'netecho restarted');
  assert.ok(events(engine, 'supervisor').some((e) => e.kind === 'app-fault' && e.app === 'netecho' && e.fault === 'threw'));
  assert.equal(engine.networkListeners().every((l) => l.listening), true);
  const fresh = await dial(address);
  assert.equal((await roundTrip(fresh, text('after'))).toString(), 'after');
  await engine.call('netecho', 'forge', { connection: lastConnection });
  await waitFor(() => events(engine, 'audit').some((e) => e.kind === 'net-denied' && e.connection === lastConnection), 3000, 'the previous incarnation\'s id is refused');
  fresh.destroy();
});

test('onData blocking the worker\'s thread is caught by the acknowledgement deadline; only that instance is blamed', async () => {
  const { engine, address } = await boot();
  const { engine: bystander, address: otherAddress } = await boot();
  const socket = await dial(address);
  await roundTrip(socket, text('before'));
  await engine.call('netecho', 'spinOnData', {});
  const gone = closed(socket);
  socket.write(text('spin'));
  await gone;
  await waitFor(() => appState(engine, 'netecho') === 'running' && appState(bystander, 'netecho') === 'running', 8000, 'both back');
  assert.ok(events(engine, 'supervisor').some((e) => e.kind === 'app-fault' && e.fault === 'hung'), 'the spinning instance is blamed');
  assert.equal(bystander.apps.find((a) => a.name === 'netecho')?.faults, 0, 'the bystander is not charged');
  for (const where of [address, otherAddress]) {
    const s = await dial(where);
    assert.equal((await roundTrip(s, text('alive'))).toString(), 'alive');
    s.destroy();
  }
});

test('a peer that stops reading is cut off once the queue toward it passes the cap', async () => {
  const { engine, address } = await boot({ maxQueuedBytes: 256 * 1024 });
  const slow = await dial(address);
  slow.pause();
  const gone = closed(slow);
  slow.write(Buffer.alloc(48 * 1024 * 1024, 0x61));
  await gone;
  const capped = events(engine, 'net').find((e) => e.kind === 'net-capped');
  assert.ok(capped && capped.kind === 'net-capped' && capped.queuedBytes > 256 * 1024, JSON.stringify(capped));
  const other = await dial(address);
  assert.equal((await roundTrip(other, text('fine'))).toString(), 'fine');
  other.destroy();
});

test('connections beyond the limit are closed at once; a freed slot is usable again', async () => {
  const { engine, address } = await boot({ maxConnections: 3 });
  const kept = await Promise.all([dial(address), dial(address), dial(address)]);
  for (const s of kept) await roundTrip(s, text('in'));
  const extra = await Promise.all([dial(address), dial(address)]);
  await Promise.all(extra.map(closed));
  assert.equal(events(engine, 'net').filter((e) => e.kind === 'net-refused' && e.reason === 'limit').length, 2);
  kept[0].destroy();
  await until(async () => ((await engine.call('netecho', 'info', {})) as { open: number }).open === 2, 'the app saw the close');
  const again = await dial(address);
  assert.equal((await roundTrip(again, text('again'))).toString(), 'again', 'a connection fits again once one closed');
  [...kept, again].forEach((s) => s.destroy());
});

test('TLS terminated by the app in its worker (connectionStream + node:tls); the kernel only moves bytes', async () => {
  const { engine, address } = await boot();
  const credential = await generateDeviceCertificate({ ipAddresses: [address] });
  await engine.call('netecho', 'useTls', { key: credential.privateKeyPem, cert: credential.certificatePem });
  const socket = tlsConnect({ host: address, port: TLS, ca: credential.certificatePem });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('secureConnect', () => resolve());
    socket.once('error', reject);
  });
  assert.equal(socket.authorized, true, 'the certificate the app holds is the one presented');
  const payload = randomBytes(200 * 1024);
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  const ended = new Promise<void>((resolve) => socket.once('end', () => resolve()));
  socket.end(payload);
  await ended;
  assert.ok(Buffer.concat(received).equals(payload), 'echoed inside TLS, then closed after the peer ended');
});

test('UDP: the app answers a datagram to its port; an undefined answer sends nothing', async () => {
  const { address } = await boot();
  const client = createSocket('udp4');
  try {
    const replies: string[] = [];
    client.on('message', (bytes, remote) => replies.push(`${remote.address}:${remote.port} ${bytes.toString()}`));
    await new Promise<void>((resolve) => client.bind(0, address, () => resolve()));
    client.send(text('none'), UDP, address);
    client.send(text('ping'), UDP, address);
    await waitFor(() => replies.length > 0, 3000, 'a datagram reply');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(replies, [`${address}:${UDP} gnip`]);
  } finally {
    client.close();
  }
});

test('a port someone else holds is reported, not a crash; the rest of the platform runs', async () => {
  const address = nextAddress();
  const squatter = createServer();
  await new Promise<void>((resolve) => squatter.listen(TCP, address, () => resolve()));
  try {
    const { engine } = await boot(undefined, address);
    const [tcp, udp] = netecho(engine);
    assert.equal(tcp?.listening, false);
    assert.match(tcp?.error ?? '', /EADDRINUSE/);
    assert.equal(udp?.listening, true);
    assert.equal(engine.state, 'operational', 'an unbound port does not degrade the engine');
    assert.match(engine.formatBootLog(), /network +FAIL +netecho tcp .* not listening: .*EADDRINUSE/);
    assert.ok(events(engine, 'net').some((e) => e.kind === 'net-listen' && e.protocol === 'tcp' && !e.ok));
    assert.deepEqual(await engine.call('netecho', 'info', {}), { address, open: 0, lastConnection: 0, listening: false }, 'net:<tcp port> status says it is not listening');
    await engine.shutdown();
  } finally {
    await new Promise((resolve) => squatter.close(resolve));
  }
});

test('shutdown closes every listener and connection: the ports are free afterwards', async () => {
  const { engine, address } = await boot();
  const socket = await dial(address);
  await roundTrip(socket, text('bye'));
  const gone = closed(socket);
  await engine.shutdown();
  await gone;
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(TCP, address, () => resolve());
  });
  await new Promise((resolve) => server.close(resolve));
  const udp = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    udp.once('error', reject);
    udp.bind(UDP, address, () => resolve());
  });
  await new Promise<void>((resolve) => udp.close(() => resolve()));
});

test('a malformed network message from the app faults its worker; the listener serves the next instance', async () => {
  const { engine, address } = await boot();
  await assert.rejects(engine.call('netecho', 'malformed', {}), { code: 'VME_ERR_APP_FAULT' });
  await waitFor(() => appState(engine, 'netecho') === 'running', 5000, 'netecho back');
  const socket = await dial(address);
  assert.equal((await roundTrip(socket, text('ok'))).toString(), 'ok');
  socket.destroy();
});

test('a non-loopback address is a usage error', async () => {
  for (const address of ['10.0.0.1', '0.0.0.0', 'localhost', '::']) {
    await assert.rejects(bootTesting(platform, { ...FAST, pool: fixture.pool, network: { address } }), { code: 'VME_ERR_USAGE' }, address);
  }
});
