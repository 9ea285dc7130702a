// The RFB server from the client's side: handshake bytes for 3.3/3.7/3.8, VNC Authentication
// (right and wrong password), pixel formats, Raw and Hextile updates decoded back to the picture,
// incremental updates carrying only the dirty rectangles, events, malformed input, a seeded fuzz.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VmeError } from '../../common/errors.js';
import { vncAuthResponse } from './des.js';
import { RfbError } from './errors.js';
import { KeysymTranslator } from './keysym.js';
import { ENCODING } from './messages.js';
import { BGR233, DEFAULT_PIXEL_FORMAT, PixelConverter, RGB565, type PixelFormat } from './pixel-format.js';
import { RfbServer, type RfbEvent } from './server.js';
import { decodeUpdate, handshake, keyEvent, pointerEvent, sent, setEncodings, setPixelFormat, testFramebuffer, updateRequest } from './testing.js';

const CHALLENGE = Uint8Array.from({ length: 16 }, (_, i) => i);
const fixedRandom = (): Uint8Array => CHALLENGE.slice();
const closeOf = (events: readonly RfbEvent[]): RfbEvent | undefined => events.find((e) => e.type === 'close');

test('3.8 with security None: version, types [None], SecurityResult ok, ServerInit 32 bpp named vme', () => {
  const server = new RfbServer({ framebuffer: testFramebuffer(640, 400) });
  assert.equal(sent(server.start()).toString('latin1'), 'RFB 003.008\n');
  assert.deepEqual([...sent(server.receive(Buffer.from('RFB 003.008\n')))], [1, 1]);
  const result = server.receive(Uint8Array.of(1));
  assert.deepEqual([...sent(result)], [0, 0, 0, 0]);
  assert.ok(result.some((e) => e.type === 'authenticated'));
  const init = sent(server.receive(Uint8Array.of(1)));
  assert.equal(init.toString('hex'), '02800190' + '2018000100ff00ff00ff100800000000' + '00000003' + Buffer.from('vme').toString('hex'));
  assert.equal(server.phase, 'normal');
});

test('3.3 clients are told the security type as a word; 3.7 gets no SecurityResult for None', () => {
  const old = new RfbServer({ framebuffer: testFramebuffer() });
  old.start();
  const events = old.receive(Buffer.from('RFB 003.003\n'));
  assert.deepEqual([...sent(events)], [0, 0, 0, 1]);
  assert.equal(old.version, 3);
  assert.equal(old.phase, 'init');
  const seven = new RfbServer({ framebuffer: testFramebuffer() });
  seven.start();
  seven.receive(Buffer.from('RFB 003.007\n'));
  assert.deepEqual([...sent(seven.receive(Uint8Array.of(1)))], []);
  assert.equal(seven.phase, 'init');
  const odd = new RfbServer({ framebuffer: testFramebuffer() });
  odd.start();
  odd.receive(Buffer.from('RFB 003.005\n'));
  assert.equal(odd.version, 3, 'other 3.x minors are treated as 3.3');
});

test('VNC Authentication: the right response is accepted, a wrong one refused with a reason and closed', () => {
  for (const [password, ok] of [['Vme-Kvm1', true], ['wrong', false]] as const) {
    const server = new RfbServer({ framebuffer: testFramebuffer(), password: 'Vme-Kvm1', random: fixedRandom });
    server.start();
    assert.deepEqual([...sent(server.receive(Buffer.from('RFB 003.008\n')))], [1, 2]);
    assert.deepEqual([...sent(server.receive(Uint8Array.of(2)))], [...CHALLENGE]);
    const events = server.receive(vncAuthResponse(password, CHALLENGE));
    if (ok) {
      assert.deepEqual([...sent(events)], [0, 0, 0, 0]);
      assert.equal(server.phase, 'init');
      continue;
    }
    const reply = sent(events);
    assert.equal(reply.readUInt32BE(0), 1);
    assert.equal(reply.subarray(8).toString(), 'Authentication failed');
    assert.ok(events.some((e) => e.type === 'auth-failed') && closeOf(events));
    assert.deepEqual(server.receive(Uint8Array.of(1)), [], 'a closed session ignores input');
  }
});

test('VNC Authentication on 3.3: the type word then the challenge; failure has no reason string', () => {
  const server = new RfbServer({ framebuffer: testFramebuffer(), password: 'secret!A', random: fixedRandom });
  server.start();
  assert.deepEqual([...sent(server.receive(Buffer.from('RFB 003.003\n')))], [0, 0, 0, 2, ...CHALLENGE]);
  const events = server.receive(new Uint8Array(16));
  assert.deepEqual([...sent(events)], [0, 0, 0, 1]);
  assert.ok(closeOf(events));
});

test('a client choosing a type that was not offered is closed (None when a password is set)', () => {
  const server = new RfbServer({ framebuffer: testFramebuffer(), password: 'Vme-Kvm1' });
  server.start();
  server.receive(Buffer.from('RFB 003.008\n'));
  const events = server.receive(Uint8Array.of(1));
  assert.ok(closeOf(events));
  assert.equal(sent(events).readUInt32BE(0), 1);
  assert.notEqual(server.phase, 'init');
});

