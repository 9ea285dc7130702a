// The WS-Man request parser: client dialects, selectors, DTD/entity refusal, limits, and a seeded
// fuzz run (a few thousand mutated envelopes) that must always end in a reply, never a throw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SeededRandom } from './support/random.js';
import { DEFAULT_WSMAN_LIMITS, NS, parseWsmanRequest, SCHEMA_BASE, WsmanRequestError } from '../src/amt/wsman/index.js';
import { ACTION, createTestWsman, envelope, pullBody, textOf } from '../src/amt/wsman/testing.js';

const parse = (xml: string, limits = DEFAULT_WSMAN_LIMITS): ReturnType<typeof parseWsmanRequest> => parseWsmanRequest(Buffer.from(xml), limits);
const GS = `${SCHEMA_BASE.AMT}AMT_GeneralSettings`;

test('go-wsman / wsman-messages envelope: headers, selectors and the Pull body are read namespace-aware', () => {
  const request = parse(envelope({ action: ACTION.pull, resourceUri: GS, messageId: '3', selectors: { Name: 'x', InstanceID: 'y' }, body: pullBody('8A000000-0000-0000-0000-000000000000', 999) }));
  assert.equal(request.action, ACTION.pull);
  assert.equal(request.to, '/wsman');
  assert.equal(request.resourceUri, GS);
  assert.equal(request.messageId, '3');
  assert.equal(request.replyTo, `${NS.addressing}/role/anonymous`);
  assert.equal(request.operationTimeout, 'PT60S');
  assert.deepEqual([...request.selectors], [['Name', 'x'], ['InstanceID', 'y']]);
  assert.equal(request.enumerationContext, '8A000000-0000-0000-0000-000000000000');
  assert.equal(request.maxElements, 999);
});

test('openwsman-style prefixes, an EPR selector, an OptionSet and a known mustUnderstand header are accepted', () => {
  const xml = `<s:Envelope xmlns:s="${NS.soap}" xmlns:wsa="${NS.addressing}" xmlns:wsman="${NS.wsman}"><s:Header>`
    + `<wsa:To s:mustUnderstand="true">http://h:16992/wsman</wsa:To><wsman:ResourceURI s:mustUnderstand="true">${GS}</wsman:ResourceURI>`
    + `<wsa:Action s:mustUnderstand="true">${ACTION.get}</wsa:Action><wsa:MessageID>uuid:1-2</wsa:MessageID>`
    + `<wsman:OptionSet><wsman:Option Name="ShowExtensions">true</wsman:Option></wsman:OptionSet><wsman:SelectorSet><wsman:Selector Name="ElementInContext"><wsa:EndpointReference>`
    + `<wsa:Address>${NS.addressing}/role/anonymous</wsa:Address><wsa:ReferenceParameters><wsman:ResourceURI>${SCHEMA_BASE.AMT}AMT_PublicKeyCertificate</wsman:ResourceURI>`
    + `<wsman:SelectorSet><wsman:Selector Name="InstanceID">c1</wsman:Selector></wsman:SelectorSet></wsa:ReferenceParameters></wsa:EndpointReference></wsman:Selector></wsman:SelectorSet>`
    + `</s:Header><s:Body/></s:Envelope>`;
  const request = parse(xml);
  assert.equal(request.messageId, 'uuid:1-2');
  assert.equal(request.options.get('ShowExtensions'), 'true');
  const epr = request.selectors.get('ElementInContext');
  assert.ok(typeof epr === 'object');
  assert.equal(epr.resourceUri, `${SCHEMA_BASE.AMT}AMT_PublicKeyCertificate`);
  assert.equal(epr.selectors.get('InstanceID'), 'c1');
  assert.equal(request.payload, undefined);
});

const refusals: readonly [string, string, WsmanRequestError['fault']][] = [
  ['a DTD with an internal entity', `<!DOCTYPE e [<!ENTITY x "boom">]>${envelope({ action: ACTION.get, resourceUri: GS })}`, 'schema'],
  ['an external entity (XXE)', `<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><e>&x;</e>`, 'schema'],
  ['an undeclared entity', envelope({ action: ACTION.get, resourceUri: '&lol;' }), 'schema'],
  ['not XML', 'hello', 'schema'],
  ['unterminated', envelope({ action: ACTION.get }).slice(0, -12), 'schema'],
  ['a SOAP 1.1 envelope', `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Header/><Body/></Envelope>`, 'schema'],
  ['no MessageID', envelope({ action: ACTION.get }).replace(/<a:MessageID>1<\/a:MessageID>/, ''), 'missing-header'],
  ['an unknown mustUnderstand header', envelope({ action: ACTION.get, extraHeaders: '<x:Secret xmlns:x="urn:x" xmlns:s="http://www.w3.org/2003/05/soap-envelope" s:mustUnderstand="true"/>' }), 'not-understood'],
  ['a processing instruction', `<?php x?>${envelope({ action: ACTION.get })}`, 'schema'],
  ['invalid UTF-8', '<a>\u00ff</a>', 'schema'],
];

for (const [what, xml, fault] of refusals) {
  test(`refuses ${what}`, () => {
    const bytes = what === 'invalid UTF-8' ? Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]) : Buffer.from(xml);
    assert.throws(() => parseWsmanRequest(bytes, DEFAULT_WSMAN_LIMITS), (e: unknown) => e instanceof WsmanRequestError && e.fault === fault && e.code === 'VME_ERR_WSMAN_MALFORMED');
  });
}

