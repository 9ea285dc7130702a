/**
 * Seeded inputs for fuzzing a running AMT (test/amt-robustness.test.ts, bench/fuzz-amt.ts):
 * - `httpCase`: HTTP requests to 16992/16993 broken at the request line, headers, framing
 *   (chunked, Content-Length lies), size (huge heads), bytes (flips, NULs, truncation) or by
 *   pipelining garbage; authenticated bases keep their request line and Authorization intact, so
 *   fuzzing never counts as a failed admin login (no lock-out) while still reaching WS-Man.
 * - `soapCase`: bodies for an authenticated POST /wsman: valid envelopes (envelope() from
 *   src/amt/wsman/testing.ts) byte-flipped, truncated, nested deep, with DTDs and entities, huge
 *   text, wrong namespaces, bad encodings; or well-formed requests with hostile values
 *   (amt-fuzz-values.ts). Nothing can rename the host or touch TLS, accounts, provisioning or the
 *   RMCP setting, so the state after a run is checkable.
 * - `datagramCase`: UDP 623 datagrams, mostly not a presence ping; `isPresencePing` says (from the
 *   ASF layout, not vme's parser) whether one deserves a pong.
 */
import type { SeededRandom } from './random.js';
import { ACTION, envelope, pullBody, ENUMERATE_BODY } from '../../src/amt/wsman/testing.js';
import { NS, SCHEMA_BASE } from '../../src/amt/wsman/index.js';
import { valuesCase } from './amt-fuzz-values.js';

export interface FuzzCase {
  /** Strategy name (the outcome table's row). */
  readonly strategy: string;
  /** Written one after another. */
  readonly pieces: readonly Buffer[];
}

const GS = `${SCHEMA_BASE.AMT}AMT_GeneralSettings`;
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');
const bytesOf = (random: SeededRandom, n: number): Buffer => Buffer.from(Array.from({ length: n }, () => random.int(256)));

/** Envelopes that only read, fault, or change settings nothing else depends on (DomainName, PingResponseEnabled). */
export const SOAP_SEEDS: readonly string[] = [
  envelope({ action: ACTION.get, resourceUri: GS }),
  envelope({ action: ACTION.put, resourceUri: GS, body: `<h:AMT_GeneralSettings xmlns:h="${GS}"><h:DomainName>fuzz.example</h:DomainName><h:PingResponseEnabled>true</h:PingResponseEnabled></h:AMT_GeneralSettings>` }),
  envelope({ action: ACTION.enumerate, resourceUri: `${SCHEMA_BASE.CIM}CIM_SoftwareIdentity`, body: ENUMERATE_BODY }),
  envelope({ action: ACTION.pull, resourceUri: `${SCHEMA_BASE.CIM}CIM_SoftwareIdentity`, body: pullBody('01000000-0000-0000-0000-000000000000', 5) }),
  envelope({ action: `${SCHEMA_BASE.AMT}AMT_SetupAndConfigurationService/GetUuid`, resourceUri: `${SCHEMA_BASE.AMT}AMT_SetupAndConfigurationService` }),
  envelope({ action: ACTION.get, resourceUri: `${SCHEMA_BASE.AMT}AMT_EthernetPortSettings`, selectors: { InstanceID: 'Intel(r) AMT Ethernet Port Settings 0' } }),
  envelope({ action: ACTION.delete, resourceUri: `${SCHEMA_BASE.AMT}AMT_PublicKeyCertificate`, selectors: { InstanceID: 'Intel(r) AMT Certificate: Handle: 9' } }),
  envelope({ action: ACTION.get, resourceUri: `${SCHEMA_BASE.CIM}CIM_ComputerSystemPackage` }),
];

const MARKUP = ['<', '>', '&', '&#0;', '&#x110000;', '&lol;', ']]>', '<![CDATA[x]]>', '<!-- c -->', '<?pi x?>', '\u0000', '\uffff', '</a:Action>', '<a:MessageID>2</a:MessageID>', 'xmlns:a=""', '"', '<x>'.repeat(40)];
const LAUGHS = '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>';
const DTDS = [LAUGHS, '<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>', '<!DOCTYPE e SYSTEM "http://127.0.0.1:9/x.dtd">', '<!DOCTYPE e [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p"> %p;]>', '<!DOCTYPE Envelope>'];
const WRONG_NS = [['http://www.w3.org/2003/05/soap-envelope', 'http://schemas.xmlsoap.org/soap/envelope/'], [NS.addressing, 'http://www.w3.org/2005/08/addressing'], [NS.wsman, 'urn:wrong'], ['xmlns="http://www.w3.org/2003/05/soap-envelope"', ''], ['<a:Action>', '<q:Action>'], [`xmlns:w="${NS.wsman}"`, `xmlns:w="${NS.wsman}" xmlns:w="${NS.wsman}"`]] as const;