function picturesMatch(format: PixelFormat, encodings: number[]): void {
  const framebuffer = testFramebuffer(40, 36);
  framebuffer.pixels.forEach((_, i) => { framebuffer.pixels[i] = [0x000000, 0xffffff, 0xaa0000, 0x0000aa, 0x55ff55][(i * 7 + (i >> 5)) % 5 === 0 ? 2 : (i % 11 < 5 ? 0 : 1)] ?? 0; });
  for (let i = 0; i < 40 * 8; i++) framebuffer.pixels[i] = 0x0000aa; // single-colour tiles too
  framebuffer.pixels[3 * 40 + 30] = 0x55ff55; // a third colour in one tile
  const server = new RfbServer({ framebuffer });
  handshake(server);
  server.receive(setPixelFormat(format));
  server.receive(setEncodings(encodings));
  const update = sent(server.receive(updateRequest(false, 0, 0, 40, 36)));
  const picture = { width: 40, values: new Uint32Array(40 * 36) };
  decodeUpdate(update, picture, format.bitsPerPixel / 8, format.bigEndian);
  const converter = new PixelConverter(format);
  assert.deepEqual([...picture.values], [...framebuffer.pixels].map((rgb) => converter.value(rgb)));
}

test('Raw and Hextile updates decode back to the framebuffer in 32, 16 (both byte orders) and 8 bpp', () => {
  for (const encodings of [[ENCODING.raw], [ENCODING.hextile, ENCODING.raw], [ENCODING.zrle, ENCODING.hextile]]) {
    for (const format of [DEFAULT_PIXEL_FORMAT, RGB565, { ...RGB565, bigEndian: true }, BGR233, { ...DEFAULT_PIXEL_FORMAT, bigEndian: true }]) picturesMatch(format, encodings);
  }
});

test('pixel conversion: RGB565 white and red, BGR233 blue', () => {
  assert.equal(new PixelConverter(RGB565).value(0xffffff), 0xffff);
  assert.equal(new PixelConverter(RGB565).value(0xff0000), 0xf800);
  assert.equal(new PixelConverter(BGR233).value(0x0000ff), 0xc0);
});

test('incremental requests wait for a change and then carry only the dirty rectangles', () => {
  const framebuffer = testFramebuffer(640, 400);
  const server = new RfbServer({ framebuffer });
  handshake(server);
  server.receive(setEncodings([ENCODING.hextile]));
  const full = sent(server.receive(updateRequest(false, 0, 0, 640, 400)));
  const picture = { width: 640, values: new Uint32Array(640 * 400) };
  assert.equal(decodeUpdate(full, picture, 4).length, 10 * 7, 'the full screen in 64×64 pieces');
  assert.deepEqual(server.receive(updateRequest(true, 0, 0, 640, 400)), [], 'nothing changed: the request waits');
  assert.ok(server.waiting);
  for (let y = 16; y < 32; y++) for (let x = 80; x < 88; x++) framebuffer.pixels[y * 640 + x] = 0xffffff;
  const update = sent(server.invalidate([{ x: 80, y: 16, width: 8, height: 16 }]));
  assert.deepEqual(decodeUpdate(update, picture, 4).map(({ x, y, width, height }) => ({ x, y, width, height })), [{ x: 80, y: 16, width: 8, height: 16 }]);
  assert.equal(picture.values[20 * 640 + 84], 0xffffff);
  assert.ok(!server.waiting);
  assert.deepEqual(server.invalidate([{ x: 0, y: 0, width: 8, height: 16 }]), [], 'no request pending: kept for the next one');
  const next = sent(server.receive(updateRequest(true, 0, 0, 320, 200)));
  assert.deepEqual(decodeUpdate(next, picture, 4).map((r) => [r.x, r.y, r.width, r.height]), [[0, 0, 8, 16]]);
});

test('a request for part of the screen leaves the rest dirty', () => {
  const server = new RfbServer({ framebuffer: testFramebuffer(64, 64) });
  handshake(server);
  server.invalidate([{ x: 0, y: 0, width: 64, height: 64 }]);
  const left = sent(server.receive(updateRequest(true, 0, 0, 32, 64)));
  const picture = { width: 64, values: new Uint32Array(64 * 64) };
  assert.deepEqual(decodeUpdate(left, picture, 4).map((r) => [r.x, r.y, r.width, r.height]), [[0, 0, 32, 64]]);
  const right = sent(server.receive(updateRequest(true, 0, 0, 64, 64)));
  assert.deepEqual(decodeUpdate(right, picture, 4).map((r) => [r.x, r.y, r.width, r.height]), [[32, 0, 32, 64]]);
});

