// The two APF ends together in-process (the LMS client's bytes fed to the LME server and back):
// handshake as real LMS/AMT do it, echo channels, window exhaustion and adjust, close from either
// end, many channels and the channel limit, refusals, and malformed input → typed error + reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apf, ApfError, APF_DISCONNECT_REASON, APF_OPEN_FAILURE, encodeApf, type LmeChannelIo } from './index.js';
import { LmePair, Sink } from './testing.js';

const originator = { address: '127.0.0.1', port: 40000 };
const bytes = (n: number, seed = 1): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
const kinds = (pair: LmePair, to: 'server' | 'client'): string[] => pair.log.filter((e) => e.to === to).map((e) => e.message.kind);

test('handshake: PROTOCOLVERSION both ways, pfwd service, tcpip-forward 16992 and 16993 answered with the port', () => {
  const pair = new LmePair().handshake();
  assert.equal(pair.client.state, 'ready');
  assert.equal(pair.server.state, 'ready');
  assert.deepEqual(kinds(pair, 'server'), ['protocolVersion', 'serviceAccept', 'requestSuccess', 'requestSuccess']);
  assert.deepEqual(kinds(pair, 'client'), ['protocolVersion', 'serviceRequest', 'globalRequest', 'globalRequest']);
  assert.deepEqual(pair.server.forwardedPorts, [16992, 16993]);
  assert.deepEqual(pair.client.forwards.map((f) => f.port), [16992, 16993]);
  const success = pair.log.filter((e) => e.message.kind === 'requestSuccess').map((e) => e.message);
  assert.deepEqual(success, [{ kind: 'requestSuccess', port: 16992 }, { kind: 'requestSuccess', port: 16993 }]);
  const version = pair.clientEvents.find((e) => e.type === 'handshake');
  assert.ok(version?.type === 'handshake' && version.uuid[0] === 0xa0 && version.triggerReason === 254);
});

test('a second PROTOCOLVERSION (rpc-go echoes AMT\'s) is not answered again', () => {
  const pair = new LmePair().handshake();
  pair.server.receive(encodeApf(apf('protocolVersion', { major: 1, minor: 0, triggerReason: 9 })));
  assert.equal(pair.toClient.length, 0);
  assert.equal(pair.server.state, 'ready');
});

test('an echo channel carries bytes both ways and closes from the host end', () => {
  const pair = new LmePair().handshake();
  const sink = new Sink();
  const connection = pair.client.connect(16992, originator, sink);
  assert.ok(connection);
  connection.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
  pair.pump();
  assert.equal(sink.text, 'GET / HTTP/1.1\r\n\r\n');
  const open = pair.log.find((e) => e.message.kind === 'channelOpen')?.message;
  assert.ok(open?.kind === 'channelOpen');
  assert.deepEqual([open.channelType, open.connectedPort, open.originatorAddress, open.originatorPort, open.initialWindow, open.reserved], ['forwarded-tcpip', 16992, '127.0.0.1', 40000, 4096, 0xffffffff]);
  connection.end();
  pair.pump();
  assert.deepEqual(kinds(pair, 'server').slice(-1), ['channelClose']);
  assert.deepEqual(kinds(pair, 'client').slice(-1), ['channelClose']);
  assert.equal(pair.client.channelCount, 0);
  assert.equal(pair.server.channelCount, 0);
  assert.equal(sink.ended, false, 'the local side closed first: it is not told again');
});

test('the engine closes: data first, then CLOSE; the host ends its socket and answers CLOSE', () => {
  let closed = 0;
  const pair = new LmePair({
    server: { openChannel: (_port, io) => ({ receive: (b) => { io.write(b); io.end(); }, close: () => { closed += 1; } }) },
  }).handshake();
  const sink = new Sink();
  pair.client.connect(16993, originator, sink)?.write(Buffer.from('bye'));
  pair.pump();
  assert.equal(sink.text, 'bye');
  assert.ok(sink.ended);
  assert.deepEqual(kinds(pair, 'client').slice(-2), ['channelData', 'channelClose']);
  assert.deepEqual(kinds(pair, 'server').slice(-1), ['channelClose']);
  assert.equal(closed, 0, 'the engine connection closed itself');
  assert.equal(pair.server.channelCount + pair.client.channelCount, 0);
});

