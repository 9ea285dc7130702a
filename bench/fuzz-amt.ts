/**
 * The long AMT network fuzz run (issue 5 §3): boots one platform with its network on a random
 * loopback address, activates it, and sends seeded fuzz cases over real sockets — mutated HTTP to
 * 16992, mutated SOAP under a valid Digest login, both over TLS on 16993 — plus bad RMCP datagrams
 * to UDP 623, judged by the oracle of test/support/amt-fuzz-oracle.ts; a health check (no app
 * fault or restart, AMT_GeneralSettings and provisioning unchanged, the admin served, the ping
 * answered) every `--check-every` cases and at the end. Progress on stderr, Markdown tables on
 * stdout; exit 1 on a violation or an unhealthy platform (with a reproducer), 3 when a case hung.
 *
 *   node dist/bench/fuzz-amt.js [--cases 2000] [--seed 1] [--concurrency 4] [--surface http,soap,tls-http,tls-soap] [--check-every 500] [--case I]
 */
import { performance } from 'node:perf_hooks';
import { AppHostPool } from '../src/kernel/index.js';
import type { Engine } from '../src/engine/index.js';
import { SeededRandom } from '../test/support/random.js';
import { caseRandom, runConcurrently, Tally } from '../test/support/amt-fuzz-oracle.js';
import { datagramCase, isPresencePing } from '../test/support/amt-fuzz.js';
import { bootFuzzTarget, datagrams, healthProblems, runFuzzCase, SURFACES, type FuzzTarget, type Surface } from '../test/support/amt-fuzz-target.js';

interface Options {
  cases: number;
  seed: number;
  concurrency: number;
  surfaces: Surface[];
  checkEvery: number;
  replayCase?: number;
}

function parseOptions(argv: readonly string[]): Options {
  const options: Options = { cases: 2000, seed: 1, concurrency: 4, surfaces: [...SURFACES], checkEvery: 500 };
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
    else if (flag === '--concurrency') options.concurrency = Math.max(1, number());
    else if (flag === '--check-every') options.checkEvery = Math.max(1, number());
    else if (flag === '--case') options.replayCase = number();
    else if (flag === '--surface') {
      i++;
      options.surfaces = value.split(',').filter(Boolean).map((s) => {
        if (!(SURFACES as readonly string[]).includes(s)) throw new Error(`unknown surface ${s}; one of ${SURFACES.join(', ')}`);
        return s as Surface;
      });
    } else throw new Error(`unknown option ${flag}; use --cases N --seed N --concurrency N --surface LIST --check-every N --case I`);
  }
  return options;
}

const surfaceOf = (options: Options, index: number): Surface => options.surfaces[index % options.surfaces.length] as Surface;
const reproducer = (options: Options, index: number): string => `node dist/bench/fuzz-amt.js --seed ${options.seed} --surface ${options.surfaces.join(',')} --case ${index}`;

/** One case, shown whole: what was sent and received (latin1, cut at 2000 characters). */
async function replay(target: FuzzTarget, options: Options, index: number): Promise<number> {
  const result = await runFuzzCase(target, surfaceOf(options, index), caseRandom(options.seed, index));
  const show = (bytes: Buffer): string => JSON.stringify(bytes.toString('latin1').slice(0, 2000));
  console.log(`case ${index} [${surfaceOf(options, index)} ${result.strategy}] → ${result.outcome.label}${result.outcome.violation ? ` VIOLATION: ${result.outcome.violation}` : ''} in ${result.ms.toFixed(1)} ms`);
  console.log(`sent ${result.sent.length} bytes: ${show(result.sent)}\nreceived ${result.received.length} bytes: ${show(result.received)}`);
  return result.outcome.violation ? 1 : 0;
}