test('key, pointer and cut-text events; cut text is skipped across chunks without buffering', () => {
  const server = new RfbServer({ framebuffer: testFramebuffer() });
  handshake(server);
  const events = server.receive(Buffer.concat([keyEvent(0x61, true), Uint8Array.of(5, 1, 0, 10, 0, 20), Uint8Array.of(6, 0, 0, 0, 0, 0, 0, 10), Buffer.from('hello')]));
  assert.deepEqual(events, [{ type: 'key', keysym: 0x61, down: true }, { type: 'pointer', buttons: 1, x: 10, y: 20 }, { type: 'cut-text', length: 10 }]);
  assert.deepEqual(server.receive(Buffer.concat([Buffer.from('world'), keyEvent(0xff0d, false)])), [{ type: 'key', keysym: 0xff0d, down: false }]);
});

test('PointerEvent: position and button mask as sent; the far edge is clamped onto the last pixel; beyond it is malformed', () => {
  const server = new RfbServer({ framebuffer: testFramebuffer(640, 400) });
  handshake(server);
  assert.deepEqual(server.receive(Buffer.concat([pointerEvent(0, 0, 0), pointerEvent(0b101, 639, 399)])), [{ type: 'pointer', buttons: 0, x: 0, y: 0 }, { type: 'pointer', buttons: 5, x: 639, y: 399 }]);
  assert.deepEqual(server.receive(pointerEvent(0xff, 640, 400)), [{ type: 'pointer', buttons: 0xff, x: 639, y: 399 }]);
  assert.deepEqual(server.receive(pointerEvent(1, 3, 4).subarray(0, 5)), [], 'a partial message waits');
  assert.deepEqual(server.receive(Uint8Array.of(4)), [{ type: 'pointer', buttons: 1, x: 3, y: 4 }]);
  for (const [x, y] of [[641, 0], [0, 401], [0xffff, 0xffff]] as const) {
    const fresh = new RfbServer({ framebuffer: testFramebuffer(640, 400) });
    handshake(fresh);
    assert.throws(() => fresh.receive(pointerEvent(1, x, y)), (e: unknown) => e instanceof RfbError && e.code === 'VME_ERR_RFB_MALFORMED' && /outside the 640x400/.test(e.message));
  }
});

test('keysyms become the bytes the host keyboard takes', () => {
  const keys = new KeysymTranslator();
  const typed = (keysym: number, down = true): string => Buffer.from(keys.translate(keysym, down) ?? []).toString('latin1');
  assert.equal(typed(0x41), 'A');
  assert.equal(typed(0x41, false), '');
  assert.equal(typed(0xff0d), '\r');
  assert.equal(typed(0xff52), '\x1b[A');
  assert.equal(typed(0xffbe), '\x1bOP');
  assert.equal(typed(0xffe3), '');
  assert.equal(typed(0x70), '\x10', 'Ctrl-P, the MEBX hotkey');
  assert.equal(typed(0xffe3, false), '');
  assert.equal(typed(0x70), 'p');
  assert.equal(typed(0x20ac), '', 'non-Latin keysyms type nothing');
});

test('malformed input throws RfbError VME_ERR_RFB_MALFORMED', () => {
  const fresh = (): RfbServer => { const s = new RfbServer({ framebuffer: testFramebuffer() }); s.start(); return s; };
  assert.throws(() => fresh().receive(Buffer.from('GET / HTTP/1.')), (e: unknown) => e instanceof RfbError && e.code === 'VME_ERR_RFB_MALFORMED');
  assert.throws(() => fresh().receive(Buffer.from('RFB 004.000\n')), RfbError);
  const cases = [Uint8Array.of(9), setPixelFormat({ ...DEFAULT_PIXEL_FORMAT, bitsPerPixel: 24 as 32 }), setEncodings(new Array<number>(1025).fill(0))];
  const colourMap = Buffer.from(setPixelFormat(DEFAULT_PIXEL_FORMAT));
  colourMap[7] = 0;
  for (const bytes of [...cases, colourMap]) {
    const server = new RfbServer({ framebuffer: testFramebuffer() });
    handshake(server);
    assert.throws(() => server.receive(bytes), RfbError);
  }
});

test('seeded fuzz: random client bytes give events or RfbError, never another exception', () => {
  let seed = 0x6b766d;
  const next = (): number => { seed = (seed * 1103515245 + 12345) >>> 0; return seed >>> 16; };
  for (let round = 0; round < 300; round++) {
    const server = new RfbServer({ framebuffer: testFramebuffer(32, 32), ...(round % 3 === 0 ? { password: 'Vme-Kvm1' } : {}) });
    server.start();
    if (round % 2 === 0) handshake(server);
    const known = [0, 2, 3, 4, 5, 6];
    try {
      for (let chunk = 0; chunk < 8; chunk++) {
        const length = 1 + (next() % 40);
        const bytes = Uint8Array.from({ length }, (_, i) => (i === 0 && next() % 2 === 0 ? known[next() % known.length]! : next() & 0xff));
        server.receive(bytes);
      }
    } catch (error) {
      assert.ok(error instanceof VmeError && error.code === 'VME_ERR_RFB_MALFORMED', String(error));
    }
  }
});
