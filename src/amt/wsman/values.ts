/**
 * Property values on the wire (brief §2.3): booleans `true`/`false`, integers in decimal, arrays as
 * repeated elements, empty strings as empty elements, binary as base64, datetimes and intervals
 * (xs:duration) wrapped in the common namespace's `Datetime` / `Interval`, EPRs as `b:Address` +
 * `b:ReferenceParameters`, embedded instances (method inputs only) as their own properties in
 * their class's namespace. Writing follows the declared order; reading checks each value against
 * its declared type.
 */
import type { ClassDeclaration, EmbeddedInstance, Instance, PropertyDecl, PropertyType, Scalar } from './declaration.js';
import { WsmanFault } from './faults.js';
import { readEndpointReference, type EndpointReference, type SelectorValue } from './request.js';
import { element, escapeAttribute, escapeText, textElement } from './xml-write.js';
import type { XmlElement } from './xml-tree.js';
import { NS } from './namespaces.js';

/**
 * Instances of a subclass (brief §2.4): enumerating an association or superclass, e.g.
 * CIM_ServiceAvailableToElement, yields items named after their actual class, in that class's
 * namespace. The mark belongs to the instance object itself, so a spread copy is unmarked.
 */
const ACTUAL_CLASS = new WeakMap<Instance, ClassDeclaration>();

/** Marks `instance` as one of `declaration` (its element name and namespace in Pull items); returns it. */
export function asInstanceOf(declaration: ClassDeclaration, instance: Instance): Instance {
  ACTUAL_CLASS.set(instance, declaration);
  return instance;
}

/** The class `instance` was marked with by `asInstanceOf`, if any. */
export function actualClassOf(instance: Instance): ClassDeclaration | undefined {
  return ACTUAL_CLASS.get(instance);
}

/** Prefixes in force where an instance is written. */
export interface WritePrefixes {
  /** The class namespace's prefix (g in Get/Put/Invoke replies, h in Pull items). */
  readonly cls: string;
  /** The wscim common namespace's prefix, when declared. */
  readonly common?: string;
}

/** The properties of `values` in `declared` order, each as `<p:Name>`. */
export function writeProperties(declared: readonly PropertyDecl[], values: Instance, prefixes: WritePrefixes): string {
  let out = '';
  for (const property of declared) {
    const value = values[property.name];
    if (value === undefined) continue;
    const items: readonly Scalar[] = Array.isArray(value) ? value : [value as Scalar];
    for (const item of items) out += element(`${prefixes.cls}:${property.name}`, writeScalar(property, item, prefixes));
  }
  return out;
}

/** A non-EPR scalar's text (numbers decimal, booleans true/false, bytes base64); '' for anything else. */
export function scalarText(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return '';
}

function writeScalar(property: PropertyDecl, value: Scalar, prefixes: WritePrefixes): string {
  if (property.type === 'epr') return writeEndpointReference(value as EndpointReference);
  // The registry admits `instance` for method inputs only, which are never written.
  if (property.type === 'instance') throw new WsmanFault('internalError', `${property.name}: an embedded instance is never written`);
  const text = escapeText(scalarText(value));
  if (property.type === 'datetime') return element(`${prefixes.common ?? 'h'}:Datetime`, text);
  if (property.type === 'interval') return element(`${prefixes.common ?? 'h'}:Interval`, text);
  return text;
}

/** `<b:Address>…</b:Address><b:ReferenceParameters><c:ResourceURI>…</c:ResourceURI><c:SelectorSet>…` (reply prefixes). */
export function writeEndpointReference(epr: EndpointReference): string {
  return textElement('b:Address', epr.address) + element('b:ReferenceParameters',
    textElement('c:ResourceURI', epr.resourceUri) + element('c:SelectorSet', writeSelectors(epr.selectors)));
}

function writeSelectors(selectors: ReadonlyMap<string, SelectorValue>): string {
  let out = '';
  for (const [name, value] of selectors) {
    const inner = typeof value === 'string' ? escapeText(value) : element('b:EndpointReference', writeEndpointReference(value));
    out += element('c:Selector', inner, ` Name="${escapeAttribute(name)}"`);
  }
  return out;
}

/**
 * Reads the declared properties present among `parent`'s children (class namespace or none).
 * @throws WsmanFault invalidRepresentation for a value that does not fit its type.
 */
export function readProperties(declared: readonly PropertyDecl[], parent: XmlElement, classNs: string): Instance {
  const values: Record<string, Scalar | Scalar[]> = {};
  for (const property of declared) {
    const found = parent.children.filter((c) => c.name === property.name && (c.ns === classNs || c.ns === ''));
    if (found.length === 0) continue;
    // go-wsman wraps array items one level deeper (`<Realms><RealmValue>3</RealmValue></Realms>`).
    const items = property.array && !STRUCTURED.has(property.type) ? found.flatMap((c) => (c.children.length > 0 ? c.children : [c])) : found;
    const parsed = items.map((c) => readScalar(property, c));
    values[property.name] = property.array ? parsed : (parsed[0] as Scalar);
  }
  return values;
}

/** Types whose value is itself made of child elements. */
const STRUCTURED: ReadonlySet<PropertyType> = new Set(['epr', 'datetime', 'interval', 'instance']);

/**
 * xs:duration (XML Schema part 2 §3.2.6): an optional sign, P, then at least one of nY nM nD, and
 * after T at least one of nH nM n[.n]S. Only the syntax; what a duration may be is the class's rule.
 */
const XS_DURATION = /^-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;

/** Whether `text` is an xs:duration. */
export function isXsDuration(text: string): boolean {
  return XS_DURATION.test(text);
}

/** The wscim common child (`Datetime`, `Interval`) of a datetime/interval property, trimmed. */
function commonChild(node: XmlElement, name: string): string | undefined {
  return node.children.find((c) => c.ns === NS.common && c.name === name)?.text.trim();
}

const UINT_MAX: Partial<Record<PropertyType, number>> = { uint8: 0xff, uint16: 0xffff, uint32: 0xffff_ffff, uint64: Number.MAX_SAFE_INTEGER };

function readScalar(property: PropertyDecl, node: XmlElement): Scalar {
  const text = node.text.trim();
  const bad = (): WsmanFault => new WsmanFault('invalidRepresentation', `${property.name}: not a valid ${property.type}`);
  switch (property.type) {
    case 'string': return node.text;
    case 'boolean':
      if (text === 'true' || text === '1') return true;
      if (text === 'false' || text === '0') return false;
      throw bad();
    case 'sint32': {
      if (!/^[+-]?\d{1,10}$/.test(text) || Math.abs(Number(text)) > 0x8000_0000 || Number(text) === 0x8000_0000) throw bad();
      return Number(text);
    }
    case 'base64':
      if (!/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(text)) throw bad();
      return Uint8Array.from(Buffer.from(text, 'base64'));
    case 'datetime':
    case 'interval': {
      const inner = commonChild(node, property.type === 'datetime' ? 'Datetime' : 'Interval');
      if (inner === undefined || (property.type === 'interval' && !isXsDuration(inner))) throw bad();
      return inner;
    }
    case 'epr': return readEndpointReference(node);
    case 'instance': {
      if (property.embedded === undefined) throw bad();
      const embedded: EmbeddedInstance = readProperties(property.embedded.properties, node, property.embedded.resourceUri);
      return embedded;
    }
    default: {
      const max = UINT_MAX[property.type] ?? 0;
      if (!/^\d{1,16}$/.test(text) || Number(text) > max) throw bad();
      return Number(text);
    }
  }
}
