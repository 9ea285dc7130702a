/**
 * Benchmark: the DMA → decrypt → parse pipeline, sequential vs overlapped, for n = 4, 16, 64 chunks
 * with balanced stages of STAGE_MS each (default 10): the parse stage is a real checksum plus
 * main-thread work up to STAGE_MS (a fixed cost: calibrating a pure checksum proved unstable on a
 * shared VM); the DMA and crypto engines get throughput models of STAGE_MS per chunk (the crypto
 * engine also does its real AES-GCM work on the libuv thread pool). Prints the measured speed-up
 * beside the slot model's 3n / (n + 2), and an untimed real-work-only run for reference.
 * Run: npx tsc -p . && node dist/bench/devices-pipeline.js
 */
import { loadavg } from 'node:os';
import { measure, printTable, type Summary } from './lib/measure.js';
import { pipelineFixture } from '../src/devices/pipeline-fixture.js';
import { runOverlapped, runSequential } from '../src/devices/pipeline.js';

const CHUNK_BYTES = 256 * 1024;
const STAGE_MS = Number(process.env.STAGE_MS ?? 10);

async function scheduleRows(count: number, timed: boolean): Promise<[Summary, Summary]> {
  const rate = (CHUNK_BYTES + 16) / STAGE_MS;
  const setup = await pipelineFixture({
    count, chunkBytes: CHUNK_BYTES,
    ...(timed ? { parseMilliseconds: STAGE_MS, dmaThroughput: { bytesPerMillisecond: rate }, cryptoThroughput: { bytesPerMillisecond: rate } } : {}),
  });
  const runs = count >= 64 ? 5 : 10;
  const label = timed ? `n=${count}` : `n=${count} untimed`;
  const sequential = await measure(`sequential ${label}`, () => runSequential(setup), runs, 1);
  const overlapped = await measure(`overlapped ${label}`, () => runOverlapped(setup), runs, 1);
  return [sequential, overlapped];
}

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; chunk ${CHUNK_BYTES / 1024} KiB; every stage ${STAGE_MS} ms per chunk (parse: checksum + main-thread work to ${STAGE_MS} ms; DMA and crypto: throughput models)\n`);
  const rows: Summary[] = [];
  const speedups: string[] = ['| n | sequential median ms | overlapped median ms | measured speed-up | slot model 3n/(n+2) | measured ÷ model |', '|---|---|---|---|---|---|'];
  for (const count of [4, 16, 64]) {
    const [sequential, overlapped] = await scheduleRows(count, true);
    rows.push(sequential, overlapped);
    const measured = sequential.medianMs / overlapped.medianMs;
    const model = (3 * count) / (count + 2);
    speedups.push(`| ${count} | ${sequential.medianMs.toFixed(1)} | ${overlapped.medianMs.toFixed(1)} | ${measured.toFixed(2)}× | ${model.toFixed(2)}× | ${(measured / model).toFixed(2)} |`);
  }
  const [sequential, overlapped] = await scheduleRows(64, false);
  rows.push(sequential, overlapped);
  printTable(rows);
  console.log('');
  console.log(speedups.join('\n'));
  console.log(`\nuntimed (real work only, 1 parse pass, n=64): overlapped ÷ sequential median = ${(overlapped.medianMs / sequential.medianMs).toFixed(2)}`);
}

await main();
