// An RFB session's pointer path: PointerEvents reach the source's pointer with the client's values
// (only changes, at most the per-second budget, clicks kept in order), a malformed PointerEvent
// ends the connection, and a source without a pointer just ignores them. The limiter alone too.
import assert from 'node:assert/strict';
import { Duplex, PassThrough } from 'node:stream';
import { test } from 'node:test';
import { TextFramebuffer } from '../../host/framebuffer.js';
import type { PointerEvent } from '../../host/pointer.js';
import { pointerEvent } from '../../protocols/rfb/testing.js';
import { PointerLimiter } from './pointer-limit.js';
import { ScreenFeed } from './screen-feed.js';
import { hostScreenSource, type ScreenSource } from './screen-source.js';
import { serveRfbStream } from './session.js';

/** The client's writable end and the server's end of one in-memory connection. */
function connection(): { client: PassThrough; server: Duplex; received: () => Buffer } {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const chunks: Buffer[] = [];
  toClient.on('data', (chunk: Buffer) => chunks.push(chunk));
  const server = Duplex.from({ readable: toServer, writable: toClient });
  return { client: toServer, server, received: () => Buffer.concat(chunks) };
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await wait(5);
  }
}

/** Handshake (3.8, None, ClientInit) then `bytes`; returns what the source saw and the session's events. */
async function session(source: ScreenSource, bytes: Uint8Array, perSecond?: number) {
  const feed = new ScreenFeed(source, 1000);
  const { client, server, received } = connection();
  const events: string[] = [];
  const done = serveRfbStream(server, feed, { onEvent: (kind) => events.push(kind), ...(perSecond !== undefined ? { pointerPerSecond: perSecond } : {}) });
  client.write(Buffer.from('RFB 003.008\n'));
  client.write(Uint8Array.of(1));
  client.write(Uint8Array.of(1));
  await until(() => received().length >= 12 + 2 + 4 + 24 + 3, 'ServerInit');
  client.write(bytes);
  return { events, done, close: () => { server.destroy(); feed.stop(); } };
}

function recordingSource(): { source: ScreenSource; seen: PointerEvent[] } {
  const screen = new TextFramebuffer();
  const seen: PointerEvent[] = [];
  const host = { screen, keyboard: { press: (keys: Uint8Array) => keys.length }, pointer: (event: PointerEvent) => { seen.push({ x: event.x, y: event.y, buttons: event.buttons }); return true; } };
  return { source: hostScreenSource(host), seen };
}

test('PointerEvents reach the source pointer with the client values; repeats are dropped; the edge is clamped', async () => {
  const { source, seen } = recordingSource();
  const bytes = Buffer.concat([pointerEvent(0, 10, 20), pointerEvent(0, 10, 20), pointerEvent(1, 10, 20), pointerEvent(0, 10, 20), pointerEvent(4, 640, 400)]);
  const run = await session(source, bytes);
  await until(() => seen.length >= 4, 'four pointer events');
  assert.deepEqual(seen, [{ x: 10, y: 20, buttons: 0 }, { x: 10, y: 20, buttons: 1 }, { x: 10, y: 20, buttons: 0 }, { x: 639, y: 399, buttons: 4 }]);
  run.close();
  await run.done;
});

test('a PointerEvent outside the framebuffer ends the session as malformed; nothing reaches the pointer', async () => {
  const { source, seen } = recordingSource();
  const run = await session(source, pointerEvent(1, 700, 10));
  await run.done;
  assert.deepEqual([run.events.includes('malformed'), seen.length], [true, 0]);
});

test('a flood of PointerEvents reaches the source at most at the per-second budget, the last position last', async () => {
  const { source, seen } = recordingSource();
  const times: number[] = [];
  const original = source.pointer?.bind(source);
  source.pointer = (event) => { times.push(performance.now()); return original?.(event); };
  const flood = Buffer.concat(Array.from({ length: 500 }, (_, index) => pointerEvent(0, index % 640, index % 400)));
  const run = await session(source, flood, 20);
  await until(() => seen.length >= 21, 'the next window');
  assert.ok((times[20] ?? 0) - (times[0] ?? 0) >= 950, 'the 21st waited for the next second');
  assert.deepEqual(seen.at(-1), { x: 499, y: 99, buttons: 0 }, 'queued moves merged into the latest');
  run.close();
  await run.done;
});

test('a source without a pointer ignores PointerEvents', async () => {
  const source: ScreenSource = { frame: () => undefined, press: () => 0 };
  const run = await session(source, pointerEvent(1, 5, 5));
  await wait(50);
  assert.deepEqual(run.events, ['authenticated']);
  run.close();
  await run.done;
});

test('PointerLimiter: budget per window, moves merge, clicks keep order, a full queue drops the newest', () => {
  let now = 0;
  const out: PointerEvent[] = [];
  const limiter = new PointerLimiter((event) => out.push(event), { perSecond: 2, maxQueued: 3, now: () => now });
  const at = (x: number, buttons = 0): PointerEvent => ({ x, y: 0, buttons });
  limiter.offer(at(1));
  limiter.offer(at(1));
  limiter.offer(at(2));
  limiter.offer(at(3));
  limiter.offer(at(4));
  assert.deepEqual([out.length, limiter.queued], [2, 1], 'two sent, the moves after merged into one');
  limiter.offer(at(4, 1));
  limiter.offer(at(4, 0));
  limiter.offer(at(5, 0)); // after a release a move cannot merge: the queue is full
  assert.deepEqual([limiter.queued, limiter.dropped], [3, 1]);
  now = 1000;
  limiter.offer(at(6, 1));
  assert.deepEqual(out.map((e) => [e.x, e.buttons]), [[1, 0], [2, 0], [4, 0], [4, 1]]);
  assert.equal(limiter.queued, 2);
  now = 2000;
  limiter.offer(at(7, 0));
  assert.deepEqual(out.map((e) => [e.x, e.buttons]).slice(4), [[4, 0], [6, 1]]);
  assert.deepEqual([limiter.queued, limiter.dropped], [1, 1]);
  limiter.close();
});
