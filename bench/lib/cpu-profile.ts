/**
 * Where a benchmark's time goes, from a V8 `.cpuprofile` (node --cpu-prof writes one per thread):
 * busy time, the heaviest functions by self time, and the inclusive time of named stages (a sample
 * counts for a stage when a frame on its stack starts with one of the stage's prefixes
 * `function@path`). `--requests N` divides by N (µs per request); `--from PREFIX` ignores the samples
 * before the first one with a matching frame (e.g. a worker's boot before its first request).
 *   node dist/bench/lib/cpu-profile.js FILE.cpuprofile [--stages amt-worker|kernel] [--requests N] [--from PREFIX]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string };
  readonly children?: readonly number[];
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Stage → frame prefixes (`function@path below dist/`). */
export const STAGE_SETS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  'amt-worker': {
    'HTTP request parse': ['push@src/amt/http/request-parser.js'],
    'Digest authentication': ['authenticate@src/amt/auth/digest-authenticator.js'],
    'platform facts syscall (refreshFacts)': ['refreshFacts@src/apps/amt/runtime.js'],
    'XML parse (saxes)': ['parseWsmanRequest@src/amt/wsman/request.js'],
    'WS-Man dispatch (Get: instance + body XML)': ['dispatch@src/amt/wsman/operations.js'],
    'SOAP envelope render': ['renderReply@src/amt/wsman/envelope.js'],
    'HTTP reply serialize (chunked)': ['#serialize@src/amt/http/core.js'],
    'NVRAM commit (afterDispatch)': ['completeWsmanRequest@src/apps/amt/transaction.js'],
    'net-write to the kernel (copy + post)': ['write@src/kernel/worker/app-net.js'],
    'net-ack to the kernel': ['handle@src/kernel/worker/app-net.js>InstanceNet.#post'],
    'postMessage (all posts)': ['postMessage@'],
    'garbage collector': ['(garbage collector)@'],
  },
  kernel: {
    'socket data → net-data post': ['#deliver@src/kernel/net/app-network.js'],
    'net-write → socket.write': ['fromApp@src/kernel/net/app-network.js'],
    'messages from the worker (routing, all)': ['#route@src/kernel/app-host.js'],
    'syscalls (facts) served': ['onSyscall@src/kernel/app-slot.js'],
    'postMessage (all posts)': ['postMessage@'],
    'garbage collector': ['(garbage collector)@'],
  },
};

const frameLabel = (node: ProfileNode): string => `${node.callFrame.functionName || '(anonymous)'}@${node.callFrame.url.replace(/^.*\/dist\//, '')}`;

/** A prefix `a>b` matches a frame starting with `b` whose caller starts with `a`. */
function matches(stack: readonly string[], prefix: string): boolean {
  const [caller, callee] = prefix.includes('>') ? prefix.split('>') as [string, string] : [undefined, prefix];
  return stack.some((label, i) => label.startsWith(callee) && (caller === undefined || (stack[i + 1] ?? '').startsWith(caller)));
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly idleMs: number;
  readonly topSelf: readonly (readonly [string, number])[];
  readonly stages: readonly (readonly [string, number])[];
}

export function summarize(profile: CpuProfile, stages: Readonly<Record<string, readonly string[]>>, from?: string): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const stacks = new Map<number, string[]>();
  const stackOf = (id: number): string[] => {
    let stack = stacks.get(id);
    if (stack === undefined) {
      stack = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(frameLabel(byId.get(at) as ProfileNode));
      stacks.set(id, stack);
    }
    return stack;
  };
  const selfUs = new Map<number, number>();
  let counting = from === undefined;
  profile.samples.forEach((id, i) => {
    counting ||= matches(stackOf(id), from ?? '');
    if (counting) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const bySelf = new Map<string, number>();
  const byStage = new Map<string, number>(Object.keys(stages).map((s) => [s, 0]));
  let total = 0;
  for (const [id, us] of selfUs) {
    total += us;
    const stack = stackOf(id);
    bySelf.set(stack[0] ?? '', (bySelf.get(stack[0] ?? '') ?? 0) + us);
    for (const [stage, prefixes] of Object.entries(stages)) if (prefixes.some((p) => matches(stack, p))) byStage.set(stage, (byStage.get(stage) ?? 0) + us);
  }
  const idle = bySelf.get('(idle)@') ?? 0;
  const top = [...bySelf].filter(([label]) => label !== '(idle)@').sort((a, b) => b[1] - a[1]).slice(0, 15);
  return { totalMs: total / 1000, idleMs: idle / 1000, topSelf: top.map(([l, us]) => [l, us / 1000] as const), stages: [...byStage].map(([s, us]) => [s, us / 1000] as const) };
}

function main(): void {
  const file = process.argv[2];
  const option = (name: string): string | undefined => {
    const at = process.argv.indexOf(name);
    return at < 0 ? undefined : process.argv[at + 1];
  };
  const stages = STAGE_SETS[option('--stages') ?? 'amt-worker'];
  if (file === undefined || file === '--help' || stages === undefined) {
    console.log(`usage: node dist/bench/lib/cpu-profile.js FILE.cpuprofile [--stages ${Object.keys(STAGE_SETS).join('|')}] [--requests N] [--from PREFIX]`);
    return;
  }
  const requests = Number(option('--requests') ?? 0);
  const summary = summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, stages, option('--from'));
  const cell = (ms: number): string => (requests > 0 ? `${((ms * 1000) / requests).toFixed(0)} µs` : `${ms.toFixed(0)} ms`);
  console.log(`busy ${cell(summary.totalMs - summary.idleMs)} (profile ${summary.totalMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms)${requests > 0 ? ` per request over ${requests} requests` : ''}\n`);
  console.log(`| stage (inclusive) | ${requests > 0 ? 'per request' : 'time'} |\n|---|---|`);
  for (const [stage, ms] of summary.stages) console.log(`| ${stage} | ${cell(ms)} |`);
  console.log(`\n| function (self) | ${requests > 0 ? 'per request' : 'time'} |\n|---|---|`);
  for (const [label, ms] of summary.topSelf) console.log(`| ${label} | ${cell(ms)} |`);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === resolve(process.argv[1])) main();
