// IDER inside a redirection session, in memory: the device session against the console client
// (src/client/ider.ts, MeshCommander's framing): open reply layout, register enable, READ CAPACITY
// and READ(10) in 8 KiB parts, sense on a missing drive, keep-alive, reset, close; malformed and
// out-of-order IDER input ends the connection with a typed error; seeded fuzz of the IDER decoder
// and of the session after login (never a throw, always a RedirectionError).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createUserTable, DigestAuthenticator } from '../../amt/auth/index.js';
import { IderConsole } from '../../client/ider.js';
import { prng } from '../apf/testing.js';
import {
  atapi, digestRedirectionAuthenticator, encodeIderFrame, IDER_MESSAGES, parseReadCapacity, readIderFrame, RedirectionError, RedirectionSession,
  type IderEvent, type RedirectionEvent, type RedirectionStep,
} from './index.js';
import { consoleMessages as c } from './testing.js';

const REALM = 'Digest:0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'P@ssw0rd-ider';
const image = Uint8Array.from({ length: 20 * 2048 }, (_, i) => (i * 7 + (i >> 11)) & 0xff);

function loggedIn(): RedirectionSession {
  const users = createUserTable([{ user: 'admin', passwordOrHA1: { ha1: createHash('md5').update(`admin:${REALM}:${PASSWORD}`).digest('hex') }, realms: ['Redirection'] }]);
  const session = new RedirectionSession({ authenticator: digestRedirectionAuthenticator(new DigestAuthenticator({ realm: REALM, users })), admit: () => 0, openSol: () => 0 });
  session.receive(c.start('ider'));
  const step = session.receive(c.plain('admin', PASSWORD));
  assert.equal(step.events[0]?.kind, 'authenticated');
  assert.equal(session.phase, 'ider');
  return session;
}

const iderEvents = (events: readonly RedirectionEvent[]): IderEvent[] => events.flatMap((e) => (e.kind === 'ider' ? [e.event] : []));

/** Runs console ↔ device until quiet; returns the device's IDER events. */
function pump(session: RedirectionSession, console: IderConsole, toDevice: Uint8Array[]): { events: IderEvent[]; last: RedirectionStep | undefined } {
  const events: IderEvent[] = [];
  let last: RedirectionStep | undefined;
  let queue = toDevice;
  while (queue.length > 0) {
    const next: Uint8Array[] = [];
    for (const bytes of queue) {
      last = session.receive(bytes);
      events.push(...iderEvents(last.events));
      for (const out of last.output) next.push(...console.receive(out));
    }
    queue = next;
  }
  return { events, last };
}

test('IDER: open reply as MeshCommander reads it, enable, READ CAPACITY and READ(10) through the console', () => {
  const session = loggedIn();
  const console = new IderConsole({ cd: image });
  const opened = session.receive(console.open());
  const reply = opened.output[0] as Uint8Array;
  assert.equal(reply.length, 30);
  assert.deepEqual([reply[0], reply[4], reply[21], reply[29]], [0x41, 0, 0, 0], 'type, sequence 0, protocol 0, no OEM data');
  assert.equal(new DataView(reply.buffer).getUint16(16, true), 8192);
  assert.equal(new DataView(reply.buffer).getUint16(18, true), 8192);
  assert.equal(new DataView(reply.buffer).getUint32(25, true), 343);
  const enable = pump(session, console, console.receive(reply));
  assert.deepEqual(enable.events.map((e) => e.kind), ['ider-enabled']);
  assert.deepEqual(console.events.map((e) => e.kind), ['opened', 'enabled']);

  const ider = session.ider;
  assert.ok(ider);
  const capacity = ider.command('cd', atapi.readCapacity());
  const written = capacity.output[0] as Uint8Array;
  assert.equal(written.length, 28);
  assert.deepEqual([written[0], written[14], written[15], written[16]], [0x50, 0xb0, 0xa0, 0x25], 'COMMAND_WRITTEN, CD drive select, PACKET, READ CAPACITY');
  const done = pump(session, console, capacity.output.flatMap((bytes) => console.receive(bytes)));
  const data = done.events[0]?.kind === 'command-done' ? done.events[0].data : new Uint8Array(0);
  assert.deepEqual(parseReadCapacity(data), { blocks: 20, blockBytes: 2048 });

  const read = ider.command('cd', atapi.read10(3, 5));
  const answers = read.output.flatMap((bytes) => console.receive(bytes));
  assert.equal(answers.length, 2, '10 KiB in parts of the 8 KiB read buffer');
  const result = pump(session, console, answers);
  assert.equal(result.events[0]?.kind, 'command-done');
  assert.deepEqual(result.events[0]?.kind === 'command-done' ? result.events[0].data : undefined, image.subarray(3 * 2048, 8 * 2048));
});