test('window exhaustion: the sender stops at the peer\'s window and resumes on WINDOW_ADJUST', () => {
  const pair = new LmePair({ server: { openChannel: (_p, _io) => ({ receive: () => undefined, close: () => undefined }) } }).handshake();
  const sink = new Sink();
  const connection = pair.client.connect(16992, originator, sink);
  pair.pump(); // open confirmed
  const before = pair.log.length;
  connection?.write(bytes(10_000));
  // deliver only to the server, never back: the host may send 4096 bytes, no more
  pair.deliverToServer();
  const sent = pair.log.slice(before).flatMap((e) => (e.message.kind === 'channelData' ? [e.message.data.length] : []));
  assert.equal(sent.reduce((a, b) => a + b, 0), 4096);
  assert.ok(pair.toClient.some((m) => m[0] === 93), 'the engine acknowledged with WINDOW_ADJUST');
  pair.pump();
  const all = pair.log.slice(before).flatMap((e) => (e.message.kind === 'channelData' ? [e.message.data.length] : []));
  assert.equal(all.reduce((a, b) => a + b, 0), 10_000);
  assert.ok(all.every((n) => n <= 4096 - 9), 'every CHANNEL_DATA fits one 4096-byte HECI message');
});

test('a large echo (256 KiB) crosses intact in window-sized pieces both ways', () => {
  const pair = new LmePair().handshake();
  const sink = new Sink();
  const payload = bytes(256 * 1024, 7);
  const connection = pair.client.connect(16992, originator, sink);
  for (let i = 0; i < payload.length; i += 10_000) connection?.write(payload.subarray(i, i + 10_000));
  pair.pump();
  assert.deepEqual(Buffer.concat(sink.chunks), Buffer.from(payload));
  const adjusts = pair.log.filter((e) => e.message.kind === 'channelWindowAdjust');
  assert.ok(adjusts.length > 100);
});

test('the engine\'s response beyond the host window waits for the host\'s adjust', () => {
  let io: LmeChannelIo | undefined;
  const pair = new LmePair({ server: { openChannel: (_p, channelIo) => { io = channelIo; return { receive: () => undefined, close: () => undefined }; } } }).handshake();
  const sink = new Sink();
  pair.client.connect(16992, originator, sink);
  pair.pump();
  io?.write(bytes(20_000, 3));
  pair.deliverToClient();
  assert.equal(sink.length, 4096);
  pair.pump();
  assert.equal(sink.length, 20_000);
});

test('write answers false above the high-water mark and drain follows', () => {
  const pair = new LmePair({ client: { highWaterBytes: 8192 } }).handshake();
  const sink = new Sink();
  const connection = pair.client.connect(16992, originator, sink);
  pair.pump();
  assert.equal(connection?.write(bytes(4096 + 8192)), false);
  pair.pump();
  assert.ok(sink.drained >= 1);
  assert.equal(sink.length, 4096 + 8192);
});

test('many channels at once each get their own bytes back; the 33rd is refused locally', () => {
  const pair = new LmePair().handshake();
  const sinks = Array.from({ length: 32 }, () => new Sink());
  const connections = sinks.map((sink, i) => pair.client.connect(i % 2 ? 16993 : 16992, { address: '127.0.0.1', port: 50000 + i }, sink));
  assert.ok(connections.every((c) => c !== undefined));
  assert.equal(pair.client.connect(16992, originator, new Sink()), undefined);
  connections.forEach((c, i) => c?.write(bytes(3000 + i, i)));
  pair.pump();
  sinks.forEach((sink, i) => assert.deepEqual(Buffer.concat(sink.chunks), Buffer.from(bytes(3000 + i, i)), `channel ${i}`));
  connections.forEach((c) => c?.end());
  pair.pump();
  assert.equal(pair.server.channelCount, 0);
  assert.ok(pair.client.connect(16992, originator, new Sink()), 'ids are free again');
});

