// Seeded fuzzing of APF: thousands of mutated and random messages. The decoder throws nothing but
// ApfError (MALFORMED), and both session ends take them mid-session without throwing, then
// recover with a fresh handshake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApfError, APF_MESSAGES, apf, decodeApf, encodeApf, type ApfMessage } from './index.js';
import { LmePair, prng, Sink } from './testing.js';

const SAMPLES: Uint8Array[] = [
  ...(Object.keys(APF_MESSAGES) as ApfMessage['kind'][]).map((kind) => encodeApf(apf(kind) as ApfMessage)),
  encodeApf(apf('channelOpen', { channelType: 'forwarded-tcpip', senderChannel: 1, initialWindow: 4096, connectedAddress: '::1', connectedPort: 16992, originatorAddress: '::1', originatorPort: 123 })),
  encodeApf(apf('globalRequest', { request: 'tcpip-forward', wantReply: 1, forward: { address: 'amt.example', port: 16993 } })),
  encodeApf(apf('userauthRequest', { user: 'u', service: 'pfwd@amt.intel.com', method: 'password', password: { changePassword: 0, password: 'p' } })),
  encodeApf(apf('channelData', { recipientChannel: 0, data: Buffer.from('GET / HTTP/1.1\r\n\r\n') })),
  encodeApf(apf('requestSuccess', { port: 16992 })),
];

const INTERESTING = [0, 1, 0x7f, 0x80, 0xff];

function mutate(base: Uint8Array, random: () => number): Uint8Array {
  let bytes = Uint8Array.from(base);
  for (let i = 0, n = 1 + Math.floor(random() * 4); i < n; i++) {
    const at = Math.floor(random() * Math.max(1, bytes.length));
    const choice = random();
    if (choice < 0.35 && bytes.length > 0) bytes[at] = random() < 0.5 ? (INTERESTING[Math.floor(random() * INTERESTING.length)] ?? 0) : Math.floor(random() * 256);
    else if (choice < 0.55) bytes = bytes.slice(0, at); // truncate
    else if (choice < 0.75) bytes = Uint8Array.from([...bytes.slice(0, at), ...Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256)), ...bytes.slice(at)]);
    else if (bytes.length >= at + 4) new DataView(bytes.buffer).setUint32(Math.min(at, bytes.length - 4), [0, 1, 0xffff, 0x7fffffff, 0xffffffff, bytes.length][Math.floor(random() * 6)] ?? 0, false); // a length field
  }
  return bytes;
}

function randomMessage(random: () => number): Uint8Array {
  if (random() < 0.25) return Uint8Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256));
  return mutate(SAMPLES[Math.floor(random() * SAMPLES.length)] as Uint8Array, random);
}

test('4000 seeded mutations: decodeApf returns a message or throws ApfError MALFORMED, nothing else', () => {
  const random = prng(0xa9f);
  let accepted = 0;
  for (let i = 0; i < 4000; i++) {
    const input = randomMessage(random);
    try {
      const message = decodeApf(input, 4096);
      accepted += 1;
      assert.deepEqual(encodeApf(message), input, `re-encodes exactly (case ${i})`);
    } catch (error) {
      assert.ok(error instanceof ApfError, `case ${i}: ${String(error)}`);
      assert.equal(error.code, 'VME_ERR_APF_MALFORMED');
    }
  }
  assert.ok(accepted > 100, `some mutations stay well-formed (${accepted})`);
});

test('2000 seeded hostile messages into live sessions: neither end throws, both recover', () => {
  const random = prng(0x1e5);
  for (let round = 0; round < 40; round++) {
    const pair = new LmePair().handshake();
    const sink = new Sink();
    pair.client.connect(16992, { address: '127.0.0.1', port: 1 }, sink)?.write(Buffer.from('hello'));
    pair.pump();
    for (let i = 0; i < 25; i++) {
      assert.doesNotThrow(() => pair.server.receive(randomMessage(random)));
      assert.doesNotThrow(() => pair.client.receive(randomMessage(random)));
      pair.pump();
    }
    pair.client.close();
    pair.pump();
    pair.handshake();
    assert.equal(pair.client.state, 'ready', `round ${round} recovers`);
    const again = new Sink();
    pair.client.connect(16993, { address: '127.0.0.1', port: 2 }, again)?.write(Buffer.from('again'));
    pair.pump();
    assert.equal(again.text, 'again', `round ${round} echoes after recovery`);
  }
});