type SoapMutation = (random: SeededRandom, seed: string) => Buffer;

const at = (random: SeededRandom, text: string): number => random.int(text.length + 1);
const inBody = (seed: string, inner: string): string => seed.replace('<Body>', `<Body>${inner}`);

/** SOAP body mutations by strategy name. */
export const SOAP_MUTATIONS: Readonly<Record<string, SoapMutation>> = {
  'byte-flip': (random, seed) => {
    const bytes = Buffer.from(seed);
    for (let n = 1 + random.int(8); n > 0; n--) bytes[random.int(bytes.length)] = random.int(256);
    return bytes;
  },
  truncate: (random, seed) => Buffer.from(seed).subarray(0, random.int(seed.length)),
  splice: (random, seed) => {
    const from = at(random, seed);
    const to = from + random.int(80);
    return Buffer.from(random.int(2) === 0 ? seed.slice(0, from) + seed.slice(to) : seed.slice(0, to) + seed.slice(from, to) + seed.slice(to));
  },
  markup: (random, seed) => {
    const where = at(random, seed);
    return Buffer.from(seed.slice(0, where) + random.pick(MARKUP) + seed.slice(where));
  },
  'deep-nesting': (random, seed) => {
    const depth = random.pick([30, 33, 64, 1000, 20_000]);
    return Buffer.from(inBody(seed, '<x>'.repeat(depth) + (random.int(3) === 0 ? '' : '</x>'.repeat(depth))));
  },
  'dtd-entities': (random, seed) => {
    const dtd = random.pick(DTDS);
    const body = seed.replace('<?xml version="1.0" encoding="utf-8"?>', '');
    return Buffer.from(random.int(3) === 0 ? inBody(body, `${dtd}&d;`) : `${dtd}${body.replace('<Body>', '<Body>&d;')}`);
  },
  'huge-text': (random, seed) => {
    const size = random.pick([70_000, 300_000, 600_000]);
    const filler = 'y'.repeat(size);
    return Buffer.from(random.int(2) === 0 ? inBody(seed, `<x>${filler}</x>`) : seed.replace(/<a:MessageID>[^<]*/, `<a:MessageID>${filler}`));
  },
  'many-elements': (random, seed) => {
    const choice = random.int(3);
    if (choice === 0) return Buffer.from(inBody(seed, '<x/>'.repeat(5000)));
    if (choice === 1) return Buffer.from(inBody(seed, `<x ${Array.from({ length: 40 }, (_, i) => `a${i}="1"`).join(' ')}/>`));
    return Buffer.from(seed.replace('<Envelope ', `<Envelope ${Array.from({ length: 500 }, (_, i) => `xmlns:n${i}="urn:${i}"`).join(' ')} `));
  },
  'wrong-namespace': (random, seed) => {
    const [from, to] = random.pick(WRONG_NS);
    return Buffer.from(seed.split(from).join(to));
  },
  encoding: (random, seed) => {
    const bytes = Buffer.from(seed);
    const bad = random.pick([[0xc3, 0x28], [0xff], [0xe2, 0x82], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xef, 0xbb, 0xbf]]);
    const where = random.int(bytes.length + 1);
    if (random.int(4) === 0) return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(seed, 'utf16le')]);
    return Buffer.concat([bytes.subarray(0, where), Buffer.from(bad), bytes.subarray(where)]);
  },
  headers: (random, seed) => {
    const pick = random.int(5);
    if (pick === 0) return Buffer.from(seed.replace(/<a:Action>[^<]*<\/a:Action>/, ''));
    if (pick === 1) return Buffer.from(seed.replace('</Header>', '<x:Secret xmlns:x="urn:x" xmlns:s="http://www.w3.org/2003/05/soap-envelope" s:mustUnderstand="true"/></Header>'));
    if (pick === 2) return Buffer.from(seed.replace('</Header>', `${'<w:SelectorSet><w:Selector Name="a">b</w:Selector></w:SelectorSet>'.repeat(50)}</Header>`));
    if (pick === 3) return Buffer.from(seed.replace(/<a:To>[^<]*<\/a:To>/, '<a:To></a:To>'));
    return Buffer.from(seed.replace('</Header>', '<w:SelectorSet><w:Selector Name="x"><a:EndpointReference><a:ReferenceParameters><w:SelectorSet><w:Selector Name="y"><a:EndpointReference>'.repeat(6) + '</Header>'));
  },
};