test('refusals: engine channel limit, port not served, openChannel declines, unknown channel type', () => {
  let decline = false;
  const pair = new LmePair({
    server: { maxChannels: 2, forwardPorts: [16992, 16993], openChannel: (_p, io) => (decline ? undefined : { receive: (b) => io.write(b), close: () => undefined }) },
  }).handshake();
  const sinks = [new Sink(), new Sink(), new Sink()];
  sinks.forEach((sink) => pair.client.connect(16992, originator, sink));
  pair.pump();
  assert.deepEqual(sinks.map((s) => s.ended), [false, false, true]);
  assert.ok(pair.clientEvents.some((e) => e.type === 'channel-refused' && e.reason === APF_OPEN_FAILURE.resourceShortage));
  decline = true;
  pair.client.close();
  pair.pump();
  pair.handshake();
  pair.toClient.length = 0;
  pair.server.receive(encodeApf(apf('channelOpen', { channelType: 'forwarded-tcpip', senderChannel: 9, connectedPort: 16992 })));
  pair.server.receive(encodeApf(apf('channelOpen', { channelType: 'forwarded-tcpip', senderChannel: 9, connectedPort: 623 })));
  pair.server.receive(encodeApf(apf('channelOpen', { channelType: 'x11', senderChannel: 9, connectedPort: 16992 })));
  const reasons = pair.toClient.splice(0).map((m) => m[8]);
  assert.deepEqual(reasons, [APF_OPEN_FAILURE.connectFailed, APF_OPEN_FAILURE.administrativelyProhibited, APF_OPEN_FAILURE.unknownChannelType]);
});

test('the host refuses a forward: REQUEST_FAILURE, and no connection to that port is offered', () => {
  const pair = new LmePair({ client: { forward: (r) => r.port !== 16993 } }).handshake();
  assert.deepEqual(pair.server.forwardedPorts, [16992]);
  assert.ok(pair.serverEvents.some((e) => e.type === 'forwarded' && e.port === 16993 && !e.ok));
  assert.equal(pair.client.connect(16993, originator, new Sink()), undefined);
});

test('asynchronous forward decisions are answered in request order', async () => {
  const decisions = new Map<number, (ok: boolean) => void>();
  const pair = new LmePair({ client: { forward: (r) => new Promise<boolean>((resolve) => decisions.set(r.port, resolve)) } });
  pair.client.start();
  pair.pump();
  assert.deepEqual([...decisions.keys()], [16992, 16993]);
  decisions.get(16993)?.(true); // the second listener is ready first
  await new Promise((resolve) => setImmediate(resolve));
  pair.pump();
  assert.equal(pair.log.filter((e) => e.message.kind === 'requestSuccess').length, 0, 'no reply jumps the queue');
  decisions.get(16992)?.(true);
  await new Promise((resolve) => setImmediate(resolve));
  pair.pump();
  const replies = pair.log.filter((e) => e.message.kind === 'requestSuccess').map((e) => e.message.kind === 'requestSuccess' && e.message.port);
  assert.deepEqual(replies, [16992, 16993]);
  assert.equal(pair.client.state, 'ready');
});

test('malformed input to the engine: typed error, DISCONNECT, channels ended, a new handshake works', () => {
  let closed = 0;
  const pair = new LmePair({ server: { openChannel: (_p, io) => ({ receive: (b) => io.write(b), close: () => { closed += 1; } }) } }).handshake();
  const sink = new Sink();
  pair.client.connect(16992, originator, sink)?.write(Buffer.from('x'));
  pair.pump();
  pair.server.receive(Uint8Array.of(94, 0, 0)); // truncated CHANNEL_DATA
  const error = pair.serverEvents.find((e) => e.type === 'error');
  assert.ok(error?.type === 'error' && error.error instanceof ApfError && error.error.code === 'VME_ERR_APF_MALFORMED');
  assert.equal(pair.server.state, 'awaiting-version');
  assert.equal(closed, 1);
  pair.pump(); // the client gets DISCONNECT(protocol error)
  assert.ok(pair.clientEvents.some((e) => e.type === 'disconnected' && e.reason === APF_DISCONNECT_REASON.protocolError));
  assert.ok(sink.ended);
  assert.equal(pair.client.state, 'idle');
  pair.handshake();
  assert.equal(pair.client.state, 'ready');
  const again = new Sink();
  pair.client.connect(16992, originator, again)?.write(Buffer.from('again'));
  pair.pump();
  assert.equal(again.text, 'again');
});

