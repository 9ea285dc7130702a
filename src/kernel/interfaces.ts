/**
 * Inter-app interfaces, declared once: an `as const` object lists each operation's argument and
 * reply fields (with size limits) and the apps allowed to call it. From that one declaration come
 * the TypeScript client and handler types, the client-side argument check, and the dispatcher
 * check the kernel runs before anything reaches the callee: unknown operation, disallowed caller,
 * missing/extra/mistyped/oversized field — all refused with a typed error.
 */
import { kernelFail } from './errors.js';

/** One field of a message. */
export type FieldSpec =
  | { readonly type: 'string'; readonly maxLength: number }
  | { readonly type: 'bytes'; readonly maxBytes: number }
  | { readonly type: 'integer'; readonly min: number; readonly max: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'strings'; readonly maxItems: number; readonly maxLength: number }
  /** Key/value pairs: at most `maxItems`, keys of at most `maxKeyLength`, values of at most `maxBytes`, all values together at most `maxTotalBytes`. */
  | { readonly type: 'entries'; readonly maxItems: number; readonly maxKeyLength: number; readonly maxBytes: number; readonly maxTotalBytes: number };

export type Fields = Readonly<Record<string, FieldSpec>>;

export interface OperationSpec {
  readonly args: Fields;
  readonly reply: Fields;
  /** App names that may call this operation (the caller also needs a `calls` grant for the app). */
  readonly allowedCallers: readonly string[];
}

export interface InterfaceSpec {
  /** The serving app's name. */
  readonly app: string;
  readonly operations: Readonly<Record<string, OperationSpec>>;
}

type ValueOf<F extends FieldSpec> =
  F extends { type: 'string' } ? string
    : F extends { type: 'bytes' } ? Uint8Array
      : F extends { type: 'integer' } ? number
        : F extends { type: 'boolean' } ? boolean
          : F extends { type: 'strings' } ? string[]
            : F extends { type: 'entries' } ? { key: string; value: Uint8Array }[]
              : never;

/** The value type of a field list. */
export type Message<F extends Fields> = { -readonly [K in keyof F]: ValueOf<F[K]> };
export type ArgsOf<I extends InterfaceSpec, O extends keyof I['operations']> = Message<I['operations'][O]['args']>;
export type ReplyOf<I extends InterfaceSpec, O extends keyof I['operations']> = Message<I['operations'][O]['reply']>;

/** What a caller holds: one async method per operation. */
export type Client<I extends InterfaceSpec> = {
  readonly [O in keyof I['operations'] & string]: (args: ArgsOf<I, O>) => Promise<ReplyOf<I, O>>;
};

/** What the serving app implements: one handler per operation, told who called. */
export type Handlers<I extends InterfaceSpec> = {
  readonly [O in keyof I['operations'] & string]: (args: ArgsOf<I, O>, caller: string) => ReplyOf<I, O> | Promise<ReplyOf<I, O>>;
};

/** Identity function that keeps the literal type of a declaration. */
export const defineInterface = <const I extends InterfaceSpec>(spec: I): I => spec;

/** The operation spec or VME_ERR_IPC_DENIED. */
export function operationOf(spec: InterfaceSpec, operation: string): OperationSpec {
  const op = Object.hasOwn(spec.operations, operation) ? spec.operations[operation] : undefined;
  return op ?? kernelFail('VME_ERR_IPC_DENIED', `${spec.app} has no operation ${JSON.stringify(operation)}`, { app: spec.app, operation });
}

/**
 * The dispatcher check: the operation exists, the caller is allowed, the arguments match.
 * @throws KernelError VME_ERR_IPC_DENIED or VME_ERR_IPC_INVALID
 */
export function checkCall(spec: InterfaceSpec, operation: string, caller: string, args: unknown): void {
  const op = operationOf(spec, operation);
  if (!op.allowedCallers.includes(caller)) {
    kernelFail('VME_ERR_IPC_DENIED', `${caller} may not call ${spec.app}.${operation}`, { app: spec.app, operation, caller });
  }
  checkFields(op.args, args, `${spec.app}.${operation} arguments`);
}

/** The reply check (protects the caller from a confused callee). @throws KernelError VME_ERR_IPC_INVALID */
export function checkReply(spec: InterfaceSpec, operation: string, reply: unknown): void {
  checkFields(operationOf(spec, operation).reply, reply, `${spec.app}.${operation} reply`);
}

/** Checks `value` is a plain object with exactly `fields`, each within its limits. */
export function checkFields(fields: Fields, value: unknown, what: string): void {
  const invalid = (why: string): never => kernelFail('VME_ERR_IPC_INVALID', `${what}: ${why}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid('not an object');
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (!Object.hasOwn(fields, key)) invalid(`unexpected field ${JSON.stringify(key)}`);
  for (const [name, spec] of Object.entries(fields)) {
    const problem = fieldProblem(spec, record[name]);
    if (problem) invalid(`field ${name} ${problem}`);
  }
}

function fieldProblem(spec: FieldSpec, value: unknown): string | undefined {
  switch (spec.type) {
    case 'string':
      return typeof value !== 'string' ? 'is not a string' : value.length > spec.maxLength ? `is longer than ${spec.maxLength}` : undefined;
    case 'bytes':
      return !(value instanceof Uint8Array) ? 'is not bytes' : value.length > spec.maxBytes ? `is over ${spec.maxBytes} bytes` : undefined;
    case 'integer':
      return !Number.isSafeInteger(value) || (value as number) < spec.min || (value as number) > spec.max ? `is not an integer in ${spec.min}..${spec.max}` : undefined;
    case 'boolean':
      return typeof value !== 'boolean' ? 'is not a boolean' : undefined;
    case 'strings':
      if (!Array.isArray(value)) return 'is not a list';
      if (value.length > spec.maxItems) return `has more than ${spec.maxItems} items`;
      return value.every((item) => typeof item === 'string' && item.length <= spec.maxLength) ? undefined : `holds an item that is not a string of at most ${spec.maxLength}`;
    case 'entries':
      return entriesProblem(spec, value);
  }
}

function entriesProblem(spec: Extract<FieldSpec, { type: 'entries' }>, value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'is not a list';
  if (value.length > spec.maxItems) return `has more than ${spec.maxItems} items`;
  let total = 0;
  for (const item of value as unknown[]) {
    const entry = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const keys = Object.keys(entry);
    if (keys.length !== 2 || typeof entry.key !== 'string' || !(entry.value instanceof Uint8Array)) return 'holds an item that is not { key, value }';
    if (entry.key.length > spec.maxKeyLength) return `holds a key longer than ${spec.maxKeyLength}`;
    if (entry.value.length > spec.maxBytes) return `holds a value over ${spec.maxBytes} bytes`;
    total += entry.value.length;
  }
  return total > spec.maxTotalBytes ? `holds values over ${spec.maxTotalBytes} bytes in total` : undefined;
}

/** A client stub: checks arguments locally (early, friendly errors), then sends through `send`. */
export function makeClient<I extends InterfaceSpec>(spec: I, send: (operation: string, args: unknown) => Promise<unknown>): Client<I> {
  const client: Record<string, (args: unknown) => Promise<unknown>> = {};
  for (const [operation, op] of Object.entries(spec.operations)) {
    client[operation] = async (args) => {
      checkFields(op.args, args, `${spec.app}.${operation} arguments`);
      return send(operation, args);
    };
  }
  return Object.freeze(client) as Client<I>;
}