/** One SOAP body: a third well-formed with hostile values (amt-fuzz-values.ts), the rest a mutated seed (sometimes twice). */
export function soapCase(random: SeededRandom): { strategy: string; body: Buffer } {
  if (random.int(3) === 0) {
    const made = valuesCase(random);
    return { strategy: `values ${made.operation}`, body: Buffer.from(made.body) };
  }
  const strategy = random.pick(Object.keys(SOAP_MUTATIONS));
  const mutate = SOAP_MUTATIONS[strategy] as SoapMutation;
  let body = mutate(random, random.pick(SOAP_SEEDS));
  if (random.int(4) === 0 && body.length < 100_000) body = (SOAP_MUTATIONS['byte-flip'] as SoapMutation)(random, body.toString('latin1'));
  return { strategy, body };
}

/** A request before serialization. `authorization` (when set) is never mutated. */
interface Draft {
  requestLine: string;
  headers: [string, string][];
  body: Buffer;
  chunked: boolean;
  authorization?: string;
  eol: string;
}

/** Everything needed to authenticate a base request (see WireAuthorizer). */
export type Authorize = () => string;

function baseDraft(random: SeededRandom, authorize: Authorize): Draft {
  const body = Buffer.from(random.pick(SOAP_SEEDS.slice(0, 5)));
  const post = (authorization?: string): Draft => ({
    requestLine: 'POST /wsman HTTP/1.1', headers: [['Host', 'amt'], ['Content-Type', 'application/soap+xml; charset=utf-8']], body, chunked: random.int(3) === 0, eol: '\r\n', ...(authorization ? { authorization } : {}),
  });
  switch (random.int(4)) {
    case 0: return { requestLine: 'GET / HTTP/1.1', headers: [['Host', 'amt']], body: Buffer.alloc(0), chunked: false, eol: '\r\n' };
    case 1: return post();
    case 2: return post('Digest username="fuzzer",realm="x",nonce="AAAA",uri="/wsman",response="00",qop=auth,nc=00000001,cnonce="c"');
    default: return post(authorize());
  }
}

/** Chunked framing of `body`, sometimes broken. */
function chunked(random: SeededRandom, body: Buffer, broken: boolean): Buffer {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < body.length;) {
    const size = 1 + random.int(512);
    const piece = body.subarray(offset, offset + size);
    parts.push(latin1(`${piece.length.toString(16)}\r\n`), piece, latin1('\r\n'));
    offset += size;
  }
  parts.push(latin1('0\r\n\r\n'));
  if (!broken) return Buffer.concat(parts);
  const wrong = random.pick(['zz\r\n', '-1\r\n', 'FFFFFFFFFF\r\n', '80001\r\n', '5;ext=1\r\nabcde\r\n', '3\r\nabcdef\r\n', '0\r\nX-Trailer: \u0000\r\n\r\n', '0\r\n', '1\r\na', '000000001\r\n']);
  parts.splice(random.int(parts.length + 1), 0, latin1(wrong));
  return Buffer.concat(random.int(4) === 0 ? parts.slice(0, -1) : parts);
}

function serialize(draft: Draft, body: Buffer): Buffer {
  const headers = [...draft.headers];
  if (draft.authorization !== undefined) headers.splice(1, 0, ['Authorization', draft.authorization]);
  const head = [draft.requestLine, ...headers.map(([name, value]) => `${name}: ${value}`), '', ''].join(draft.eol);
  return Buffer.concat([latin1(head), body]);
}

/** Framing headers and body for a draft (Content-Length or chunked). */
function framed(random: SeededRandom, draft: Draft, brokenChunks = false): Buffer {
  if (draft.requestLine.startsWith('GET')) return serialize(draft, Buffer.alloc(0));
  if (draft.chunked) return serialize({ ...draft, headers: [...draft.headers, ['Transfer-Encoding', 'chunked']] }, chunked(random, draft.body, brokenChunks));
  return serialize({ ...draft, headers: [...draft.headers, ['Content-Length', String(draft.body.length)]] }, draft.body);
}