test('protocol errors reset too: data beyond the window, unknown channel, messages before the version', () => {
  const pair = new LmePair({ server: { maxMessageBytes: 8192 } }).handshake();
  pair.client.connect(16992, originator, new Sink());
  pair.pump();
  pair.server.receive(encodeApf(apf('channelData', { recipientChannel: 0, data: bytes(4097) })));
  const errors = (): string[] => pair.serverEvents.flatMap((e) => (e.type === 'error' ? [e.error.problem.reason] : []));
  assert.deepEqual(errors(), ['beyond the window']);
  assert.equal(pair.toClient.filter((m) => m[0] === 1).length, 1, 'one DISCONNECT');
  pair.server.receive(encodeApf(apf('channelClose', { recipientChannel: 0 })));
  assert.equal(pair.toClient.filter((m) => m[0] === 1).length, 1, 'no second DISCONNECT while waiting for a new version');
  pair.pump();
  pair.handshake();
  pair.server.receive(encodeApf(apf('channelWindowAdjust', { recipientChannel: 17, bytesToAdd: 1 })));
  assert.deepEqual(errors(), ['beyond the window', 'unknown channel']);
  const fresh = new LmePair();
  fresh.server.receive(encodeApf(apf('serviceAccept', { service: 'pfwd@amt.intel.com' })));
  assert.equal(fresh.serverEvents[0]?.type, 'error');
});

test('malformed input to the host: typed error, DISCONNECT to the engine, connections ended', () => {
  const pair = new LmePair().handshake();
  const sink = new Sink();
  pair.client.connect(16992, originator, sink);
  pair.pump();
  pair.client.receive(Uint8Array.of(0xc0, 0, 0, 0));
  const error = pair.clientEvents.find((e) => e.type === 'error');
  assert.ok(error?.type === 'error' && error.error.code === 'VME_ERR_APF_MALFORMED');
  assert.ok(sink.ended);
  pair.pump();
  assert.ok(pair.serverEvents.some((e) => e.type === 'disconnected' && e.reason === APF_DISCONNECT_REASON.protocolError));
  assert.equal(pair.server.channelCount, 0);
});

test('keep-alive requests are answered with their cookie; a version 2 host is refused', () => {
  const pair = new LmePair().handshake();
  pair.server.receive(encodeApf(apf('keepaliveRequest', { cookie: 0xdeadbeef })));
  assert.deepEqual(pair.toClient.splice(0), [encodeApf(apf('keepaliveReply', { cookie: 0xdeadbeef }))]);
  const fresh = new LmePair();
  fresh.server.receive(encodeApf(apf('protocolVersion', { major: 2 })));
  assert.deepEqual(fresh.toClient, [encodeApf(apf('disconnect', { reason: APF_DISCONNECT_REASON.protocolVersionNotSupported }))]);
});

test('reset (HECI lost) ends channels silently; close sends DISCONNECT by application', () => {
  const pair = new LmePair().handshake();
  const sink = new Sink();
  pair.client.connect(16992, originator, sink);
  pair.pump();
  pair.client.reset();
  assert.ok(sink.ended);
  assert.equal(pair.toServer.length, 0);
  pair.server.close();
  assert.deepEqual(pair.toClient, [encodeApf(apf('disconnect', { reason: APF_DISCONNECT_REASON.byApplication }))]);
  assert.equal(pair.server.channelCount, 0);
});
