/**
 * The WS-Man operations (brief §2.4), table-driven: the request's Action picks a generic
 * operation or a class method; the class must support it; the caller must hold one of its realms
 * (users-and-peers §5 item 3); then the operation runs against the class declaration and its
 * reply body is built with AMT's prefixes. Every refusal is a WsmanFault.
 */
import type { AmtPrincipal } from '../auth/index.js';
import type { AmtOrigin } from '../http/index.js';
import type { Instance, MethodDecl, OperationDecl, WsmanContext } from './declaration.js';
import type { EnumerationContexts } from './enumerations.js';
import { WsmanFault } from './faults.js';
import { ANONYMOUS, NS, OPERATION_OF_ACTION, SCHEMA_BASE, type GenericOperation } from './namespaces.js';
import { principalRealms, realmAllows } from './realms.js';
import type { ClassRegistry, RegisteredClass } from './registry.js';
import type { WsmanRequest } from './request.js';
import { keySelectors, selectInstance } from './selectors.js';
import { actualClassOf, readProperties, writeEndpointReference, writeProperties } from './values.js';
import { element, namespaceDeclarations, textElement } from './xml-write.js';

export interface OperationResult {
  readonly action: string;
  readonly resourceUri: string;
  /** Prefixes after a..f (g, h, i). */
  readonly prefixes: readonly (readonly [string, string])[];
  readonly body: string;
}

export interface Dispatcher {
  readonly registry: ClassRegistry;
  readonly enumerations: EnumerationContexts;
  context(principal: AmtPrincipal, origin: AmtOrigin): WsmanContext;
}

type Target = { readonly kind: 'generic'; readonly op: GenericOperation } | { readonly kind: 'method'; readonly method: MethodDecl };

/** Runs `request` for `principal`. @throws WsmanFault */
export function dispatch(d: Dispatcher, request: WsmanRequest, principal: AmtPrincipal, origin: AmtOrigin = 'network'): OperationResult {
  if (request.resourceUri === undefined) throw new WsmanFault('destinationUnreachable', 'no ResourceURI');
  const cls = d.registry.byUri(request.resourceUri);
  if (cls === undefined) throw new WsmanFault('destinationUnreachable', `no class at ${request.resourceUri}`);
  const target = resolveTarget(cls, request.action);
  const required = target.kind === 'method' ? target.method : operationDecl(cls, target.op);
  if (required === undefined) throw new WsmanFault('actionNotSupported', `${cls.declaration.name} does not support ${request.action}`);
  if (!realmAllows(principalRealms(principal.realms), required.realms)) {
    throw new WsmanFault('accessDenied', `${principal.user} holds none of ${required.realms.join(', ')} for ${cls.declaration.name}`);
  }
  const context = d.context(principal, origin);
  if (target.kind === 'method') return invoke(cls, target.method, context, request);
  return GENERIC[target.op](d, cls, context, request);
}

function resolveTarget(cls: RegisteredClass, action: string): Target {
  const op = OPERATION_OF_ACTION.get(action);
  if (op !== undefined) return { kind: 'generic', op };
  const prefix = `${cls.resourceUri}/`;
  const method = action.startsWith(prefix) ? cls.declaration.methods.find((m) => m.name === action.slice(prefix.length)) : undefined;
  if (method === undefined) throw new WsmanFault('actionNotSupported', `${action} is not an operation of ${cls.declaration.name}`);
  return { kind: 'method', method };
}

function operationDecl(cls: RegisteredClass, op: GenericOperation): OperationDecl | undefined {
  const ops = cls.declaration.operations;
  return op === 'pull' || op === 'release' ? ops.enumerate : ops[op];
}

/** g = class namespace (+ h = common) for Get/Put/Invoke replies. */
function instancePrefixes(cls: RegisteredClass): [string, string][] {
  return [['g', cls.resourceUri], ...(cls.declaration.commonNamespace ? [['h', NS.common] as [string, string]] : [])];
}

function instanceXml(cls: Pick<RegisteredClass, 'declaration'>, instance: Instance, prefix: string, common: string, attributes = ''): string {
  return element(`${prefix}:${cls.declaration.name}`, writeProperties(cls.declaration.properties, instance, { cls: prefix, common }), attributes);
}

type ItemClass = Pick<RegisteredClass, 'declaration' | 'resourceUri'>;

/** The class a Pull item is written as: its actual class when it is a subclass instance (brief §2.4). */
function itemClass(cls: RegisteredClass, item: Instance): ItemClass {
  const actual = actualClassOf(item);
  return actual === undefined ? cls : { declaration: actual, resourceUri: SCHEMA_BASE[actual.schema] + actual.name };
}

/**
 * Pull items: h (and i) are declared on the envelope for the first item's class; an item of
 * another class redeclares them on its own element. No items: no class prefix at all.
 */
function pullItems(cls: RegisteredClass, items: readonly Instance[]): { prefixes: [string, string][]; xml: string } {
  // An empty Pull declares only the enumeration prefix (recorded: amt/ieee8021x/credentialcontext/pull.xml).
  if (items[0] === undefined) return { prefixes: [['g', NS.enumeration]], xml: '' };
  const head = itemClass(cls, items[0]);
  const prefixes: [string, string][] = [['g', NS.enumeration], ['h', head.resourceUri], ...(head.declaration.commonNamespace ? [['i', NS.common] as [string, string]] : [])];
  const xml = items.map((item) => {
    const own = itemClass(cls, item);
    if (own.resourceUri === head.resourceUri) return instanceXml(own, item, 'h', 'i');
    const common: [string, string][] = own.declaration.commonNamespace && !head.declaration.commonNamespace ? [['i', NS.common]] : [];
    return instanceXml(own, item, 'h', 'i', namespaceDeclarations([['h', own.resourceUri], ...common]));
  }).join('');
  return { prefixes, xml };
}

