/**
 * Benchmark: the DMA → decrypt → parse pipeline, sequential vs overlapped, for n = 4, 16, 64 chunks
 * with balanced stages. The parse stage is real work on the main thread, calibrated to a target
 * time per chunk; the DMA and crypto engines are given throughput models of the same time per
 * chunk (the crypto engine also does its real AES-GCM work on the libuv thread pool). Prints the
 * measured speed-up beside the slot model's 3n / (n + 2).
 * Run: npx tsc -p . && node dist/bench/devices-pipeline.js
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { measure, printTable, type Summary } from './lib/measure.js';
import { checksum, pipelineFixture } from '../src/devices/pipeline-fixture.js';
import { runOverlapped, runSequential } from '../src/devices/pipeline.js';

const CHUNK_BYTES = 256 * 1024;
const STAGE_MS = Number(process.env.STAGE_MS ?? 10);

/**
 * Parse passes so that the parse stage takes about STAGE_MS per chunk *inside an overlapped run*
 * (same JIT and cache state as the measurement): run, time each parse, adjust, repeat.
 */
async function calibrateParsePasses(): Promise<number> {
  const rate = (CHUNK_BYTES + 16) / STAGE_MS;
  const setup = await pipelineFixture({ count: 12, chunkBytes: CHUNK_BYTES, dmaThroughput: { bytesPerMillisecond: rate }, cryptoThroughput: { bytesPerMillisecond: rate } });
  let passes = 1;
  const times: number[] = [];
  const timedParse = (plaintext: Uint8Array): number => {
    const t0 = performance.now();
    const result = checksum(plaintext, passes);
    times.push(performance.now() - t0);
    return result;
  };
  for (let round = 0; round < 8; round++) {
    times.length = 0;
    await runOverlapped({ ...setup, parse: timedParse });
    const median = times.sort((a, b) => a - b)[times.length >> 1] ?? STAGE_MS;
    passes = Math.max(1, Math.round((passes * STAGE_MS) / median));
  }
  return passes;
}

async function scheduleRows(count: number, passes: number, timed: boolean): Promise<[Summary, Summary]> {
  const rate = (CHUNK_BYTES + 16) / STAGE_MS;
  const setup = await pipelineFixture({
    count, chunkBytes: CHUNK_BYTES, parsePasses: passes,
    ...(timed ? { dmaThroughput: { bytesPerMillisecond: rate }, cryptoThroughput: { bytesPerMillisecond: rate } } : {}),
  });
  const runs = count >= 64 ? 5 : 10;
  const label = timed ? `n=${count}` : `n=${count} untimed`;
  const sequential = await measure(`sequential ${label}`, () => runSequential(setup), runs, 1);
  const overlapped = await measure(`overlapped ${label}`, () => runOverlapped(setup), runs, 1);
  return [sequential, overlapped];
}

async function main(): Promise<void> {
  const passes = await calibrateParsePasses();
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}; chunk ${CHUNK_BYTES / 1024} KiB, stage target ${STAGE_MS} ms (parse: ${passes} checksum passes; DMA and crypto modelled at ${STAGE_MS} ms per chunk)\n`);
  const rows: Summary[] = [];
  const speedups: string[] = ['| n | sequential median ms | overlapped median ms | measured speed-up | slot model 3n/(n+2) | measured ÷ model |', '|---|---|---|---|---|---|'];
  for (const count of [4, 16, 64]) {
    const [sequential, overlapped] = await scheduleRows(count, passes, true);
    rows.push(sequential, overlapped);
    const measured = sequential.medianMs / overlapped.medianMs;
    const model = (3 * count) / (count + 2);
    speedups.push(`| ${count} | ${sequential.medianMs.toFixed(1)} | ${overlapped.medianMs.toFixed(1)} | ${measured.toFixed(2)}× | ${model.toFixed(2)}× | ${(measured / model).toFixed(2)} |`);
  }
  const [sequential, overlapped] = await scheduleRows(64, 1, false);
  rows.push(sequential, overlapped);
  printTable(rows);
  console.log('');
  console.log(speedups.join('\n'));
  console.log(`\nuntimed (real work only, 1 parse pass, n=64): overlapped ÷ sequential median = ${(overlapped.medianMs / sequential.medianMs).toFixed(2)}`);
}

await main();
