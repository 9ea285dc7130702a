/**
 * A small WS-Management client for AMT, as consoles speak it: Get, Put, Enumerate+Pull and method
 * Invoke on a class named like `AMT_GeneralSettings`, over a `DigestSession`. Requests are written
 * in the go-wsman / wsman-messages shape (brief §2.2); replies are parsed with the same strict XML
 * reader the device uses and returned as plain property maps. A SOAP fault becomes a typed error.
 */
import { randomUUID } from 'node:crypto';
import { VmeError } from '../common/errors.js';
import { DEFAULT_WSMAN_LIMITS } from '../amt/wsman/limits.js';
import { ACTION, NS, SCHEMA_BASE } from '../amt/wsman/namespaces.js';
import { child, parseXml, type XmlElement } from '../amt/wsman/xml-tree.js';
import { DigestSession, type AmtEndpoint } from './digest-session.js';

/** A class's properties: text, or repeated text for arrays. Nested elements (EPRs) as their text content flattened. */
export type Properties = Record<string, string | string[]>;

/** Method inputs: a value, repeated values, or raw XML (an EPR) marked `{ xml }`. */
export type Inputs = Record<string, string | number | boolean | readonly string[] | { readonly xml: string }>;

const RESPONSE_LIMITS = { ...DEFAULT_WSMAN_LIMITS, maxBodyBytes: 4 * 1024 * 1024, maxElements: 100_000 };

