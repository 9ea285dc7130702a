/** Test helpers for the WS-Man layer: platform facts, a handler over in-memory state, request envelopes, XML shape. */
import type { AmtOrigin, AmtResponse } from '../http/index.js';
import type { ClassDeclaration } from './declaration.js';
import { RecordingDevice } from './device.js';
import { DEFAULT_CHASSIS, type PlatformFacts } from './facts.js';
import { createAmtClassRegistry } from './classes/index.js';
import { createWsmanHandler, type WsmanHandler, type WsmanHandlerOptions } from './handler.js';
import { ACTION, NS } from './namespaces.js';
import { ALL_REALM_NAMES } from './realms.js';
import { InMemoryWsmanState } from './state.js';

export const TEST_WSMAN_REALM = 'Digest:727734D63A1FC0423736E48DA554E462';
/** The UUID of the recorded `cim/computer/systempackage/get.xml` (PlatformGUID 13AEE355…). */
export const TEST_UUID = Uint8Array.from(Buffer.from('13AEE355D2BFBB6117A088AEDD7037EA', 'hex'));

export const TEST_FACTS: PlatformFacts = {
  firmware: { version: '16.1.27.2225', sku: 16392, biosVersion: 'VME.BIOS.0001' },
  uuid: TEST_UUID,
  chassis: DEFAULT_CHASSIS,
  /** The MAC of the recorded `amt/ethernetport/get.xml`. */
  macAddress: Uint8Array.from([0xc8, 0xd9, 0xd2, 0x7a, 0x1e, 0x33]),
  networkAddress: '127.0.0.2',
};

export interface TestWsman {
  readonly handler: WsmanHandler;
  readonly state: InMemoryWsmanState;
  /** Records the actions handlers queue; set its power state and clock in tests. */
  readonly device: RecordingDevice;
  /** POSTs `xml` to /wsman as `user` holding `realms` (default: every realm, like the built-in admin). */
  call(xml: string | Uint8Array, realms?: readonly string[], user?: string, origin?: AmtOrigin): Promise<{ status: number; body: string }>;
}

export function createTestWsman(options: { extra?: readonly ClassDeclaration[] } & Partial<WsmanHandlerOptions> = {}): TestWsman {
  const state = new InMemoryWsmanState();
  const device = new RecordingDevice();
  const handler = createWsmanHandler({ registry: createAmtClassRegistry(options.extra), state, facts: TEST_FACTS, realm: TEST_WSMAN_REALM, device, ...options });
  return {
    handler, state, device,
    call: async (xml, realms = ALL_REALM_NAMES, user = 'admin', origin: AmtOrigin = 'network') => {
      const response: AmtResponse = await handler({
        method: 'POST', path: '/wsman', headers: new Map(), body: typeof xml === 'string' ? Buffer.from(xml) : xml,
        principal: { user, realms }, transport: 'http', origin, remote: { address: '127.0.0.1', port: 40000 },
      });
      if (response.kind !== 'wsman') throw new Error(`expected a wsman reply, got a ${response.status} page`);
      return { status: response.status, body: typeof response.body === 'string' ? response.body : Buffer.from(response.body).toString() };
    },
  };
}

export interface EnvelopeOptions {
  readonly action: string;
  readonly resourceUri?: string;
  readonly messageId?: string;
  readonly selectors?: Record<string, string>;
  readonly body?: string;
  readonly extraHeaders?: string;
}

/** A request envelope in go-wsman / wsman-messages style (brief §2.2). */
export function envelope(o: EnvelopeOptions): string {
  const selectors = o.selectors ? `<w:SelectorSet>${Object.entries(o.selectors).map(([n, v]) => `<w:Selector Name="${n}">${v}</w:Selector>`).join('')}</w:SelectorSet>` : '';
  return `<?xml version="1.0" encoding="utf-8"?><Envelope xmlns:xsi="${NS.xsi}" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:a="${NS.addressing}" xmlns:w="${NS.wsman}" xmlns="${NS.soap}">`
    + `<Header><a:Action>${o.action}</a:Action><a:To>/wsman</a:To>${o.resourceUri === undefined ? '' : `<w:ResourceURI>${o.resourceUri}</w:ResourceURI>`}`
    + `<a:MessageID>${o.messageId ?? '1'}</a:MessageID><a:ReplyTo><a:Address>${NS.addressing}/role/anonymous</a:Address></a:ReplyTo>`
    + `<w:OperationTimeout>PT60S</w:OperationTimeout>${selectors}${o.extraHeaders ?? ''}</Header><Body>${o.body ?? ''}</Body></Envelope>`;
}

export const pullBody = (context: string, max?: number): string =>
  `<Pull xmlns="${NS.enumeration}"><EnumerationContext>${context}</EnumerationContext>${max === undefined ? '' : `<MaxElements>${max}</MaxElements>`}</Pull>`;
export const ENUMERATE_BODY = `<Enumerate xmlns="${NS.enumeration}" />`;
export { ACTION };

/** Start-tag qualified names in document order (whitespace and text ignored). */
export function tagSequence(xml: string): string[] {
  return [...xml.matchAll(/<([A-Za-z_][\w.:-]*)[\s>/]/g)].map((m) => m[1] ?? '').filter((name) => name !== '?xml');
}

/** The root element's `xmlns:p="uri"` declarations in order (tolerates `= "` as in some fixtures). */
export function rootNamespaces(xml: string): [string, string][] {
  const root = /<a:Envelope([^>]*)>/.exec(xml)?.[1] ?? '';
  return [...root.matchAll(/xmlns:(\w+)=\s*"([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']);
}

/** Text of the first element with this qualified name. */
export function textOf(xml: string, qname: string): string | undefined {
  return new RegExp(`<${qname}(?:\\s[^>]*)?>([^<]*)</${qname}>`).exec(xml)?.[1];
}
