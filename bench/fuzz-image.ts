/**
 * The long image fuzz run (issue 2 §8): random and structure-aware mutations of a real platform
 * image and update package, every parser and the ROM on each, judged by the oracle in
 * test/support/image-fuzzer.ts. Progress on stderr, a Markdown table on stdout, exit 1 when the
 * oracle was violated (with reproducer commands), 3 when a case seems to hang.
 *
 *   node dist/bench/fuzz-image.js [--cases 100000] [--seed 1] [--strategy NAME[,NAME]] [--workers 2] [--case I]
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import {
  createFuzzContext, runCampaign, runCase, selectStrategies, mergeStats, formatStatsTable, violationsOf, violationCount,
  STRATEGIES, type CampaignStats, type ViolationRecord,
} from '../test/support/image-fuzzer.js';

interface Options {
  cases: number;
  seed: number;
  strategies: string[];
  workers: number;
  replayCase?: number;
  list?: boolean;
  slowMs: number;
  hangMs: number;
}

interface WorkerInput {
  readonly options: Options;
  readonly first: number;
  readonly stride: number;
  /** Int32 slots per worker: [cases done, violations, case in progress]. */
  readonly progress: SharedArrayBuffer;
}

const SLOTS = 3;

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { cases: 100_000, seed: 1, strategies: [], workers: Math.min(2, availableParallelism()), slowMs: 2000, hangMs: 30_000 };
  for (let i = 0; i < argv.length; i++) {
    const [flag, value] = [argv[i], argv[i + 1] ?? ''];
    const number = (): number => {
      i++;
      const n = Number(value);
      if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} needs a non-negative integer, got ${JSON.stringify(value)}`);
      return n;
    };
    if (flag === '--cases') options.cases = number();
    else if (flag === '--seed') options.seed = number();
    else if (flag === '--workers') options.workers = Math.max(1, number());
    else if (flag === '--case') options.replayCase = number();
    else if (flag === '--slow-ms') options.slowMs = number();
    else if (flag === '--strategy') {
      i++;
      options.strategies.push(...value.split(',').filter(Boolean));
    } else if (flag === '--list') options.list = true;
    else throw new Error(`unknown option ${flag}; use --cases N --seed N --strategy NAME --workers N --case I --slow-ms N --list`);
  }
  selectStrategies(options.strategies);
  return options;
}

const strategyArgs = (o: Options): string => (o.strategies.length ? ` --strategy ${o.strategies.join(',')}` : '');
const reproducer = (o: Options, v: ViolationRecord): string => `node dist/bench/fuzz-image.js --seed ${o.seed}${strategyArgs(o)} --case ${v.index}`;

// ---- worker ---------------------------------------------------------------------------------------

function workerMain(input: WorkerInput, workerIndex: number): void {
  const slots = new Int32Array(input.progress, workerIndex * SLOTS * 4, SLOTS);
  const ctx = createFuzzContext();
  const stats = runCampaign(ctx, {
    seed: input.options.seed, cases: input.options.cases, first: input.first, stride: input.stride, strategies: input.options.strategies, slowMs: input.options.slowMs,
    onCaseStart: (index) => Atomics.store(slots, 2, index),
    onCaseDone: (report) => {
      Atomics.add(slots, 0, 1);
      Atomics.add(slots, 1, report.violations.length);
    },
  });
  parentPort?.postMessage(stats);
}

// ---- main -----------------------------------------------------------------------------------------

function replay(options: Options, index: number): number {
  const strategies = selectStrategies(options.strategies);
  const strategy = strategies[index % strategies.length];
  if (!strategy) return 2;
  const report = runCase(createFuzzContext(), strategy, options.seed, index, { slowMs: options.slowMs });
  console.log(JSON.stringify(report, null, 2));
  return report.violations.length ? 1 : 0;
}

async function campaign(options: Options): Promise<number> {
  const started = performance.now();
  const progress = new SharedArrayBuffer(options.workers * SLOTS * 4);
  const slots = new Int32Array(progress);
  const workers = Array.from({ length: options.workers }, (_, w) => new Worker(new URL(import.meta.url), {
    workerData: { input: { options, first: w, stride: options.workers, progress } satisfies WorkerInput, workerIndex: w },
  }));
  const results = workers.map((worker) => new Promise<CampaignStats>((resolve, reject) => {
    worker.once('message', (stats: CampaignStats) => resolve(stats));
    worker.once('error', reject);
  }));
  const watchdog = startWatchdog(options, slots, started, workers);
  try {
    const stats = (await Promise.all(results)).reduce((all, s) => mergeStats(all, s), {} as CampaignStats);
    clearInterval(watchdog.timer);
    return report(options, stats, (performance.now() - started) / 1000);
  } catch (err) {
    clearInterval(watchdog.timer);
    if (watchdog.hung) return 3;
    throw err;
  }
}

/** Prints progress every 3 s; terminates the workers if one makes no progress for `hangMs`. */
function startWatchdog(options: Options, slots: Int32Array, started: number, workers: Worker[]): { timer: NodeJS.Timeout; hung: boolean } {
  const state = { timer: undefined as unknown as NodeJS.Timeout, hung: false };
  const last = workers.map(() => ({ done: -1, at: performance.now() }));
  state.timer = setInterval(() => {
    const done = workers.reduce((n, _w, i) => n + Atomics.load(slots, i * SLOTS), 0);
    const bugs = workers.reduce((n, _w, i) => n + Atomics.load(slots, i * SLOTS + 1), 0);
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(`fuzz: ${done}/${options.cases} cases, ${(done / seconds).toFixed(0)} cases/s, ${bugs} oracle violations, ${seconds.toFixed(0)} s\n`);
    workers.forEach((_worker, i) => {
      const now = Atomics.load(slots, i * SLOTS);
      const entry = last[i];
      if (!entry || now !== entry.done) return last.splice(i, 1, { done: now, at: performance.now() });
      if (performance.now() - entry.at < options.hangMs || now * options.workers >= options.cases) return undefined;
      const index = Atomics.load(slots, i * SLOTS + 2);
      process.stderr.write(`fuzz: case ${index} has run for over ${options.hangMs / 1000} s (hang); reproduce: node dist/bench/fuzz-image.js --seed ${options.seed}${strategyArgs(options)} --case ${index}\n`);
      state.hung = true;
      for (const w of workers) void w.terminate();
      return undefined;
    });
  }, 3000);
  return state;
}

function report(options: Options, stats: CampaignStats, seconds: number): number {
  const total = Object.values(stats).reduce((n, s) => n + s.cases, 0);
  console.log(`Image fuzz: ${total} cases, seed ${options.seed}, ${options.workers} worker(s), ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} cases/s)\n`);
  console.log(formatStatsTable(stats));
  const violations = violationsOf(stats);
  const count = violationCount(stats);
  if (count === 0) {
    console.log('\nOracle: no violations (every exception a VmeError, no slow case, no tampered boot, every DecodeError and ROM failure located).');
    return 0;
  }
  console.log(`\nOracle violated ${count} times; first ${violations.length}:`);
  for (const v of violations) console.log(`- ${v.kind} in ${v.stage} (${v.strategy}: ${v.note}): ${v.detail}\n  reproduce: ${reproducer(options, v)}`);
  return 1;
}

async function main(): Promise<number> {
  let options: Options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  if (options.list) {
    for (const s of STRATEGIES) console.log(`${s.name}: ${s.description}`);
    return 0;
  }
  if (options.replayCase !== undefined) return replay(options, options.replayCase);
  return campaign(options);
}

if (isMainThread) {
  main().then((status) => { process.exitCode = status; }, (err: unknown) => {
    console.error(err);
    process.exitCode = 70;
  });
} else {
  const data = workerData as { input: WorkerInput; workerIndex: number };
  workerMain(data.input, data.workerIndex);
}