async function campaign(target: FuzzTarget, options: Options): Promise<number> {
  const started = performance.now();
  const tally = new Tally();
  const unhealthy: string[] = [];
  let done = 0;
  let hung = false;
  const progress = setInterval(() => process.stderr.write(`\r${done}/${options.cases} cases, ${tally.violationCount} violations, ${((performance.now() - started) / 1000).toFixed(0)} s`), 2000);
  try {
    for (let first = 0; first < options.cases; first += options.checkEvery) {
      const count = Math.min(options.checkEvery, options.cases - first);
      await runConcurrently(count, options.concurrency, async (offset) => {
        const index = first + offset;
        const result = await runFuzzCase(target, surfaceOf(options, index), caseRandom(options.seed, index));
        tally.add(index, `${surfaceOf(options, index)} ${result.strategy}`, result.outcome, result.ms);
        if (result.outcome.label === 'hang') hung = true;
        done++;
      });
      const problems = await healthProblems(target);
      unhealthy.push(...problems.map((p) => `after case ${first + count - 1}: ${p}`));
      if (problems.length > 0) break;
    }
  } finally {
    clearInterval(progress);
    process.stderr.write('\n');
  }
  const udp = await datagramRun(target, options);
  const seconds = (performance.now() - started) / 1000;
  console.log(`## AMT network fuzz: seed ${options.seed}, ${tally.cases} cases (${options.surfaces.join(', ')}), ${options.concurrency} at a time\n`);
  console.log(`${seconds.toFixed(1)} s, ${(tally.cases / seconds).toFixed(0)} cases/s, slowest case ${tally.slowestMs.toFixed(0)} ms; counters: ${countersLine(target.engine)}\n`);
  console.log(tally.table((strategy) => strategy.split(' ')[0] ?? strategy, false));
  console.log(`\n### By strategy\n\n${tally.table()}`);
  console.log(`\nUDP 623: ${udp.sent} datagrams (${udp.pings} presence pings among them), ${udp.pongs} pongs, ${udp.stray} pongs to non-pings`);
  for (const v of tally.violations) console.log(`\nVIOLATION case ${v.index} [${v.strategy}]: ${v.violation}\n  replay: ${reproducer(options, v.index)}`);
  for (const problem of unhealthy) console.log(`\nUNHEALTHY ${problem}`);
  if (hung) return 3;
  return tally.violationCount > 0 || unhealthy.length > 0 || udp.stray > 0 ? 1 : 0;
}

/** `cases / 10` datagrams to UDP 623; a pong must answer a presence ping. */
async function datagramRun(target: FuzzTarget, options: Options): Promise<{ sent: number; pings: number; pongs: number; stray: number }> {
  const random = new SeededRandom(options.seed ^ 0x0623);
  const cases = Array.from({ length: Math.max(50, Math.floor(options.cases / 10)) }, (_, i) => datagramCase(random, i & 0xff, 0x80 | ((i >> 8) & 0x7f)));
  const answerable = new Set(cases.filter((c) => isPresencePing(c.bytes)).map((c) => `${c.bytes[2]}/${c.bytes[9]}`));
  const pongs = await datagrams(target.address, cases.map((c) => c.bytes), 1500);
  return { sent: cases.length, pings: answerable.size, pongs: pongs.length, stray: pongs.filter((p) => p.length !== 28 || !answerable.has(`${p[2]}/${p[9]}`)).length };
}

function countersLine(engine: Engine): string {
  const counters = engine.counters;
  return ['net.net-refused', 'net.net-capped', 'net.paused', 'net.socket-errors', 'supervisor.app-fault', 'supervisor.app-restart'].map((name) => `${name} ${counters[name] ?? 0}`).join(', ');
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const pool = new AppHostPool({ pingTimeoutMs: 2000 });
  let engine: Engine | undefined;
  try {
    const target = await bootFuzzTarget({ pool, onEngine: (e) => (engine = e) });
    process.stderr.write(`platform at ${target.address}, seed ${options.seed}\n`);
    return options.replayCase === undefined ? await campaign(target, options) : await replay(target, options, options.replayCase);
  } finally {
    await engine?.shutdown();
    await pool.close();
  }
}

process.exitCode = await main();
