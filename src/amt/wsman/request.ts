/**
 * The typed view of one WS-Man request (brief §2.2): addressing headers, selectors, options and
 * the Body's payload, from the namespace-resolved tree of `xml-tree.ts`. Prefixes do not matter
 * (go-wsman, wsman-messages, MeshCommander, openwsman all differ); namespaces do.
 */
import { VmeError } from '../../common/errors.js';
import type { WsmanLimits } from './limits.js';
import { NS } from './namespaces.js';
import { attribute, child, childrenNamed, parseXml, type XmlElement } from './xml-tree.js';

/** An endpoint reference (`Address` + `ReferenceParameters`), as selectors and EPR properties carry it. */
export interface EndpointReference {
  readonly address: string;
  readonly resourceUri: string;
  readonly selectors: ReadonlyMap<string, SelectorValue>;
}

export type SelectorValue = string | EndpointReference;

export interface WsmanRequest {
  readonly action: string;
  readonly to: string;
  readonly resourceUri: string | undefined;
  /** Verbatim text: clients send integers or `uuid:` values; the reply's RelatesTo echoes it. */
  readonly messageId: string;
  readonly replyTo: string | undefined;
  readonly operationTimeout: string | undefined;
  readonly selectors: ReadonlyMap<string, SelectorValue>;
  readonly options: ReadonlyMap<string, string>;
  /** Pull only. */
  readonly enumerationContext: string | undefined;
  /** Pull only. */
  readonly maxElements: number | undefined;
  /** Enumerate only: `EnumerationMode` text, e.g. `EnumerateObjectAndEPR`. */
  readonly enumerationMode: string | undefined;
  /** The Body's first element (Put/Create instance, method `_INPUT`, Pull), if any. */
  readonly payload: XmlElement | undefined;
}

/** What could be read before the request proved unacceptable (for the fault's RelatesTo). */
export interface PartialRequest {
  readonly messageId?: string;
}

export class WsmanRequestError extends VmeError {
  constructor(code: 'VME_ERR_WSMAN_MALFORMED' | 'VME_ERR_WSMAN_TOO_LARGE', message: string, readonly partial: PartialRequest, readonly fault: 'missing-header' | 'schema' | 'limit' | 'not-understood') {
    super(code, message, { fault });
  }
}

/**
 * Parses a SOAP 1.2 envelope into a WsmanRequest.
 * @throws WsmanRequestError whatever is wrong with it (never another error).
 */
export function parseWsmanRequest(body: Uint8Array, limits: WsmanLimits): WsmanRequest {
  let root: XmlElement;
  try {
    root = parseXml(body, limits);
  } catch (error) {
    const e = error as VmeError;
    const code = e.code === 'VME_ERR_WSMAN_TOO_LARGE' ? e.code : 'VME_ERR_WSMAN_MALFORMED';
    throw new WsmanRequestError(code, e.message, {}, code === 'VME_ERR_WSMAN_TOO_LARGE' ? 'limit' : 'schema');
  }
  return readEnvelope(root);
}

