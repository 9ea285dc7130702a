/**
 * A management console for whole-platform interoperability tests: request envelopes built by
 * @open-amt-cloud-toolkit/wsman-messages (what RPS, MPS and rpc-go send), posted with HTTP Digest to
 * a platform's network address by src/client's DigestSession, every reply kept; plus readers for
 * reply values and the shape comparison against AMT's recorded replies in ../shared (read, never
 * copied): root namespace prefixes in order and the element sequence (repeated elements and Pull
 * items collapsed to the first, enumeration context markers dropped).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DigestSession, type AmtEndpoint } from '../../src/client/index.js';
import { rootNamespaces, tagSequence, textOf } from '../../src/amt/wsman/testing.js';

type Builder = (...args: unknown[]) => string;
interface MessageSet { [service: string]: { [call: string]: Builder | undefined } | undefined }
export type Schema = 'AMT' | 'CIM' | 'IPS';

const library = createRequire(import.meta.url)('@open-amt-cloud-toolkit/wsman-messages') as Record<Schema, { Messages: new () => MessageSet }>;
const sets: Record<Schema, MessageSet> = { AMT: new library.AMT.Messages(), CIM: new library.CIM.Messages(), IPS: new library.IPS.Messages() };

/** The envelope wsman-messages builds for `schema`.`service`.`call`(...args). */
export function message(schema: Schema, service: string, call: string, ...args: unknown[]): string {
  const build = sets[schema][service]?.[call];
  if (build === undefined) throw new Error(`wsman-messages has no ${schema}.${service}.${call}`);
  return build(...args);
}

/** A recorded AMT reply (path under fixtures/amt-responses). */
export const fixture = (path: string): string => readFileSync(new URL(`../../../../shared/fixtures/amt-responses/${path}`, import.meta.url), 'utf8');

export const returnValue = (body: string): number => Number(textOf(body, 'g:ReturnValue') ?? 'NaN');

/** Every value of elements named `qname` (e.g. `h:PowerState`). */
export const values = (xml: string, qname: string): string[] => [...xml.matchAll(new RegExp(`<${qname}>([^<]*)</${qname}>`, 'g'))].map((m) => m[1] ?? '');

/** Element sequence with repeats collapsed, up to the end of the first Pull item; context and end markers dropped (recordings vary). */
export function shape(xml: string): string[] {
  const tags = tagSequence(xml).filter((tag, i, all) => tag !== all[i - 1] && tag !== 'g:EnumerationContext' && tag !== 'g:EndOfSequence');
  const items = tags.indexOf('g:Items');
  if (items < 0) return tags;
  const second = tags.indexOf(tags[items + 1] ?? '', items + 2);
  return second < 0 ? tags : tags.slice(0, second);
}

/**
 * The reply has the recorded reply's prefixes, shape and Action. `skip` names elements whose presence
 * depends on values (e.g. IPAddress with a DHCP lease): left out on both sides. A method reply's
 * Action is the request's plus `Response` (DSP0226); the IPS_HostBasedSetupService samples omit it.
 */
export function assertShape(body: string, path: string, skip: readonly string[] = []): void {
  const recorded = fixture(path);
  const kept = (xml: string): string[] => shape(xml).filter((tag) => !skip.includes(tag));
  assert.deepEqual(rootNamespaces(body), rootNamespaces(recorded), `${path}: namespace prefixes`);
  assert.deepEqual(kept(body), kept(recorded), `${path}: element sequence`);
  const action = (textOf(recorded, 'b:Action') ?? '').trim();
  const method = !/\/ws\/2004\/09\/(transfer|enumeration)\//.test(action);
  assert.equal(textOf(body, 'b:Action'), method && !action.endsWith('Response') ? `${action}Response` : action, `${path}: Action`);
}

const scalar = (text: string): unknown => (text === 'true' ? true : text === 'false' ? false : /^\d+$/.test(text) ? Number(text) : text);

/** Leaf properties of the first `<prefix:className>` element as wsman-messages' Put wants them (repeated elements → arrays). */
export function instanceOf(xml: string, className: string, prefix = 'g'): Record<string, unknown> {
  const inner = new RegExp(`<${prefix}:${className}>(.*?)</${prefix}:${className}>`).exec(xml)?.[1] ?? '';
  return propertiesOf(inner, prefix);
}

/** Every `<h:className>` item of a Pull reply as a property map. */
export function itemsOf(xml: string, className: string): Record<string, unknown>[] {
  return [...xml.matchAll(new RegExp(`<h:${className}>(.*?)</h:${className}>`, 'g'))].map((m) => propertiesOf(m[1] ?? '', 'h'));
}

function propertiesOf(inner: string, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [, name = '', text = ''] of inner.matchAll(new RegExp(`<${prefix}:(\\w+)>([^<]*)</${prefix}:\\w+>`, 'g'))) {
    const value = scalar(text);
    const held = out[name];
    out[name] = held === undefined ? value : Array.isArray(held) ? [...(held as unknown[]), value] : [held, value];
  }
  return out;
}

/** A console session: each call asserts HTTP 200 and returns the reply body. */
export class AmtConsole {
  readonly session: DigestSession;
  /** Every reply body, in order. */
  readonly replies: string[] = [];

  constructor(readonly endpoint: AmtEndpoint) {
    this.session = new DigestSession(endpoint);
  }

  /** Posts `xml`; the reply's status and body (no status check). */
  async post(xml: string): Promise<{ status: number; body: string }> {
    const reply = await this.session.post(xml);
    this.replies.push(reply.body);
    return { status: reply.status, body: reply.body };
  }

  /** Sends what wsman-messages builds for `schema`.`service`.`call`(...args); asserts 200. */
  async call(schema: Schema, service: string, call: string, ...args: unknown[]): Promise<string> {
    const reply = await this.post(message(schema, service, call, ...args));
    assert.equal(reply.status, 200, `${schema}.${service}.${call}: ${reply.body}`);
    return reply.body;
  }

  /** Enumerate then Pull (wsman-messages' default MaxElements), as RPS and MPS do; both replies. */
  async enumeratePull(schema: Schema, service: string): Promise<{ enumerated: string; pulled: string }> {
    const enumerated = await this.call(schema, service, 'Enumerate');
    const context = textOf(enumerated, 'g:EnumerationContext');
    assert.ok(context !== undefined, `${service} Enumerate: ${enumerated}`);
    const pulled = await this.call(schema, service, 'Pull', context);
    assert.match(pulled, /<g:EndOfSequence><\/g:EndOfSequence>/, `${service}: everything in one Pull`);
    return { enumerated, pulled };
  }

  close(): void {
    this.session.close();
  }
}
