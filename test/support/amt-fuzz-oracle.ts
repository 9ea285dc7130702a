/**
 * What a fuzzed exchange with a running AMT may end in, and the tally of a run: the server closed
 * within the deadline (the client always half-closes, so it must), every byte it sent is a complete
 * HTTP/1.1 reply with a status AMT uses (100, 200, 303, 400, 401, 404 — never 5xx), and every SOAP
 * reply is a well-formed envelope (a 400 one a SOAP Fault with Code and Reason; never
 * wsman:InternalError, which means something unexpected threw). `Tally` keeps outcome counts per
 * strategy, fault subcodes and the first violations, and prints them as Markdown tables.
 */
import { NS } from '../../src/amt/wsman/index.js';
import { child, parseXml, type XmlElement } from '../../src/amt/wsman/xml-tree.js';
import { SeededRandom } from './random.js';
import { splitReplies, type Exchanged, type WireReply } from './amt-wire.js';

export interface Outcome {
  /** Short class of what happened: `200 SOAP`, `400 fault`, `400 page`, `401`, `303`, `pipelined, last 400 page`, `closed, no reply`, … */
  readonly label: string;
  /** Fault subcodes of the SOAP faults received. */
  readonly faults: readonly string[];
  readonly violation?: string;
}

const STATUSES = new Set([100, 200, 303, 400, 401, 404]);
const XML_LIMITS = { maxBodyBytes: 8 * 1024 * 1024, maxDepth: 64, maxElements: 100_000, maxAttributes: 64, maxTextChars: 1024 * 1024 };

/** The per-case PRNG: case `index` of run `seed` replays alone. */
export const caseRandom = (seed: number, index: number): SeededRandom => new SeededRandom((Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0);

/** Judges one exchange after which the server had to close (the client half-closed). */
export function judgeExchange(result: Exchanged): Outcome {
  if (result.timedOut) return { label: 'hang', faults: [], violation: `no close within ${Math.round(result.ms)} ms (got ${result.bytes.length} bytes)` };
  const { replies, leftover } = splitReplies(result.bytes);
  const faults: string[] = [];
  for (const reply of replies) {
    if (!STATUSES.has(reply.status)) return { label: `${reply.status}`, faults, violation: `status ${reply.statusLine}` };
    if (!isSoap(reply)) continue;
    const soap = checkSoap(reply);
    if (typeof soap !== 'string') return { label: `${reply.status} bad SOAP`, faults, violation: soap.violation };
    if (reply.status === 400) faults.push(soap);
    if (soap === 'e:InternalError') return { label: '400 InternalError', faults, violation: 'wsman:InternalError (something threw)' };
  }
  if (leftover !== undefined) return { label: 'broken reply', faults, violation: leftover };
  return { label: labelOf(replies), faults };
}

const isSoap = (reply: WireReply): boolean => (reply.headers.get('content-type') ?? '').startsWith('application/soap+xml');

function labelOf(replies: readonly WireReply[]): string {
  const final = replies.filter((r) => r.status !== 100);
  const last = final[final.length - 1];
  if (last === undefined) return 'closed, no reply';
  const kind = (r: WireReply): string => `${r.status}${isSoap(r) ? (r.status === 400 ? ' fault' : ' SOAP') : r.status === 400 ? ' page' : ''}`;
  return final.length === 1 ? kind(last) : `pipelined, last ${kind(last)}`;
}

/** `ok` for a well-formed reply envelope, the subcode for a fault, or the violation. */
export function checkSoap(reply: WireReply): string | { violation: string } {
  let root: XmlElement;
  try {
    root = parseXml(reply.body, XML_LIMITS);
  } catch (error) {
    return { violation: `${reply.status} SOAP body is not well-formed XML: ${(error as Error).message}` };
  }
  if (root.ns !== NS.soap || root.name !== 'Envelope') return { violation: `root is {${root.ns}}${root.name}` };
  const body = child(root, NS.soap, 'Body');
  if (child(root, NS.soap, 'Header') === undefined || body === undefined) return { violation: 'Envelope without Header or Body' };
  if (reply.status === 200) return child(body, NS.soap, 'Fault') === undefined ? 'ok' : { violation: 'a Fault with status 200' };
  const fault = child(body, NS.soap, 'Fault');
  const code = child(child(fault, NS.soap, 'Code'), NS.soap, 'Value')?.text.trim();
  const reason = child(child(fault, NS.soap, 'Reason'), NS.soap, 'Text')?.text.trim();
  if (fault === undefined || !code || !reason) return { violation: 'a 400 SOAP reply without Fault/Code/Value and Reason/Text' };
  return child(child(child(fault, NS.soap, 'Code'), NS.soap, 'Subcode'), NS.soap, 'Value')?.text.trim() || code;
}

export interface Violation {
  readonly index: number;
  readonly strategy: string;
  readonly violation: string;
}

/** Counts of a run: outcome per strategy, fault subcodes, violations (the first 20 kept). */
export class Tally {
  readonly #rows = new Map<string, Map<string, number>>();
  readonly #faults = new Map<string, number>();
  readonly violations: Violation[] = [];
  violationCount = 0;
  cases = 0;
  slowestMs = 0;

  add(index: number, strategy: string, outcome: Outcome, ms = 0): void {
    this.cases += 1;
    this.slowestMs = Math.max(this.slowestMs, ms);
    const row = this.#rows.get(strategy) ?? new Map<string, number>();
    this.#rows.set(strategy, row);
    row.set(outcome.label, (row.get(outcome.label) ?? 0) + 1);
    for (const fault of outcome.faults) this.#faults.set(fault, (this.#faults.get(fault) ?? 0) + 1);
    if (outcome.violation === undefined) return;
    this.violationCount += 1;
    if (this.violations.length < 20) this.violations.push({ index, strategy, violation: outcome.violation });
  }

  /** Markdown: strategies (or the groups `group` puts them in) × outcomes, then fault subcodes. */
  table(group: (strategy: string) => string = (strategy) => strategy, faults = true): string {
    const rows = new Map<string, Map<string, number>>();
    for (const [strategy, row] of this.#rows) {
      const merged = rows.get(group(strategy)) ?? new Map<string, number>();
      rows.set(group(strategy), merged);
      for (const [label, n] of row) merged.set(label, (merged.get(label) ?? 0) + n);
    }
    const labels = [...new Set([...rows.values()].flatMap((row) => [...row.keys()]))].sort();
    const lines = [`| strategy | cases | ${labels.join(' | ')} |`, `|---|---|${labels.map(() => '---|').join('')}`];
    for (const [name, row] of [...rows].sort(([a], [b]) => a.localeCompare(b))) {
      const total = [...row.values()].reduce((a, b) => a + b, 0);
      lines.push(`| ${name} | ${total} | ${labels.map((l) => row.get(l) ?? '').join(' | ')} |`);
    }
    if (faults && this.#faults.size > 0) lines.push('', '| fault subcode | count |', '|---|---|', ...[...this.#faults].sort(([, a], [, b]) => b - a).map(([f, n]) => `| ${f} | ${n} |`));
    return lines.join('\n');
  }
}

/** Runs `count` cases, `concurrency` at a time. */
export async function runConcurrently(count: number, concurrency: number, run: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) await run(next++);
  }));
}