function readEnvelope(root: XmlElement): WsmanRequest {
  const bad = (message: string, partial: PartialRequest = {}, fault: WsmanRequestError['fault'] = 'schema'): WsmanRequestError =>
    new WsmanRequestError('VME_ERR_WSMAN_MALFORMED', message, partial, fault);
  if (root.ns !== NS.soap || root.name !== 'Envelope') throw bad('the root element is not a SOAP 1.2 Envelope');
  const header = child(root, NS.soap, 'Header');
  const body = child(root, NS.soap, 'Body');
  if (header === undefined || body === undefined) throw bad('the envelope lacks Header or Body');
  const text = (ns: string, name: string): string | undefined => child(header, ns, name)?.text.trim();
  const messageId = text(NS.addressing, 'MessageID');
  const partial = messageId === undefined ? {} : { messageId };
  const action = text(NS.addressing, 'Action');
  const to = text(NS.addressing, 'To');
  if (messageId === undefined || action === undefined || to === undefined) throw bad('a required addressing header (Action, To, MessageID) is missing', partial, 'missing-header');
  const notUnderstood = header.children.find((h) => isMustUnderstand(h) && !KNOWN_HEADERS.has(`${h.ns} ${h.name}`));
  if (notUnderstood) throw bad(`header ${notUnderstood.name} must be understood but is not`, partial, 'not-understood');
  const payload = body.children[0];
  const enumeration = payload?.ns === NS.enumeration ? payload : undefined;
  const maxElementsText = child(enumeration, NS.enumeration, 'MaxElements')?.text.trim();
  const maxElements = maxElementsText === undefined ? undefined : /^\d{1,9}$/.test(maxElementsText) ? Number(maxElementsText) : Number.NaN;
  if (Number.isNaN(maxElements)) throw bad('MaxElements is not a non-negative integer', partial);
  return {
    action, to, messageId, payload,
    resourceUri: text(NS.wsman, 'ResourceURI'),
    replyTo: child(child(header, NS.addressing, 'ReplyTo'), NS.addressing, 'Address')?.text.trim(),
    operationTimeout: text(NS.wsman, 'OperationTimeout'),
    selectors: readSelectorSet(child(header, NS.wsman, 'SelectorSet'), partial),
    options: readOptions(child(header, NS.wsman, 'OptionSet')),
    enumerationContext: child(enumeration, NS.enumeration, 'EnumerationContext')?.text.trim(),
    maxElements,
    enumerationMode: child(enumeration, NS.wsman, 'EnumerationMode')?.text.trim(),
  };
}

const KNOWN_HEADERS = new Set([
  `${NS.addressing} Action`, `${NS.addressing} To`, `${NS.addressing} MessageID`, `${NS.addressing} ReplyTo`,
  `${NS.wsman} ResourceURI`, `${NS.wsman} SelectorSet`, `${NS.wsman} OptionSet`, `${NS.wsman} OperationTimeout`,
  `${NS.wsman} MaxEnvelopeSize`, `${NS.wsman} Locale`, `${NS.wsman} DataLocale`, `${NS.wsman} SequenceId`,
]);

function isMustUnderstand(element: XmlElement): boolean {
  const value = attribute(element, NS.soap, 'mustUnderstand');
  return value === 'true' || value === '1';
}

/** `<w:SelectorSet><w:Selector Name="...">text | EndpointReference</w:Selector>...` in any order. */
export function readSelectorSet(set: XmlElement | undefined, partial: PartialRequest = {}): ReadonlyMap<string, SelectorValue> {
  const selectors = new Map<string, SelectorValue>();
  if (set === undefined) return selectors;
  for (const selector of childrenNamed(set, NS.wsman, 'Selector')) {
    const name = attribute(selector, '', 'Name');
    if (name === undefined || selectors.has(name)) {
      throw new WsmanRequestError('VME_ERR_WSMAN_MALFORMED', `selector ${name === undefined ? 'without Name' : `${name} repeated`}`, partial, 'schema');
    }
    const epr = child(selector, NS.addressing, 'EndpointReference');
    selectors.set(name, epr ? readEndpointReference(epr) : selector.text.trim());
  }
  return selectors;
}

/** An EPR element's `Address` and `ReferenceParameters` (`ResourceURI`, `SelectorSet`). */
export function readEndpointReference(element: XmlElement): EndpointReference {
  const parameters = child(element, NS.addressing, 'ReferenceParameters');
  return {
    address: child(element, NS.addressing, 'Address')?.text.trim() ?? '',
    resourceUri: child(parameters, NS.wsman, 'ResourceURI')?.text.trim() ?? '',
    selectors: readSelectorSet(child(parameters, NS.wsman, 'SelectorSet')),
  };
}

function readOptions(set: XmlElement | undefined): ReadonlyMap<string, string> {
  const options = new Map<string, string>();
  for (const option of set ? childrenNamed(set, NS.wsman, 'Option') : []) {
    const name = attribute(option, '', 'Name');
    if (name !== undefined) options.set(name, option.text.trim());
  }
  return options;
}
