/**
 * Finding the instance a request's SelectorSet names. Selectors may come in any order and may be
 * EPRs (brief §2.2). A selector that is not a key is InvalidSelectors; no match is
 * DestinationUnreachable (brief §2.5); no selectors on a singleton is fine (brief §2.4), on a
 * class with no or several instances InvalidSelectors.
 */
import type { Instance, PropertyValue } from './declaration.js';
import { WsmanFault } from './faults.js';
import type { RegisteredClass } from './registry.js';
import type { EndpointReference, SelectorValue } from './request.js';
import { scalarText } from './values.js';

export function selectInstance(cls: RegisteredClass, instances: readonly Instance[], selectors: ReadonlyMap<string, SelectorValue>): Instance {
  for (const name of selectors.keys()) {
    if (!cls.keys.some((key) => key.name === name)) throw new WsmanFault('invalidSelectors', `${name} is not a key of ${cls.declaration.name}`);
  }
  if (selectors.size === 0) {
    const [only, ...more] = instances;
    // Nothing to identify without selectors: a keyed class with no instance is InvalidSelectors too (DSP0226 InsufficientSelectors).
    if (only === undefined) throw new WsmanFault('invalidSelectors', `${cls.declaration.name} has no instance without selectors`);
    if (more.length > 0) throw new WsmanFault('invalidSelectors', `${cls.declaration.name} has several instances: selectors are needed`);
    return only;
  }
  const match = instances.find((instance) => [...selectors].every(([name, value]) => sameValue(instance[name], value)));
  if (match === undefined) throw new WsmanFault('destinationUnreachable');
  return match;
}

/** The selectors that identify `instance` (its key properties). */
export function keySelectors(cls: RegisteredClass, instance: Instance): Map<string, SelectorValue> {
  const selectors = new Map<string, SelectorValue>();
  for (const key of cls.keys) {
    const value = instance[key.name];
    if (value !== undefined) selectors.set(key.name, isEndpointReference(value) ? value : scalarText(value));
  }
  return selectors;
}

function sameValue(held: PropertyValue | undefined, wanted: SelectorValue): boolean {
  if (held === undefined) return false;
  if (typeof wanted === 'string') return !isEndpointReference(held) && scalarText(held) === wanted;
  return isEndpointReference(held) && sameReference(held, wanted);
}

function sameReference(a: EndpointReference, b: EndpointReference): boolean {
  if (a.resourceUri !== b.resourceUri || a.selectors.size !== b.selectors.size) return false;
  return [...a.selectors].every(([name, value]) => {
    const other = b.selectors.get(name);
    if (other === undefined) return false;
    return typeof value === 'string' ? value === other : typeof other !== 'string' && sameReference(value, other);
  });
}

export function isEndpointReference(value: unknown): value is EndpointReference {
  return typeof value === 'object' && value !== null && 'resourceUri' in value && 'selectors' in value;
}
