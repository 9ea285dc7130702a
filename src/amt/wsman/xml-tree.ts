/**
 * A namespace-aware XML reader for WS-Man requests, on `saxes` (a strict, well-kept SAX parser).
 * It builds a small plain tree: every element with its namespace URI resolved, its attributes and
 * its own text. DTDs are refused outright (so no entity can be declared or expanded: XXE and
 * "billion laughs" are impossible); only XML's five predefined entities and character references
 * are understood. Body size, depth, element count, attributes and text are capped as parsing runs.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import { VmeError } from '../../common/errors.js';
import type { WsmanLimits } from './limits.js';

export interface XmlAttribute {
  /** Namespace URI ('' for an unprefixed attribute). */
  readonly ns: string;
  readonly name: string;
  readonly value: string;
}

export interface XmlElement {
  /** Namespace URI ('' when none is in scope). */
  readonly ns: string;
  /** Local name. */
  readonly name: string;
  readonly attributes: readonly XmlAttribute[];
  readonly children: readonly XmlElement[];
  /** The element's own character data (children's text excluded), untrimmed. */
  readonly text: string;
}

interface Building {
  readonly ns: string;
  readonly name: string;
  readonly attributes: XmlAttribute[];
  readonly children: XmlElement[];
  text: string;
}

const malformed = (message: string): VmeError => new VmeError('VME_ERR_WSMAN_MALFORMED', message);
const tooLarge = (message: string): VmeError => new VmeError('VME_ERR_WSMAN_TOO_LARGE', message);

/**
 * Parses `bytes` (UTF-8) into its root element.
 * @throws VmeError VME_ERR_WSMAN_MALFORMED (not well-formed, DTD, bad UTF-8) or VME_ERR_WSMAN_TOO_LARGE.
 */
export function parseXml(bytes: Uint8Array, limits: WsmanLimits): XmlElement {
  if (bytes.length > limits.maxBodyBytes) throw tooLarge(`body of ${bytes.length} bytes exceeds ${limits.maxBodyBytes}`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw malformed('body is not valid UTF-8');
  }
  const reader = new TreeReader(limits);
  try {
    reader.parser.write(text).close();
  } catch (error) {
    if (error instanceof VmeError) throw error;
    throw malformed(`not well-formed XML: ${(error as Error).message}`);
  }
  return reader.root();
}

class TreeReader {
  readonly parser = new SaxesParser({ xmlns: true, position: true });
  readonly #stack: Building[] = [];
  #root: XmlElement | undefined;
  #elements = 0;

  constructor(readonly limits: WsmanLimits) {
    this.parser.on('doctype', () => { throw malformed('a DTD is not accepted'); });
    this.parser.on('processinginstruction', () => { throw malformed('processing instructions are not accepted'); });
    this.parser.on('opentag', (tag) => this.#open(tag));
    this.parser.on('closetag', () => this.#close());
    this.parser.on('text', (data) => this.#text(data));
    this.parser.on('cdata', (data) => this.#text(data));
  }

  root(): XmlElement {
    if (this.#root === undefined) throw malformed('no root element');
    return this.#root;
  }

  #open(tag: SaxesTagNS): void {
    if (++this.#elements > this.limits.maxElements) throw tooLarge(`more than ${this.limits.maxElements} elements`);
    if (this.#stack.length + 1 > this.limits.maxDepth) throw tooLarge(`elements nested deeper than ${this.limits.maxDepth}`);
    const attributes = Object.values(tag.attributes);
    if (attributes.length > this.limits.maxAttributes) throw tooLarge(`more than ${this.limits.maxAttributes} attributes on <${tag.name}>`);
    this.#stack.push({
      ns: tag.uri, name: tag.local, text: '', children: [],
      attributes: attributes.filter((a) => a.prefix !== 'xmlns' && a.name !== 'xmlns').map((a) => ({ ns: a.uri, name: a.local, value: a.value })),
    });
  }

  #close(): void {
    const done = this.#stack.pop();
    if (done === undefined) return;
    const element: XmlElement = { ns: done.ns, name: done.name, attributes: done.attributes, children: done.children, text: done.text };
    const parent = this.#stack.at(-1);
    if (parent) parent.children.push(element);
    else this.#root = element;
  }

  #text(data: string): void {
    const current = this.#stack.at(-1);
    if (current === undefined) return;
    if (current.text.length + data.length > this.limits.maxTextChars) throw tooLarge(`more than ${this.limits.maxTextChars} characters of text in <${current.name}>`);
    current.text += data;
  }
}

/** The first child named `name` in namespace `ns`. */
export function child(element: XmlElement | undefined, ns: string, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.ns === ns && c.name === name);
}

/** Every child named `name` in namespace `ns`. */
export function childrenNamed(element: XmlElement, ns: string, name: string): XmlElement[] {
  return element.children.filter((c) => c.ns === ns && c.name === name);
}

/** An attribute's value by namespace and local name. */
export function attribute(element: XmlElement, ns: string, name: string): string | undefined {
  return element.attributes.find((a) => a.ns === ns && a.name === name)?.value;
}