/** The ResourceURI of a class from its name's schema prefix. */
export function resourceUri(className: string): string {
  const schema = className.slice(0, className.indexOf('_')) as keyof typeof SCHEMA_BASE;
  const base = Object.hasOwn(SCHEMA_BASE, schema) ? SCHEMA_BASE[schema] : undefined;
  if (base === undefined) throw new VmeError('VME_ERR_USAGE', `unknown class schema in ${JSON.stringify(className)} (AMT_, CIM_ or IPS_)`);
  return base + className;
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function envelope(action: string, uri: string, body = '', selectors: Readonly<Record<string, string>> = {}): string {
  const set = Object.entries(selectors).map(([name, value]) => `<w:Selector Name="${escapeXml(name)}">${escapeXml(value)}</w:Selector>`).join('');
  return `<?xml version="1.0" encoding="utf-8"?><Envelope xmlns="${NS.soap}" xmlns:a="${NS.addressing}" xmlns:w="${NS.wsman}"><Header>`
    + `<a:Action>${action}</a:Action><a:To>/wsman</a:To><w:ResourceURI>${uri}</w:ResourceURI><a:MessageID>uuid:${randomUUID()}</a:MessageID>`
    + `<a:ReplyTo><a:Address>${NS.addressing}/role/anonymous</a:Address></a:ReplyTo><w:OperationTimeout>PT60S</w:OperationTimeout>`
    + `${set ? `<w:SelectorSet>${set}</w:SelectorSet>` : ''}</Header><Body>${body}</Body></Envelope>`;
}

function inputsXml(prefix: string, values: Inputs): string {
  return Object.entries(values).map(([name, value]) => {
    if (typeof value === 'object' && 'xml' in value) return `<${prefix}:${name}>${value.xml}</${prefix}:${name}>`;
    const list = Array.isArray(value) ? (value as readonly string[]) : [String(value as string | number | boolean)];
    return list.map((item) => `<${prefix}:${name}>${escapeXml(item)}</${prefix}:${name}>`).join('');
  }).join('');
}

/** Leaf elements of `element` as a property map (repeated names become arrays). */
export function propertiesOf(element: XmlElement): Properties {
  const out: Properties = {};
  for (const item of element.children) {
    const value = item.children.length === 0 ? item.text : flatten(item);
    const existing = out[item.name];
    out[item.name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return out;
}

const flatten = (element: XmlElement): string => element.children.length === 0 ? element.text : element.children.map(flatten).join(' ');

export class WsmanError extends VmeError {
  constructor(readonly subcode: string, message: string) {
    super('VME_ERR_AMT_CLIENT', message, { subcode });
  }
}

export class WsmanClient {
  readonly session: DigestSession;

  constructor(endpoint: AmtEndpoint) {
    this.session = new DigestSession(endpoint);
  }

  async get(className: string, selectors: Readonly<Record<string, string>> = {}): Promise<Properties> {
    const body = await this.#call(envelope(ACTION.get, resourceUri(className), '', selectors));
    return propertiesOf(firstChild(body, className));
  }

  /** Put: the current instance with `changes` applied, sent whole as consoles do. */
  async put(className: string, changes: Readonly<Record<string, string | number | boolean>>, selectors: Readonly<Record<string, string>> = {}): Promise<Properties> {
    const current = await this.get(className, selectors);
    const merged: Inputs = { ...current, ...Object.fromEntries(Object.entries(changes).map(([k, v]) => [k, String(v)])) };
    const uri = resourceUri(className);
    const instance = `<h:${className} xmlns:h="${uri}">${inputsXml('h', merged)}</h:${className}>`;
    const body = await this.#call(envelope(ACTION.put, uri, instance, selectors));
    return propertiesOf(firstChild(body, className));
  }

  async enumerate(className: string): Promise<Properties[]> {
    const uri = resourceUri(className);
    const started = await this.#call(envelope(ACTION.enumerate, uri, `<Enumerate xmlns="${NS.enumeration}"/>`));
    let context = child(child(started, NS.enumeration, 'EnumerateResponse'), NS.enumeration, 'EnumerationContext')?.text;
    const items: Properties[] = [];
    while (context !== undefined) {
      const pulled = child(await this.#call(envelope(ACTION.pull, uri, `<Pull xmlns="${NS.enumeration}"><EnumerationContext>${escapeXml(context)}</EnumerationContext><MaxElements>999</MaxElements></Pull>`)), NS.enumeration, 'PullResponse');
      for (const item of child(pulled, NS.enumeration, 'Items')?.children ?? []) items.push(propertiesOf(item));
      context = child(pulled, NS.enumeration, 'EndOfSequence') ? undefined : child(pulled, NS.enumeration, 'EnumerationContext')?.text;
    }
    return items;
  }

  /** Invokes `method`; returns the output (ReturnValue included) as a property map. */
  async invoke(className: string, method: string, inputs: Inputs = {}, selectors: Readonly<Record<string, string>> = {}): Promise<Properties> {
    const uri = resourceUri(className);
    const body = `<h:${method}_INPUT xmlns:h="${uri}">${inputsXml('h', inputs)}</h:${method}_INPUT>`;
    return propertiesOf(firstChild(await this.#call(envelope(`${uri}/${method}`, uri, body, selectors)), `${method}_OUTPUT`));
  }

  close(): void {
    this.session.close();
  }

  async #call(xml: string): Promise<XmlElement> {
    const reply = await this.session.post(xml);
    let root: XmlElement;
    try {
      root = parseXml(Buffer.from(reply.body), RESPONSE_LIMITS);
    } catch {
      throw new VmeError('VME_ERR_AMT_CLIENT', `the device answered HTTP ${reply.status} with a body that is not SOAP`);
    }
    const body = child(root, NS.soap, 'Body');
    const fault = child(body, NS.soap, 'Fault');
    if (fault !== undefined || reply.status !== 200) {
      const subcode = child(child(child(fault, NS.soap, 'Code'), NS.soap, 'Subcode'), NS.soap, 'Value')?.text ?? `HTTP ${reply.status}`;
      const reason = child(child(fault, NS.soap, 'Reason'), NS.soap, 'Text')?.text ?? '';
      throw new WsmanError(subcode, `WS-Man fault ${subcode}${reason ? `: ${reason}` : ''}`);
    }
    if (body === undefined) throw new VmeError('VME_ERR_AMT_CLIENT', 'the reply has no SOAP Body');
    return body;
  }
}

function firstChild(body: XmlElement, name: string): XmlElement {
  const found = body.children.find((element) => element.name === name);
  if (found === undefined) throw new VmeError('VME_ERR_AMT_CLIENT', `the reply carries no ${name}`);
  return found;
}