/** Whether `position` may change: not in the request line or Authorization line of an authenticated request. */
function mutable(bytes: Buffer, authenticated: boolean, position: number): boolean {
  if (!authenticated) return true;
  const line = bytes.indexOf('\r\n');
  const auth = bytes.indexOf('Authorization:');
  const authEnd = bytes.indexOf('\r\n', auth) + 2;
  return position > line + 1 && (position < auth - 2 || position >= authEnd);
}

/** 1-6 replacements or insertions of `insert()`, never in the protected lines (see `mutable`). */
function mutateBytes(random: SeededRandom, bytes: Buffer, authenticated: boolean, insert: () => Buffer): Buffer {
  let out = bytes;
  for (let n = 1 + random.int(6); n > 0; n--) {
    const position = random.int(out.length);
    if (!mutable(out, authenticated, position)) continue;
    out = Buffer.concat([out.subarray(0, position), insert(), out.subarray(position + (random.int(2) === 0 ? 1 : 0))]);
  }
  return out;
}

const JUNK_HEADERS: readonly [string, string][] = [
  ['X-A', 'a\u0000b'], ['', 'v'], ['Bad Name', 'v'], ['X', 'a\rb'], ['X', 'a\nb'], ['Host', ''], ['Transfer-Encoding', 'gzip'], ['Transfer-Encoding', 'chunked, chunked'],
  ['Expect', '100-continue'], ['Connection', 'close'], ['Connection', 'keep-alive, Upgrade'], ['Upgrade', 'h2c'], ['X-\u00ff', '\u00ff'], ['Content-Type', ''], ['X-Fold', 'a\r\n b'],
];

type HttpMutation = (random: SeededRandom, draft: Draft, authorize: Authorize) => Buffer | Buffer[];

/** HTTP request mutations by strategy name. */
export const HTTP_MUTATIONS: Readonly<Record<string, HttpMutation>> = {
  'request-line': (random, draft) => {
    const parts = ['POST', '/wsman', 'HTTP/1.1'];
    const index = random.int(3);
    parts[index] = random.pick(['', 'G\u0000T', 'get', 'POST /x HTTP/1.1', `/${'a'.repeat(5000)}`, '/wsman?x=%00', 'http://amt/wsman', 'HTTP/1.0', 'HTTP/2.0', 'HTTP/1.1\u0000', 'HTTP/1.10', '*', bytesOf(random, 1 + random.int(20)).toString('latin1')]);
    return framed(random, { ...draft, requestLine: parts.join(random.int(5) === 0 ? '  ' : ' '), authorization: undefined } as Draft);
  },
  'junk-header': (random, draft) => {
    const headers = [...draft.headers];
    headers.splice(random.int(headers.length + 1), 0, random.pick(JUNK_HEADERS));
    return framed(random, { ...draft, headers, eol: random.int(5) === 0 ? '\n' : '\r\n' });
  },
  'huge-head': (random, draft) => {
    const choice = random.int(4);
    if (choice === 0) return framed(random, { ...draft, headers: [...draft.headers, ['X-Big', 'b'.repeat(16_000 + random.int(4000))]] });
    if (choice === 1) return framed(random, { ...draft, headers: [...draft.headers, ...Array.from({ length: 60 + random.int(100) }, (_, i): [string, string] => [`X-H${i}`, 'v'])] });
    if (choice === 2) return latin1(`GET /${'a'.repeat(4090 + random.int(20))} HTTP/1.1\r\n\r\n`);
    return latin1(`POST /wsman HTTP/1.1\r\nX: ${'c'.repeat(100_000)}`);
  },
  'content-length-lie': (random, draft) => {
    const length = draft.body.length;
    const value = random.pick([String(Math.max(0, length - 1 - random.int(50))), String(length + 1 + random.int(50)), '-1', '1e3', '0x10', ` ${length} `, '99999999999999999999', `${length}, ${length}`, `${length},${length + 1}`]);
    const extra: [string, string][] = random.int(4) === 0 ? [['Transfer-Encoding', 'chunked']] : random.int(4) === 0 ? [['Content-Length', String(length)]] : [];
    return serialize({ ...draft, headers: [...draft.headers, ['Content-Length', value], ...extra] }, draft.body);
  },
  'chunked-framing': (random, draft) => framed(random, { ...draft, requestLine: draft.requestLine.replace(/^GET/, 'POST'), chunked: true, ...(draft.requestLine.startsWith('GET') ? { authorization: undefined } : {}) } as Draft, true),
  'byte-flip': (random, draft) => {
    const bytes = framed(random, draft);
    return mutateBytes(random, bytes, draft.authorization !== undefined, () => Buffer.from([random.int(256)]));
  },
  'nul-bytes': (random, draft) => {
    const bytes = framed(random, draft);
    return mutateBytes(random, bytes, draft.authorization !== undefined, () => Buffer.alloc(1 + random.int(4)));
  },
  truncate: (random, draft) => {
    const bytes = framed(random, draft);
    return bytes.subarray(0, random.int(bytes.length));
  },
  'pipelined-garbage': (random, draft, authorize) => {
    const good = (): Buffer => (random.int(2) === 0 ? latin1('GET / HTTP/1.1\r\nHost: amt\r\n\r\n') : framed(random, { ...draft, requestLine: 'POST /wsman HTTP/1.1', chunked: false, authorization: authorize() }));
    const requests = Array.from({ length: 1 + random.int(4) }, good);
    const tail = random.pick([bytesOf(random, 1 + random.int(200)), latin1('GET / HTTP/1.1\r\n'), latin1('BROKEN\r\n\r\n'), latin1('GET / HTTP/1.1\r\nHost: amt\r\n\r\n'.repeat(17 + random.int(20)))]);
    return [...requests, tail];
  },
  'random-bytes': (random) => bytesOf(random, random.int(2000)),
};

