/**
 * KVM frame rate: how many FramebufferUpdates per second the RFB path produces for the host's text
 * screen — host screen changed → ScreenFeed refresh (read cells, redraw changed glyphs) → RfbServer
 * answers a waiting incremental request (Raw or Hextile, 32 bpp) — for a full-screen change and
 * for a one-cell change, beside a baseline in the same process: a bare Raw update of the same
 * pixels (header + one copy of the 32-bpp picture, no rendering, no dirty tracking).
 *   node dist/bench/kvm-rfb.js [--seconds N]
 */
import { hostScreenSource, ScreenFeed } from '../src/amt/kvm/index.js';
import { TextFramebuffer } from '../src/host/framebuffer.js';
import { Keyboard } from '../src/host/keyboard.js';
import { ENCODING, FRAMEBUFFER_UPDATE, RECTANGLE } from '../src/protocols/rfb/messages.js';
import { RfbServer } from '../src/protocols/rfb/server.js';
import { handshake, sent, setEncodings, updateRequest } from '../src/protocols/rfb/testing.js';

const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 2;

interface Row { readonly name: string; readonly fps: number; readonly bytes: number }

async function measure(name: string, frame: (n: number) => Promise<number> | number): Promise<Row> {
  const end = performance.now() + seconds * 1000;
  let frames = 0;
  let bytes = 0;
  while (performance.now() < end) bytes += await frame(frames++);
  return { name, fps: frames / seconds, bytes: bytes / frames };
}

const FULL_A = 'The quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ'.slice(0, 80);
const FULL_B = FULL_A.split('').reverse().join('');

async function rfbPath(encoding: number, change: 'full' | 'cell'): Promise<(n: number) => Promise<number>> {
  const screen = new TextFramebuffer();
  const feed = new ScreenFeed(hostScreenSource({ screen, keyboard: new Keyboard() }));
  await feed.refresh();
  const server = new RfbServer({ framebuffer: feed.renderer });
  handshake(server);
  server.receive(setEncodings([encoding]));
  sent(server.receive(updateRequest(false, 0, 0, 640, 400)));
  let out = 0;
  feed.subscribe((rects) => { out = sent(server.invalidate(rects)).length; });
  return async (n) => {
    server.receive(updateRequest(true, 0, 0, 640, 400));
    if (change === 'full') for (let row = 0; row < 25; row++) screen.putText(row, 0, n % 2 ? FULL_A : FULL_B, 0x07 + (n % 2) * 0x10);
    else screen.putText(12, 40, String.fromCharCode(0x21 + (n % 90)));
    out = 0;
    await feed.refresh();
    if (out === 0) throw new Error('no update produced');
    feed.stop();
    return out;
  };
}

/** The baseline: a Raw FramebufferUpdate of the whole picture, already in 32-bpp little-endian. */
function rawBaseline(region: { width: number; height: number }): (n: number) => number {
  const pixels = new Uint32Array(640 * 400).fill(0xaaaaaa);
  return (n) => {
    pixels[n % pixels.length] = n;
    const header = FRAMEBUFFER_UPDATE.serialize({ type: 0, padding: 0, rectangles: 1 });
    const rect = RECTANGLE.serialize({ x: 0, y: 0, ...region, encoding: ENCODING.raw });
    const body = region.width === 640 ? new Uint8Array(pixels.buffer) : new Uint8Array(pixels.buffer, 0, region.width * region.height * 4);
    return Buffer.concat([header, rect, body]).length;
  };
}

const rows: [Row, Row][] = [];
for (const change of ['full', 'cell'] as const) {
  const baseline = await measure(`baseline: bare Raw update (${change === 'full' ? '640×400' : '8×16'})`, rawBaseline(change === 'full' ? { width: 640, height: 400 } : { width: 8, height: 16 }));
  for (const encoding of [ENCODING.raw, ENCODING.hextile]) {
    const name = `${change === 'full' ? 'full-screen change' : 'one-cell change'}, ${encoding === ENCODING.raw ? 'Raw' : 'Hextile'}`;
    rows.push([await measure(name, await rfbPath(encoding, change)), baseline]);
  }
}

console.log(`KVM RFB frames per second (${seconds} s per row, Node ${process.version})`);
console.log('| path | frames/s | bytes/frame | baseline frames/s | ratio |');
console.log('|---|---:|---:|---:|---:|');
for (const [row, base] of rows) console.log(`| ${row.name} | ${row.fps.toFixed(0)} | ${row.bytes.toFixed(0)} | ${base.fps.toFixed(0)} | ${(row.fps / base.fps).toFixed(3)} |`);
