/** Benchmark helpers: time a function many times, summarise, and print a Markdown table. */
import { performance } from 'node:perf_hooks';

export interface Summary {
  name: string;
  runs: number;
  medianMs: number;
  p99Ms: number;
  meanMs: number;
  minMs: number;
}

/** Runs `fn` `warmup` times untimed, then `runs` times timed; returns per-call statistics. */
export async function measure(name: string, fn: () => unknown, runs = 200, warmup = 20): Promise<Summary> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number): number => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))] ?? NaN;
  return {
    name, runs,
    medianMs: at(0.5), p99Ms: at(0.99), minMs: samples[0] ?? NaN,
    meanMs: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

/** Prints rows as a Markdown table; `ratioTo` adds a column "× baseline" (median / baseline median). */
export function printTable(rows: Summary[], ratioTo?: Summary): void {
  const head = ['benchmark', 'runs', 'median ms', 'p99 ms', 'mean ms', ...(ratioTo ? [`median ÷ ${ratioTo.name}`] : [])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [r.name, String(r.runs), r.medianMs.toFixed(3), r.p99Ms.toFixed(3), r.meanMs.toFixed(3)];
    if (ratioTo) cells.push((r.medianMs / ratioTo.medianMs).toFixed(2));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  console.log(lines.join('\n'));
}
