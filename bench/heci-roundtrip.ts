/**
 * HECI request/response round trips per second from a separate host process (host library →
 * device socket → host driver → circular buffers → bus → echo client → back) against a raw
 * Unix-socket ping-pong of the same payload between the same two processes, in the same run.
 * Goal: HECI ≥ 50% of raw. Prints a Markdown table.
 * Run: npx tsc -p . && node dist/bench/heci-roundtrip.js
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeciPlatform, MeiDevice, MeiDeviceServer } from '../src/heci/index.js';

const ECHO = 'be0c4000-0000-4000-8000-0000000000e1';
const SIZES = [64, 1024, 4096];
const ROUNDS = 5;
const WINDOW_MS = 400;

interface Rates { size: number; raw: number; heci: number }

/** Child: counts round trips for WINDOW_MS on each path, ROUNDS times alternating; reports medians. */
async function child(heciPath: string, rawPath: string): Promise<void> {
  const device = await MeiDevice.open(heciPath);
  await device.connect(ECHO);
  const raw = connect(rawPath);
  await new Promise((resolve) => raw.once('connect', resolve));
  const results: Rates[] = [];
  for (const size of SIZES) {
    const payload = new Uint8Array(size).fill(0x5a);
    const rawRates: number[] = [];
    const heciRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rawRates.push(await rate(() => rawPingPong(raw, payload)));
      heciRates.push(await rate(() => device.request(payload)));
    }
    results.push({ size, raw: median(rawRates), heci: median(heciRates) });
  }
  raw.end();
  await device.close();
  process.stdout.write(JSON.stringify(results));
}

async function rate(roundTrip: () => Promise<unknown>): Promise<number> {
  for (let warm = 0; warm < 200; warm++) await roundTrip();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < WINDOW_MS) {
    await roundTrip();
    count += 1;
  }
  return (count * 1000) / (performance.now() - start);
}

function rawPingPong(socket: Socket, payload: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (received < payload.length) return;
      socket.off('data', onData);
      resolve();
    };
    socket.on('data', onData);
    socket.write(payload);
  });
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** Parent: the platform (bus + device socket) and a raw echo socket, then one child process. */
async function parent(): Promise<void> {
  const directory = mkdtempSync(join(tmpdir(), 'vme-heci-bench-'));
  const heciPath = join(directory, 'mei0.sock');
  const rawPath = join(directory, 'raw.sock');
  const heci = new HeciPlatform();
  heci.bus.registerClient({ uuid: ECHO, name: 'echo', protocolVersion: 1, maxConnections: 1, maxMessageBytes: 4096, handler: { onMessage: (c, m) => c.send(m) } });
  await heci.start();
  const device = await MeiDeviceServer.listen(heciPath, heci.driver);
  const rawServer = createServer((socket) => socket.on('data', (chunk) => socket.write(chunk)));
  await new Promise<void>((resolve) => rawServer.listen(rawPath, resolve));
  try {
    const output = await runChild(heciPath, rawPath);
    printTable(JSON.parse(output) as Rates[]);
  } finally {
    await device.close();
    await new Promise((resolve) => rawServer.close(resolve));
    rmSync(directory, { recursive: true, force: true });
  }
}

function runChild(heciPath: string, rawPath: string): Promise<string> {
  const child = spawn(process.execPath, [...(process.env.VME_BENCH_CHILD_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.VME_BENCH_CHILD_PROFILE] : []), fileURLToPath(import.meta.url), 'child', heciPath, rawPath], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`bench child exited ${code}`)))));
}

function printTable(rows: Rates[]): void {
  const format = (value: number): string => Math.round(value).toLocaleString('en-US');
  console.log('| payload | raw Unix socket round trips/s | HECI request round trips/s | HECI ÷ raw |');
  console.log('|---|---|---|---|');
  for (const row of rows) console.log(`| ${row.size} B | ${format(row.raw)} | ${format(row.heci)} | ${((row.heci / row.raw) * 100).toFixed(0)}% |`);
  console.log(`\n(median of ${ROUNDS} windows of ${WINDOW_MS} ms each, one host process, Node ${process.version})`);
}

const [mode, heciPath = '', rawPath = ''] = process.argv.slice(2);
if (mode === 'child') await child(heciPath, rawPath);
else await parent();
