/**
 * Benchmark: DMA copy throughput (host → engine and engine → host, no modelled latency) against
 * Buffer.copy of the same size in the same run. The DMA path adds the grant checks, the buffer
 * loan, a promise, and the page-by-page copy out of sparse host DRAM.
 * Run: npx tsc -p . && node dist/bench/devices-dma.js
 */
import { randomBytes } from 'node:crypto';
import { loadavg } from 'node:os';
import { measure, printTable, type Summary } from './lib/measure.js';
import { DmaEngine, engineRange, UntrustedHostRange } from '../src/devices/dma.js';
import { HostDram } from '../src/devices/host-dram.js';
import { Sram } from '../src/devices/sram.js';

const SIZES = [4 * 1024, 64 * 1024, 512 * 1024];
const BASE = 0x100000;

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
  const dram = new HostDram();
  dram.write(BASE, randomBytes(1024 * 1024));
  const sram = new Sram(1024 * 1024);
  const buffer = sram.allocateBuffer('bench', 512 * 1024);
  const channel = new DmaEngine({ dram }).createChannel('bench', {
    hostWindows: [{ base: BASE, length: 1024 * 1024, direction: 'both' }],
    engineBuffers: [buffer],
  });
  const source = randomBytes(512 * 1024);
  const target = Buffer.alloc(512 * 1024);
  const lines = ['| size | Buffer.copy MB/s | DMA host→engine MB/s | ÷ Buffer.copy | DMA engine→host MB/s | ÷ Buffer.copy |', '|---|---|---|---|---|---|'];
  const rows: Summary[] = [];
  for (const size of SIZES) {
    const runs = Math.max(200, Math.round((256 * 1024 * 1024) / size));
    const label = `${size / 1024} KiB`;
    const host = UntrustedHostRange.allege(BASE, size);
    const copy = await measure(`Buffer.copy ${label}`, () => source.copy(target, 0, 0, size), runs, 50);
    const inbound = await measure(`DMA host→engine ${label}`, () => channel.hostToEngine(host, engineRange(buffer, 0, size)), runs, 50);
    const outbound = await measure(`DMA engine→host ${label}`, () => channel.engineToHost(engineRange(buffer, 0, size), host), runs, 50);
    rows.push(copy, inbound, outbound);
    const rate = (s: Summary): number => size / 1e6 / (s.medianMs / 1000);
    const ratio = (s: Summary): string => `${((100 * copy.medianMs) / s.medianMs).toFixed(0)}%`;
    lines.push(`| ${label} | ${rate(copy).toFixed(0)} | ${rate(inbound).toFixed(0)} | ${ratio(inbound)} | ${rate(outbound).toFixed(0)} | ${ratio(outbound)} |`);
  }
  printTable(rows);
  console.log('');
  console.log(lines.join('\n'));
}

await main();
