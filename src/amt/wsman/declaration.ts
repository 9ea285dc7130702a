/**
 * How a WS-Man class is declared, once: its ResourceURI, its properties in the order AMT writes
 * them, its operations with the realm each requires, and its methods with their inputs, outputs
 * and ReturnValue codes. Dispatch, (de)serialization, the realm check and docs/reference/wsman.md
 * all derive from these declarations (aesthetics lessons 9, 12).
 */
import type { AmtPrincipal } from '../auth/index.js';
import type { AmtOrigin } from '../http/index.js';
import type { DevicePort } from './device.js';
import type { PlatformFacts } from './facts.js';
import type { RealmName } from './realms.js';
import type { EndpointReference } from './request.js';
import type { WsmanState } from './state.js';

/**
 * CIM/XSD types as they appear on the wire (brief §2.3 values). `datetime` and `interval` are the
 * wscim common `Datetime` / `Interval` (xs:duration) wrapped in the property element; `instance` is
 * an embedded instance of another class (`embedded`), for method inputs only (AddAlarm's AlarmTemplate).
 */
export type PropertyType = 'string' | 'boolean' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'sint32' | 'base64' | 'datetime' | 'interval' | 'epr' | 'instance';

/** The class of an `instance` property: its namespace (its children's) and the properties read. */
export interface EmbeddedClassDecl {
  readonly resourceUri: string;
  readonly properties: readonly PropertyDecl[];
}

export interface PropertyDecl {
  readonly name: string;
  readonly type: PropertyType;
  /** Repeated elements. */
  readonly array?: boolean;
  /** A key: a selector that identifies an instance. */
  readonly key?: boolean;
  /** Put may change it (others keep their value). */
  readonly writable?: boolean;
  /** Method inputs only: must be present. */
  readonly required?: boolean;
  /** Type `instance` only (and required there): the embedded instance's class. */
  readonly embedded?: EmbeddedClassDecl;
}

/** The value of an `instance` property: the embedded instance's properties, read as declared. */
export interface EmbeddedInstance { readonly [name: string]: PropertyValue | undefined }
export type Scalar = string | number | boolean | Uint8Array | EndpointReference | EmbeddedInstance;
export type PropertyValue = Scalar | readonly Scalar[];
/** An instance or a method's input/output: property name → value; absent properties are not written. */
export type Instance = Readonly<Record<string, PropertyValue | undefined>>;

/** What every class handler gets. */
export interface WsmanContext {
  readonly state: WsmanState;
  readonly facts: PlatformFacts;
  /** The HTTP Digest realm (`AMT_GeneralSettings.DigestRealm`). */
  readonly digestRealm: string;
  readonly principal: AmtPrincipal;
  /** 'local' when the request came from the host through LMS/LME (host-based setup is local only). */
  readonly origin: AmtOrigin;
  /** Host power, the clock, and queued actions (performed after the reply's state is persisted). */
  readonly device: DevicePort;
}

export interface MethodResult {
  readonly returnValue: number;
  readonly output?: Instance;
}

export interface MethodDecl {
  readonly name: string;
  readonly realms: readonly RealmName[];
  readonly inputs: readonly PropertyDecl[];
  readonly outputs: readonly PropertyDecl[];
  /** Every ReturnValue the method may give, with its meaning (0 = success). */
  readonly returnValues: Readonly<Record<number, string>>;
  readonly invoke: (context: WsmanContext, input: Instance) => MethodResult;
}

export interface OperationDecl {
  /** The caller must hold one of these realms. */
  readonly realms: readonly RealmName[];
}

export interface ClassOperations {
  readonly get?: OperationDecl;
  readonly put?: OperationDecl & { readonly apply: (context: WsmanContext, current: Instance, changes: Instance) => Instance };
  readonly create?: OperationDecl & { readonly apply: (context: WsmanContext, instance: Instance) => Instance };
  readonly delete?: OperationDecl & { readonly apply: (context: WsmanContext, instance: Instance) => void };
  /** Enumerate, and with it Pull and Release. */
  readonly enumerate?: OperationDecl;
}

export type Schema = 'AMT' | 'CIM' | 'IPS';

export interface ClassDeclaration {
  /** Class name, e.g. `AMT_GeneralSettings`. */
  readonly name: string;
  readonly schema: Schema;
  readonly summary: string;
  /** AMT declares the wscim `common` namespace in replies for this class (h in Get, i in Pull); brief §2.1. */
  readonly commonNamespace: boolean;
  /** In AMT's serialization order. */
  readonly properties: readonly PropertyDecl[];
  /** Every current instance (one for a singleton), as Get and Enumerate see them. */
  readonly instances: (context: WsmanContext) => readonly Instance[];
  readonly operations: ClassOperations;
  readonly methods: readonly MethodDecl[];
}

/** Operation names in a realm matrix / reference table. */
export const OPERATION_NAMES = ['get', 'put', 'create', 'delete', 'enumerate'] as const;
export type OperationName = (typeof OPERATION_NAMES)[number];
