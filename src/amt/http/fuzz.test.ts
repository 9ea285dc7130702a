// Fuzzed HTTP never crashes the server: mutated and random requests, split at random points, give well-formed replies or nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestCore, postWsman } from './testing.js';

/** Small deterministic PRNG (xorshift32) so failures reproduce from the seed. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

const SEEDS = [...'HTTPRequestText'].map((c, i) => c.charCodeAt(0) * 7919 + i);
const INTERESTING = ['\r\n', '\r\n\r\n', ':', ' ', '\u0000', 'chunked', 'Content-Length: 99999999999', 'Transfer-Encoding: chunked\r\n', 'FFFFFFFF\r\n', '"', ',', '=', 'Digest ', '\u00ff'];

function mutate(base: Buffer, random: () => number): Buffer {
  const bytes = Buffer.from(base);
  const parts: Buffer[] = [bytes];
  for (let i = 0, n = 1 + Math.floor(random() * 6); i < n; i++) {
    const current = Buffer.concat(parts.splice(0));
    const at = Math.floor(random() * (current.length + 1));
    const choice = random();
    if (choice < 0.3) current[Math.min(at, current.length - 1)] = Math.floor(random() * 256);
    const insert = choice < 0.6 ? Buffer.from(INTERESTING[Math.floor(random() * INTERESTING.length)] ?? '', 'latin1') : Buffer.alloc(0);
    const cut = choice >= 0.8 ? Math.floor(random() * 20) : 0;
    parts.push(current.subarray(0, at), insert, current.subarray(Math.min(current.length, at + cut)));
  }
  return Buffer.concat(parts);
}

test('mutated requests delivered in random pieces: every reply starts with HTTP/1.1, nothing throws', async () => {
  const { core, harness } = createTestCore(() => ({ kind: 'wsman', status: 200, body: '<ok/>' }));
  const valid = Buffer.from(postWsman('<Envelope/>', harness.header({ nonce: harness.nonce() })) + 'GET / HTTP/1.1\r\n\r\n', 'latin1');
  for (const seed of SEEDS) {
    const random = prng(seed);
    for (let round = 0; round < 40; round++) {
      const input = mutate(valid, random);
      const out: Uint8Array[] = [];
      const connection = core.connect({ transport: 'http', remote: { address: '127.0.0.1', port: 9 } }, { write: (b) => out.push(b), end: () => undefined });
      for (let offset = 0; offset < input.length;) {
        const size = 1 + Math.floor(random() * 64);
        connection.receive(input.subarray(offset, offset + size));
        offset += size;
      }
      await connection.settled();
      const text = Buffer.concat(out).toString('latin1');
      if (text.length > 0) assert.match(text, /^HTTP\/1\.1 (100|200|303|400|401|404|500) /, `seed ${seed} round ${round}`);
    }
  }
});

test('random bytes: no crash and at most one 400 page', async () => {
  const { core } = createTestCore(() => ({ kind: 'wsman', status: 200, body: '<ok/>' }));
  const random = prng(0x5eed);
  for (let round = 0; round < 300; round++) {
    const input = Buffer.from(Array.from({ length: Math.floor(random() * 600) }, () => Math.floor(random() * 256)));
    const { bytes } = await core.inject(input);
    const text = Buffer.from(bytes).toString('latin1');
    assert.ok(text === '' || /^HTTP\/1\.1 400 Bad Request\r\n/.test(text), `round ${round}: ${text.slice(0, 40)}`);
  }
});