/** One mutated HTTP exchange, sometimes delivered in small pieces. */
export function httpCase(random: SeededRandom, authorize: Authorize): FuzzCase {
  const strategy = random.pick(Object.keys(HTTP_MUTATIONS));
  const made = (HTTP_MUTATIONS[strategy] as HttpMutation)(random, baseDraft(random, authorize), authorize);
  const bytes = Buffer.isBuffer(made) ? [made] : made;
  if (random.int(4) !== 0) return { strategy, pieces: bytes };
  const all = Buffer.concat(bytes);
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < all.length;) {
    const size = 1 + random.int(64);
    pieces.push(all.subarray(offset, offset + size));
    offset += size;
  }
  return { strategy: `${strategy} (split)`, pieces };
}

const PING = [0x06, 0x00, 0xff, 0x06, 0x00, 0x00, 0x11, 0xbe, 0x80, 0x00, 0x00, 0x00];

/** Whether a datagram is an ASF presence ping (ASF 2.0 §3.2.4): 12 bytes, fixed header and type. */
export function isPresencePing(bytes: Uint8Array): boolean {
  return bytes.length === 12 && [0, 1, 3, 4, 5, 6, 7, 8, 11].every((i) => bytes[i] === PING[i]);
}

/** A presence ping with its sequence and tag. */
export const presencePing = (sequence: number, tag: number): Buffer => Buffer.from(PING.map((b, i) => (i === 2 ? sequence : i === 9 ? tag : b)));

/** One UDP 623 datagram: random, a ping with flipped bytes, a pong, other RMCP classes, odd sizes, now and then a real ping. */
export function datagramCase(random: SeededRandom, sequence: number, tag: number): { strategy: string; bytes: Buffer } {
  const ping = presencePing(sequence, tag);
  switch (random.int(7)) {
    case 0: return { strategy: 'random', bytes: bytesOf(random, random.int(64)) };
    case 6: return { strategy: 'presence ping', bytes: ping };
    case 1: {
      const index = random.pick([0, 1, 3, 4, 5, 6, 7, 8, 11]);
      return { strategy: 'ping, header flipped', bytes: Buffer.from(ping.map((b, i) => (i === index ? b ^ (1 + random.int(255)) : b))) };
    }
    case 2: return { strategy: 'ping, resized', bytes: random.int(2) === 0 ? ping.subarray(0, random.int(12)) : Buffer.concat([ping, bytesOf(random, 1 + random.int(40))]) };
    case 3: return { strategy: 'pong to the device', bytes: Buffer.from([...PING.slice(0, 8), 0x40, tag, 0, 0x10, ...bytesOf(random, 16)].map((b, i) => (i === 2 ? sequence : b))) };
    case 4: return { strategy: 'other RMCP class', bytes: Buffer.from(ping.map((b, i) => (i === 3 ? random.pick([0x07, 0x08, 0x86, 0x00]) : b))) };
    default: return { strategy: 'large', bytes: bytesOf(random, 512 + random.int(8000)) };
  }
}