type GenericHandler = (d: Dispatcher, cls: RegisteredClass, context: WsmanContext, request: WsmanRequest) => OperationResult;

const reply = (request: WsmanRequest, cls: RegisteredClass, prefixes: OperationResult['prefixes'], body: string): OperationResult =>
  ({ action: `${request.action}Response`, resourceUri: cls.resourceUri, prefixes, body });

/** The Put/Create payload: one element named after the class, in its namespace (brief §2.2). */
function classPayload(cls: RegisteredClass, request: WsmanRequest): Instance {
  const payload = request.payload;
  if (payload === undefined || payload.ns !== cls.resourceUri || payload.name !== cls.declaration.name) {
    throw new WsmanFault('invalidRepresentation', `the body is not a ${cls.declaration.name} instance`);
  }
  return readProperties(cls.declaration.properties, payload, cls.resourceUri);
}

const GENERIC: Record<GenericOperation, GenericHandler> = {
  get: (_d, cls, context, request) => {
    const instance = selectInstance(cls, cls.declaration.instances(context), request.selectors);
    return reply(request, cls, instancePrefixes(cls), instanceXml(cls, instance, 'g', 'h'));
  },
  put: (_d, cls, context, request) => {
    const current = selectInstance(cls, cls.declaration.instances(context), request.selectors);
    const incoming = classPayload(cls, request);
    const changes = Object.fromEntries(cls.declaration.properties.filter((p) => p.writable && incoming[p.name] !== undefined).map((p) => [p.name, incoming[p.name]]));
    const updated = cls.declaration.operations.put?.apply(context, current, changes) ?? current;
    return reply(request, cls, instancePrefixes(cls), instanceXml(cls, updated, 'g', 'h'));
  },
  create: (_d, cls, context, request) => {
    const created = cls.declaration.operations.create?.apply(context, classPayload(cls, request)) ?? {};
    const epr = writeEndpointReference({ address: ANONYMOUS, resourceUri: cls.resourceUri, selectors: keySelectors(cls, created) });
    return reply(request, cls, [['g', NS.transfer]], element('g:ResourceCreated', epr));
  },
  delete: (_d, cls, context, request) => {
    const instance = selectInstance(cls, cls.declaration.instances(context), request.selectors);
    cls.declaration.operations.delete?.apply(context, instance);
    return reply(request, cls, [], '');
  },
  enumerate: (d, cls, context, request) => {
    if (request.enumerationMode !== undefined) throw new WsmanFault('unsupportedFeature', `EnumerationMode ${request.enumerationMode}`);
    const name = d.enumerations.open(cls, context.principal.user, cls.declaration.instances(context));
    return reply(request, cls, [['g', NS.enumeration]], element('g:EnumerateResponse', textElement('g:EnumerationContext', name)));
  },
  pull: (d, cls, context, request) => {
    const pulled = d.enumerations.pull(request.enumerationContext ?? '', cls, context.principal.user, request.maxElements);
    if (pulled === undefined) throw new WsmanFault('invalidEnumerationContext');
    const items = pullItems(cls, pulled.items);
    const tail = pulled.done ? element('g:EndOfSequence', '') : textElement('g:EnumerationContext', request.enumerationContext ?? '');
    return reply(request, cls, items.prefixes, element('g:PullResponse', element('g:Items', items.xml) + tail));
  },
  release: (d, cls, context, request) => {
    if (!d.enumerations.release(request.enumerationContext ?? '', cls, context.principal.user)) throw new WsmanFault('invalidEnumerationContext');
    return reply(request, cls, [], '');
  },
};

/**
 * Invoke: `<g:Method_OUTPUT>` outputs then `<g:ReturnValue>`; failures are ReturnValues, not faults
 * (brief §2.5). Method replies declare only g, even for classes whose Get declares h (46 of the 48
 * recorded `_OUTPUT` replies; AMT_WiFiPortConfigurationService's are the exception), plus h when an
 * output is a datetime or an interval.
 */
function invoke(cls: RegisteredClass, method: MethodDecl, context: WsmanContext, request: WsmanRequest): OperationResult {
  const payload = request.payload;
  if (payload !== undefined && (payload.ns !== cls.resourceUri || payload.name !== `${method.name}_INPUT`)) {
    throw new WsmanFault('invalidRepresentation', `the body is not ${method.name}_INPUT`);
  }
  const input = payload === undefined ? {} : readProperties(method.inputs, payload, cls.resourceUri);
  const missing = method.inputs.find((p) => p.required && input[p.name] === undefined);
  if (missing) throw new WsmanFault('invalidParameter', `${method.name}: ${missing.name} is required`);
  const result = method.invoke(context, input);
  if (method.returnValues[result.returnValue] === undefined) throw new WsmanFault('internalError', `${method.name} gave undeclared ReturnValue ${result.returnValue}`);
  const outputs = writeProperties(method.outputs, result.output ?? {}, { cls: 'g', common: 'h' });
  const body = element(`g:${method.name}_OUTPUT`, outputs + textElement('g:ReturnValue', String(result.returnValue)));
  const common: [string, string][] = method.outputs.some((p) => p.type === 'datetime' || p.type === 'interval') ? [['h', NS.common]] : [];
  return { action: `${request.action}Response`, resourceUri: cls.resourceUri, prefixes: [['g', cls.resourceUri], ...common], body };
}

