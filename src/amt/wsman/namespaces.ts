/**
 * WS-Management namespaces, Action URIs and the namespace prefixes AMT writes in its replies
 * (brief §2.1, §2.4, §2.5). Every URI vme compares or writes is named here once.
 */

/** Namespace URIs (brief §2.1). */
export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  addressing: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsman: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  trust: 'http://schemas.xmlsoap.org/ws/2005/02/trust',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  cimbinding: 'http://schemas.dmtf.org/wbem/wsman/1/cimbinding.xsd',
  enumeration: 'http://schemas.xmlsoap.org/ws/2004/09/enumeration',
  transfer: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
  eventing: 'http://schemas.xmlsoap.org/ws/2004/08/eventing',
  common: 'http://schemas.dmtf.org/wbem/wscim/1/common',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** ResourceURI bases; ResourceURI = base + class name (brief §2.1). */
export const SCHEMA_BASE = {
  AMT: 'http://intel.com/wbem/wscim/1/amt-schema/1/',
  CIM: 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/',
  IPS: 'http://intel.com/wbem/wscim/1/ips-schema/1/',
} as const;

/** The anonymous role: reply `To`, EPR `Address` (brief §2.3). */
export const ANONYMOUS = `${NS.addressing}/role/anonymous`;

/** Request Action URIs of the generic operations (brief §2.4); methods are `<ResourceURI>/<Method>`. */
export const ACTION = {
  get: `${NS.transfer}/Get`,
  put: `${NS.transfer}/Put`,
  create: `${NS.transfer}/Create`,
  delete: `${NS.transfer}/Delete`,
  enumerate: `${NS.enumeration}/Enumerate`,
  pull: `${NS.enumeration}/Pull`,
  release: `${NS.enumeration}/Release`,
} as const;
export type GenericOperation = keyof typeof ACTION;

/** Generic operation of a request Action (reverse of ACTION, derived). */
export const OPERATION_OF_ACTION: ReadonlyMap<string, GenericOperation> = new Map(
  (Object.entries(ACTION) as [GenericOperation, string][]).map(([op, uri]) => [uri, op]),
);

/** Fault Action URIs (brief §2.5). */
export const FAULT_ACTION = {
  addressing: `${NS.addressing}/fault`,
  wsman: 'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault',
  enumeration: `${NS.enumeration}/fault`,
} as const;

/** The fixed prefixes a..f (and xsi) at the head of every non-fault reply (brief §2.3). */
export const REPLY_PREFIXES: readonly (readonly [string, string])[] = [
  ['a', NS.soap], ['b', NS.addressing], ['c', NS.wsman], ['d', NS.trust], ['e', NS.wsse], ['f', NS.cimbinding],
];

/** Fault envelopes declare another set, in this order (brief §2.5, captured). */
export const FAULT_PREFIXES: readonly (readonly [string, string])[] = [
  ['g', NS.cimbinding], ['f', NS.eventing], ['e', NS.wsman], ['d', NS.transfer], ['c', NS.enumeration],
  ['b', NS.addressing], ['a', NS.soap], ['h', NS.trust], ['i', NS.wsse], ['xsi', NS.xsi],
];