test('IDER: a drive without media fails with NOT READY; commands queue; keep-alive; reset; close', () => {
  const session = loggedIn();
  const console = new IderConsole({ cd: image });
  pump(session, console, console.receive(session.receive(console.open()).output[0] as Uint8Array));
  const ider = session.ider;
  assert.ok(ider);
  const floppy = ider.command('floppy', atapi.testUnitReady());
  const queued = ider.command('cd', atapi.testUnitReady());
  assert.equal(queued.output.length, 0, 'the second waits for the first');
  const step = pump(session, console, floppy.output.flatMap((bytes) => console.receive(bytes)));
  assert.deepEqual(step.events.map((e) => e.kind), ['command-failed', 'command-done']);
  assert.equal(step.events[0]?.kind === 'command-failed' && step.events[0].sense, 2);

  const pong = session.receive(encodeIderFrame('keepAlivePing', { sequence: 9 }));
  assert.equal(pong.output[0]?.[0], 0x45);
  ider.command('cd', atapi.read10(0, 1));
  const reset = ider.reset();
  assert.deepEqual(reset.events.map((e) => e.kind), ['command-failed']);
  assert.equal(reset.output[0]?.[0], 0x46);
  session.receive(console.receive(reset.output[0])[0] as Uint8Array);
  const closed = session.receive(console.close());
  assert.equal(closed.output[0]?.[0], 0x43);
  assert.equal(closed.close, true);
  assert.equal(session.phase, 'closed');
});

test('IDER: malformed or out-of-order messages end the connection with a typed error', () => {
  const cases: [string, Uint8Array[]][] = [
    ['data before open', [encodeIderFrame('commandEndResponse')]],
    ['a device message from the console', [new IderConsole({}).open(), encodeIderFrame('commandWritten')]],
    ['unknown type', [Uint8Array.of(0x77, 0, 0, 0, 0, 0, 0, 0)]],
    ['oversized data', [new IderConsole({}).open(), encodeIderFrame('dataToHost', { transferBytes: 60000 })]],
    ['data nobody asked for', [new IderConsole({}).open(), encodeIderFrame('dataToHost', { transferBytes: 1 }, Uint8Array.of(1))]],
    ['a second open', [new IderConsole({}).open(), new IderConsole({}).open()]],
  ];
  for (const [name, messages] of cases) {
    const session = loggedIn();
    let step: RedirectionStep | undefined;
    for (const bytes of messages) step = session.receive(bytes);
    const close = step?.events.find((e) => e.kind === 'close');
    assert.equal(step?.close, true, name);
    assert.ok(close?.kind === 'close' && close.error instanceof RedirectionError, name);
  }
});

test('IDER fuzz (seeded): the decoder throws only RedirectionError, the session never throws', () => {
  const random = prng(0x1de5);
  const samples = Object.values(IDER_MESSAGES).map((m) => encodeIderFrame(m.name, { transferBytes: 4, length: 4, feature: 3 }, Uint8Array.of(1, 2, 3, 4)));
  for (let round = 0; round < 400; round++) {
    const base = Uint8Array.from(samples[Math.floor(random() * samples.length)] as Uint8Array);
    for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) base[Math.floor(random() * base.length)] = Math.floor(random() * 256);
    const bytes = random() < 0.3 ? base.subarray(0, Math.floor(random() * base.length)) : base;
    for (const sender of ['console', 'device'] as const) {
      try {
        readIderFrame(bytes, sender);
      } catch (error) {
        assert.ok(error instanceof RedirectionError, String(error));
      }
    }
    const session = loggedIn();
    const console = new IderConsole({ cd: image });
    if (random() < 0.5) session.receive(console.open());
    const step = session.receive(bytes);
    for (const event of step.events) if (event.kind === 'close' && event.error) assert.ok(event.error instanceof RedirectionError);
  }
});
