// Seeded fuzzing of the redirection decoder and session: mutated amtterm/MeshCommander messages
// and random bytes. readFrame returns a frame, undefined (incomplete) or throws RedirectionError;
// the session never throws, and ends any connection it cannot follow with a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUserTable, DigestAuthenticator } from '../../amt/auth/index.js';
import { prng } from '../apf/testing.js';
import { digestRedirectionAuthenticator, readFrame, RedirectionError, RedirectionSession } from './index.js';
import { consoleMessages as c } from './testing.js';

const SAMPLES = [
  c.start(), c.start('kvm'), c.query(), c.plain('admin', 'P@ssw0rd'), c.digestRequest('admin'), c.digestRequest('admin', false),
  c.digestResponse('admin', 'P@ssw0rd', 'Digest:00', 'n'.repeat(32)), c.startSol(), c.data('ls\r'), c.endSol(), c.ping(), c.heartbeat(), c.end(),
];

function mutate(base: Uint8Array, random: () => number): Uint8Array {
  let bytes = Uint8Array.from(base);
  for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) {
    const at = Math.floor(random() * Math.max(1, bytes.length));
    const choice = random();
    if (choice < 0.4 && bytes.length > 0) bytes[at] = random() < 0.5 ? ([0, 1, 0x7f, 0x80, 0xff][Math.floor(random() * 5)] ?? 0) : Math.floor(random() * 256);
    else if (choice < 0.6) bytes = bytes.slice(0, at);
    else if (choice < 0.8) bytes = Uint8Array.from([...bytes.slice(0, at), ...Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256)), ...bytes.slice(at)]);
    else if (bytes.length >= 9) new DataView(bytes.buffer).setUint32(5, [0, 1, 0xff, 0xffff, 0xffffffff][Math.floor(random() * 5)] ?? 0, true);
  }
  return bytes;
}

const randomMessage = (random: () => number): Uint8Array =>
  random() < 0.2 ? Uint8Array.from({ length: Math.floor(random() * 48) }, () => Math.floor(random() * 256)) : mutate(SAMPLES[Math.floor(random() * SAMPLES.length)] as Uint8Array, random);

test('5000 seeded mutations: readFrame gives a frame, undefined, or RedirectionError', () => {
  const random = prng(0x50e);
  for (let i = 0; i < 5000; i++) {
    const bytes = randomMessage(random);
    try {
      readFrame(bytes, random() < 0.8 ? 'console' : 'device');
    } catch (error) {
      assert.ok(error instanceof RedirectionError, `${Buffer.from(bytes).toString('hex')}: ${String(error)}`);
    }
  }
});

test('1500 seeded sessions of valid prefixes and mutated messages: receive never throws, closes with a typed error', () => {
  const random = prng(0x5e55);
  const users = createUserTable([{ user: 'admin', passwordOrHA1: { password: 'P@ssw0rd' }, realms: ['Redirection'] }]);
  const auth = new DigestAuthenticator({ realm: 'Digest:0123456789ABCDEF0123456789ABCDEF', users, lockout: { threshold: 1_000_000, firstLockMs: 1, maxLockMs: 1, resetAfterMs: 1 } });
  let closedByError = 0;
  for (let i = 0; i < 1500; i++) {
    const session = new RedirectionSession({ authenticator: digestRedirectionAuthenticator(auth), admit: () => (random() < 0.8 ? 0 : 2), openSol: () => (random() < 0.8 ? 0 : 3) });
    const prefix = [c.start(), c.plain('admin', 'P@ssw0rd'), c.startSol()].slice(0, Math.floor(random() * 4));
    const stream = [...prefix, ...Array.from({ length: 1 + Math.floor(random() * 5) }, () => randomMessage(random))];
    for (const message of stream) {
      const step = session.receive(message);
      for (const event of step.events) if (event.kind === 'close' && event.error) {
        assert.ok(event.error instanceof RedirectionError);
        closedByError++;
      }
      session.fromHost(Uint8Array.of(0x41));
    }
    session.end();
  }
  assert.ok(closedByError > 100, `some sessions ended by an error (${closedByError})`);
});
