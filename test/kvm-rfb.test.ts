// KVM through a real VNC client: Debian's vncsnapshot (TightVNC viewer, RFB 3.3) screenshots a
// SimulatedHost's text screen served by listenRfb, with security None and with VNC Authentication
// (a wrong password refused); djpeg (libjpeg-turbo-progs) decodes the JPEG and the test checks
// which 8×16 cells have ink. A raw socket client checks incremental updates and key input.
// Needs the Debian packages vncsnapshot and libjpeg-turbo-progs (scripts/install-test-deps.sh).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { listenRfb } from '../src/amt/kvm/index.js';
import { testHost } from '../src/host/testing.js';
import { decodeUpdate, keyEvent, setEncodings, updateRequest } from '../src/protocols/rfb/testing.js';
import { decodeJpeg, inkedCells, runTool, vncPasswordFile, type ToolRun } from './support/vnc-peer.js';

const dir = mkdtempSync(join(tmpdir(), 'vme-kvm-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const PASSWORD = 'Vme-Kvm1';
const TEXT = 'Hello from the vme host';

const passwordFile = (name: string, password: string): string => vncPasswordFile(join(dir, name), password);

function hostWithText(): ReturnType<typeof testHost>['host'] {
  const { host } = testHost();
  host.screen.putText(2, 4, TEXT, 0x0f);
  host.screen.putText(20, 70, 'END', 0x1e);
  return host;
}

async function screenshot(port: number, name: string, extra: string[] = []): Promise<ToolRun & { path: string }> {
  const path = join(dir, name);
  const result = await runTool('vncsnapshot', [...extra, `127.0.0.1::${port}`, path], 'vncsnapshot');
  return { ...result, path };
}

function checkImage(image: { width: number; height: number; rgb: Buffer }): void {
  assert.deepEqual([image.width, image.height], [640, 400]);
  const expected = Array.from({ length: 40 }, (_, column) => column >= 4 && column < 4 + TEXT.length && TEXT[column - 4] !== ' ');
  assert.deepEqual(inkedCells(image, 2, 40), expected, 'ink exactly where the text has characters');
  assert.deepEqual(inkedCells(image, 10, 80), new Array<boolean>(80).fill(false), 'a blank row is blank');
  assert.deepEqual(inkedCells(image, 20, 80).slice(68, 75), [false, false, true, true, true, false, false]);
}

test('vncsnapshot (security None) sees the host text, with Raw and with Hextile', { timeout: 60_000 }, async () => {
  const listener = await listenRfb({ host: hostWithText() });
  try {
    for (const [name, extra] of [['raw.jpg', []], ['hextile.jpg', ['-encodings', 'hextile']]] as const) {
      const shot = await screenshot(listener.port, name, [...extra]);
      assert.equal(shot.code, 0, shot.output);
      assert.match(shot.output, /Desktop name "vme"/);
      checkImage(await decodeJpeg(shot.path));
    }
  } finally {
    await listener.close();
  }
});

test('vncsnapshot with VNC Authentication: the right password gets the screen, a wrong one is refused', { timeout: 60_000 }, async () => {
  const events: string[] = [];
  const listener = await listenRfb({ host: hostWithText(), password: PASSWORD, onEvent: (kind) => events.push(kind) });
  try {
    const good = await screenshot(listener.port, 'good.jpg', ['-passwd', passwordFile('good.pw', PASSWORD)]);
    assert.equal(good.code, 0, good.output);
    assert.match(good.output, /VNC authentication succeeded/);
    checkImage(await decodeJpeg(good.path));
    const bad = await screenshot(listener.port, 'bad.jpg', ['-passwd', passwordFile('bad.pw', 'Wrong-1x')]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.output, /VNC authentication failed/);
    assert.equal(existsSync(bad.path), false);
    assert.ok(events.includes('authenticated') && events.includes('auth-failed'), events.join(','));
  } finally {
    await listener.close();
  }
});

/** A minimal RFB 3.8 client on a socket: reads exact byte counts. */
function rawClient(port: number): { read(n: number): Promise<Buffer>; write(bytes: Uint8Array): void; close(): void } {
  const socket = connect(port, '127.0.0.1');
  let buffer = Buffer.alloc(0);
  let waiter: (() => void) | undefined;
  socket.on('data', (chunk) => { buffer = Buffer.concat([buffer, chunk]); waiter?.(); });
  return {
    async read(n) {
      const deadline = Date.now() + 15_000;
      while (buffer.length < n) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${n} bytes (have ${buffer.length})`);
        await new Promise<void>((resolve) => { waiter = resolve; setTimeout(resolve, 200); });
      }
      const out = buffer.subarray(0, n);
      buffer = buffer.subarray(n);
      return out;
    },
    write: (bytes) => socket.write(bytes),
    close: () => socket.destroy(),
  };
}

test('a raw client: only the changed cell comes as an incremental update; key events reach the host keyboard', { timeout: 30_000 }, async () => {
  const host = hostWithText();
  const listener = await listenRfb({ host, pollMs: 20 });
  const client = rawClient(listener.port);
  try {
    assert.equal((await client.read(12)).toString(), 'RFB 003.008\n');
    client.write(Buffer.from('RFB 003.008\n'));
    assert.deepEqual([...(await client.read(2))], [1, 1]);
    client.write(Uint8Array.of(1));
    assert.deepEqual([...(await client.read(4))], [0, 0, 0, 0]);
    client.write(Uint8Array.of(1));
    await client.read(24 + 3);
    client.write(setEncodings([0]));
    client.write(updateRequest(false, 0, 0, 640, 400));
    const picture = { width: 640, values: new Uint32Array(640 * 400) };
    decodeUpdate(await client.read(4 + 70 * 12 + 640 * 400 * 4), picture, 4);
    assert.equal(picture.values.some((v) => v === 0xffffff), true, 'white text in the first frame');
    client.write(updateRequest(true, 0, 0, 640, 400));
    host.screen.putText(12, 40, 'X', 0x0f);
    const rects = decodeUpdate(await client.read(4 + 12 + 8 * 16 * 4), picture, 4);
    assert.deepEqual(rects.map((r) => [r.x, r.y, r.width, r.height]), [[320, 192, 8, 16]]);
    host.keyboard.take();
    client.write(Buffer.concat([keyEvent(0xffe3, true), keyEvent(0x70, true), keyEvent(0x70, false), keyEvent(0xffe3, false), keyEvent(0x61, true), keyEvent(0xff0d, true)]));
    const deadline = Date.now() + 10_000;
    let typed = '';
    while (typed.length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      typed += Buffer.from(host.keyboard.take()).toString('latin1');
    }
    assert.equal(typed, '\x10a\r');
  } finally {
    client.close();
    await listener.close();
  }
});
