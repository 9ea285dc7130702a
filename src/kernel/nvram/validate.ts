/** Argument checks for keys, values, namespace names and transactions (typed errors, never silent). */
import { NvramError } from './errors.js';
import { LIMITS } from './format.js';

export type TransactionOperation =
  | { readonly type: 'put'; readonly key: string; readonly value: Uint8Array }
  | { readonly type: 'delete'; readonly key: string };

const NAMESPACE_PATTERN = /^[a-z0-9][a-z0-9._-]*$/;
const KEY_PATTERN = /^[\x20-\x7e]+$/;

export const isValidNamespace = (name: string): boolean =>
  name.length <= LIMITS.maxNamespaceLength && NAMESPACE_PATTERN.test(name);

export const isValidKey = (key: string): boolean => key.length <= LIMITS.maxKeyLength && KEY_PATTERN.test(key);

export function checkNamespace(name: string): void {
  if (typeof name !== 'string' || !isValidNamespace(name)) {
    throw new NvramError('VME_ERR_NVRAM_ARGUMENT', `namespace name ${JSON.stringify(name)} must be 1..${LIMITS.maxNamespaceLength} of [a-z0-9._-], starting with a letter or digit`, { namespace: name });
  }
}

export function checkKey(key: string): void {
  if (typeof key !== 'string' || !isValidKey(key)) {
    throw new NvramError('VME_ERR_NVRAM_ARGUMENT', `key ${JSON.stringify(key)} must be 1..${LIMITS.maxKeyLength} printable ASCII characters`, { key });
  }
}

export function checkValue(key: string, value: Uint8Array): void {
  if (!(value instanceof Uint8Array) || value.length > LIMITS.maxValueLength) {
    throw new NvramError('VME_ERR_NVRAM_ARGUMENT', `value of ${JSON.stringify(key)} must be a Uint8Array of at most ${LIMITS.maxValueLength} bytes`, {
      key, limit: LIMITS.maxValueLength, length: value instanceof Uint8Array ? value.length : undefined,
    });
  }
}

/** Checks every operation and that no key appears twice; an empty transaction is refused. */
export function checkTransaction(operations: readonly TransactionOperation[]): void {
  if (!Array.isArray(operations as unknown) || operations.length === 0) {
    throw new NvramError('VME_ERR_NVRAM_ARGUMENT', 'a transaction needs at least one operation');
  }
  const seen = new Set<string>();
  for (const operation of operations) {
    checkKey(operation.key);
    if (operation.type === 'put') checkValue(operation.key, operation.value);
    else if (operation.type !== 'delete') throw new NvramError('VME_ERR_NVRAM_ARGUMENT', `unknown operation type ${String((operation as { type: unknown }).type)}`);
    if (seen.has(operation.key)) throw new NvramError('VME_ERR_NVRAM_ARGUMENT', `key ${JSON.stringify(operation.key)} appears twice in one transaction`, { key: operation.key });
    seen.add(operation.key);
  }
}
