/**
 * Serial-over-LAN on a booted Machine (issue 6 §5): throughput (the host's serial output → the
 * console, bytes/s) and keystroke round trip (the console types a byte → the simulated OS shell
 * echoes it on the host UART → the console sees it; p50/p99), through the AMT app's redirection
 * service on 16994 (activated in client control mode, SOL enabled, consent given as
 * test/redirection-sol.test.ts does; amtterm's SOL settings: 1000-byte frames). Baseline in the
 * same run and process: a plain TCP server on loopback, streaming the same chunks under the same
 * window and echoing single bytes.
 *   node dist/bench/redirection-sol.js [--seconds N]
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomInt } from 'node:crypto';
import { bootSolPlatform, grantConsent, hostUart, SolConsole } from '../test/support/sol-platform.js';

const USAGE = `usage: node dist/bench/redirection-sol.js [--seconds N]
  SOL throughput and keystroke round trip through a booted machine's redirection port (16994),
  beside a plain TCP loopback baseline; N seconds per measurement (default 3).`;
if (process.argv.includes('--help') || process.argv.includes('-h')) {
  console.log(USAGE);
  process.exit(0);
}
const seconds = Number(process.argv[process.argv.indexOf('--seconds') + 1]) || 3;
/** Bytes per host write, and the most sent but not yet seen by the console (below the serial relay's 64 KiB backlog: nothing is dropped). */
const CHUNK = 4096;
const WINDOW = 32 * 1024;

interface Receiver {
  /** Bytes the console has received so far. */
  readonly received: () => number;
  /** Resolves at the next bytes the console receives. */
  readonly next: () => Promise<Uint8Array>;
}

interface Row { readonly name: string; readonly bytesPerSecond: number; readonly p50: number; readonly p99: number; readonly samples: number }

/** A receiver over a callback slot: `feed` is what the transport calls with each arrival. */
function receiver(): Receiver & { feed(bytes: Uint8Array): void } {
  let total = 0;
  let waiting: ((bytes: Uint8Array) => void)[] = [];
  return {
    received: () => total,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    feed(bytes) {
      total += bytes.length;
      const now = waiting;
      waiting = [];
      for (const resolve of now) resolve(bytes);
    },
  };
}

/** Bytes/s the console receives while `send` keeps at most WINDOW bytes outstanding. */
async function throughput(send: (chunk: Uint8Array) => void, rx: Receiver): Promise<number> {
  const chunk = new Uint8Array(CHUNK).fill(0x2e);
  const base = rx.received();
  const start = performance.now();
  const end = start + seconds * 1000;
  let sent = 0;
  while (performance.now() < end) {
    while (sent - (rx.received() - base) < WINDOW) {
      send(chunk);
      sent += CHUNK;
    }
    await rx.next();
  }
  return (rx.received() - base) / ((performance.now() - start) / 1000);
}

/** Round trips of `type(byte)` until `byte` comes back, for `seconds`: sorted milliseconds. */
async function roundTrips(type: (byte: number) => void, rx: Receiver): Promise<number[]> {
  const samples: number[] = [];
  const end = performance.now() + seconds * 1000;
  for (let n = 0; performance.now() < end; n++) {
    const byte = n % 2 === 0 ? 0x78 : 0x7f; // 'x', then a backspace: the shell's line stays empty
    const want = byte === 0x78 ? 0x78 : 0x08;
    const t0 = performance.now();
    type(byte);
    for (;;) if ((await rx.next()).includes(want)) break;
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b);
}

const quantile = (sorted: number[], q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const row = (name: string, bytesPerSecond: number, rtt: number[]): Row => ({ name, bytesPerSecond, p50: quantile(rtt, 0.5), p99: quantile(rtt, 0.99), samples: rtt.length });

async function solRow(): Promise<Row> {
  const platform = await bootSolPlatform(`127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`);
  try {
    await grantConsent(platform);
    const sol = await SolConsole.open(platform.address);
    const rx = receiver();
    sol.onData = (bytes) => rx.feed(bytes);
    const statuses = await sol.startSol();
    if (statuses.join() !== '0,0,0') throw new Error(`SOL refused: ${statuses.join()}`);
    await new Promise((resolve) => setTimeout(resolve, 300)); // the device holds host data 100 ms after StartSOL
    const uart = hostUart(platform.machine);
    const rate = await throughput((chunk) => uart.transmit(chunk), rx);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const rtt = await roundTrips((byte) => sol.type(Uint8Array.of(byte)), rx);
    sol.close();
    return row('SOL on 16994 (booted machine, simulated OS echo)', rate, rtt);
  } finally {
    await platform.close();
  }
}

async function baselineRow(): Promise<Row> {
  let mode: 'stream' | 'echo' = 'stream';
  let serverSide: Socket | undefined;
  const server: Server = createServer((socket) => {
    serverSide = socket;
    socket.setNoDelay(true);
    socket.on('data', (bytes: Buffer) => mode === 'echo' && socket.write(bytes));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const client = connect({ host: '127.0.0.1', port: typeof address === 'object' && address ? address.port : 0 });
  client.setNoDelay(true);
  await new Promise((resolve) => client.once('connect', resolve));
  const rx = receiver();
  client.on('data', (bytes: Buffer) => rx.feed(bytes));
  while (serverSide === undefined) await new Promise((resolve) => setTimeout(resolve, 5));
  const peer = serverSide;
  try {
    const rate = await throughput((chunk) => peer.write(chunk), rx);
    await new Promise((resolve) => setTimeout(resolve, 200));
    mode = 'echo';
    const rtt = await roundTrips((byte) => client.write(Uint8Array.of(byte === 0x7f ? 0x08 : byte)), rx);
    return row('baseline: plain TCP over loopback (same process)', rate, rtt);
  } finally {
    client.destroy();
    peer.destroy();
    server.close();
  }
}

const baseline = await baselineRow();
const sol = await solRow();
const fmt = (n: number, digits = 3): string => n.toFixed(digits);
console.log(`SOL throughput and keystroke round trip (${seconds} s per measurement, ${CHUNK}-byte host writes, ${WINDOW / 1024} KiB window, Node ${process.version})`);
console.log('| path | throughput bytes/s | round trip p50 ms | p99 ms | round trips |');
console.log('|---|---:|---:|---:|---:|');
for (const r of [baseline, sol]) console.log(`| ${r.name} | ${Math.round(r.bytesPerSecond).toLocaleString('en')} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.samples} |`);
console.log(`| ratio SOL ÷ baseline | ${fmt(sol.bytesPerSecond / baseline.bytesPerSecond)} | ${fmt(sol.p50 / baseline.p50, 1)}× | ${fmt(sol.p99 / baseline.p99, 1)}× | |`);