test('limits: body size, depth, element count, attributes and text are enforced with VME_ERR_WSMAN_TOO_LARGE', () => {
  const small = { ...DEFAULT_WSMAN_LIMITS, maxBodyBytes: 4096, maxDepth: 8, maxElements: 40, maxAttributes: 8, maxTextChars: 100 };
  const base = envelope({ action: ACTION.get, resourceUri: GS });
  const cases = [
    base + ' '.repeat(4096),
    envelope({ action: ACTION.get, body: '<x>'.repeat(10) + '</x>'.repeat(10) }),
    envelope({ action: ACTION.get, body: '<x/>'.repeat(40) }),
    envelope({ action: ACTION.get, body: `<x ${Array.from({ length: 9 }, (_, i) => `a${i}="1"`).join(' ')}/>` }),
    envelope({ action: ACTION.get, body: `<x>${'y'.repeat(101)}</x>` }),
  ];
  for (const xml of cases) {
    assert.throws(() => parse(xml, small), (e: unknown) => e instanceof WsmanRequestError && e.code === 'VME_ERR_WSMAN_TOO_LARGE' && e.fault === 'limit', xml.slice(-60));
  }
  assert.doesNotThrow(() => parse(base, small));
});

test('parser refusals become faults with HTTP 400 and the right subcode; RelatesTo when the MessageID was read', async () => {
  const wsman = createTestWsman({ limits: { maxDepth: 6 } });
  const dtd = await wsman.call(refusals[0]?.[1] ?? '');
  assert.equal(dtd.status, 400);
  assert.match(dtd.body, /e:SchemaValidationError/);
  const deep = await wsman.call(envelope({ action: ACTION.get, resourceUri: GS, body: '<x><x><x><x><x></x></x></x></x></x>' }));
  assert.match(deep.body, /e:EncodingLimit/);
  const noId = await wsman.call(refusals[6]?.[1] ?? '');
  assert.match(noId.body, /b:MessageInformationHeaderRequired/);
  const mu = await wsman.call(refusals[7]?.[1] ?? '');
  assert.match(mu.body, /<a:Value>a:MustUnderstand<\/a:Value>/);
  assert.equal(textOf(mu.body, 'b:RelatesTo'), '1');
});

/** Mutations: cut, byte flips, duplicated or removed spans, injected markup. */
function mutate(random: SeededRandom, text: string): string {
  const at = random.int(text.length + 1);
  const pieces = ['<', '>', '&', '&#0;', '&#x110000;', ']]>', '<!DOCTYPE x>', '<![CDATA[', 'xmlns:a=""', '"', '\u0000', '\uffff', '<a:MessageID>', '</Body>', '<x>'.repeat(40)];
  switch (random.int(6)) {
    case 0: return text.slice(0, at);
    case 1: return text.slice(0, at) + String.fromCharCode(random.int(256)) + text.slice(at + 1);
    case 2: return text.slice(0, at) + random.pick(pieces) + text.slice(at);
    case 3: { const end = at + random.int(40); return text.slice(0, at) + text.slice(end); }
    case 4: { const end = at + random.int(60); return text.slice(0, end) + text.slice(at, end) + text.slice(end); }
    default: return text.replace(random.pick(['Get', 'Pull', 'Enumerate', 'General', 'Selector', 'Envelope', 'Body']), random.pick(['', 'X', 'Put', 'Delete']));
  }
}

test('fuzz: 3000 mutated envelopes (seeded) always give a 200 reply or a 400 SOAP fault, never a throw', async () => {
  const random = new SeededRandom(0x5eed_0008);
  const wsman = createTestWsman({ limits: { maxDepth: 24, maxElements: 512 } });
  const seeds = [
    envelope({ action: ACTION.get, resourceUri: GS }),
    envelope({ action: ACTION.put, resourceUri: GS, body: `<h:AMT_GeneralSettings xmlns:h="${GS}"><h:HostName>vme</h:HostName><h:PingResponseEnabled>false</h:PingResponseEnabled></h:AMT_GeneralSettings>` }),
    envelope({ action: ACTION.enumerate, resourceUri: `${SCHEMA_BASE.CIM}CIM_SoftwareIdentity`, body: `<Enumerate xmlns="${NS.enumeration}"/>` }),
    envelope({ action: ACTION.pull, resourceUri: `${SCHEMA_BASE.CIM}CIM_SoftwareIdentity`, body: pullBody('01000000-0000-0000-0000-000000000000', 5) }),
    envelope({ action: `${SCHEMA_BASE.AMT}AMT_SetupAndConfigurationService/GetUuid`, resourceUri: `${SCHEMA_BASE.AMT}AMT_SetupAndConfigurationService` }),
  ];
  const counts = { 200: 0, 400: 0 };
  for (let i = 0; i < 3000; i++) {
    let text = random.pick(seeds);
    for (let n = 1 + random.int(3); n > 0; n--) text = mutate(random, text);
    const realms = random.int(4) === 0 ? ['Hardware Asset'] : undefined;
    const reply = await wsman.call(text, realms);
    assert.ok(reply.status === 200 || reply.status === 400, `case ${i}`);
    assert.ok(reply.body.startsWith('<?xml version="1.0" encoding="UTF-8"?><a:Envelope '), `case ${i}`);
    assert.ok(reply.status === 200 || reply.body.includes('<a:Fault>'), `case ${i}`);
    counts[reply.status]++;
  }
  assert.ok(counts[200] > 100 && counts[400] > 100, JSON.stringify(counts));
});
