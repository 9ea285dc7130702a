/**
 * Small strict readers for untrusted JSON: each names the JSON path at fault (e.g.
 * `$.apps[0].grants.heciClients[1].uuid`) in one typed error.
 */
import { VmeError, type ErrorCode } from '../common/errors.js';

export type JsonObject = Record<string, unknown>;

export class JsonChecker {
  constructor(readonly code: ErrorCode, readonly what: string) {}

  fail(path: string, reason: string): never {
    throw new VmeError(this.code, `${this.what}: ${path}: ${reason}`, { path, reason });
  }

  /** An object with exactly the `required` keys and optionally the `optional` ones. */
  object(value: unknown, path: string, required: readonly string[], optional: readonly string[] = []): JsonObject {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'expected an object');
    const object = value as JsonObject;
    for (const key of Object.keys(object)) {
      if (!required.includes(key) && !optional.includes(key)) this.fail(`${path}.${key}`, 'unknown key');
    }
    for (const key of required) if (!(key in object)) this.fail(`${path}.${key}`, 'missing');
    return object;
  }

  array(value: unknown, path: string, maxLength = 256): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'expected an array');
    const items = value as unknown[];
    if (items.length > maxLength) this.fail(path, `more than ${maxLength} items`);
    return items;
  }

  string(value: unknown, path: string, pattern?: RegExp, description?: string): string {
    if (typeof value !== 'string') this.fail(path, 'expected a string');
    const text = value;
    if (pattern && !pattern.test(text)) this.fail(path, `${JSON.stringify(text)} is not ${description ?? pattern.source}`);
    return text;
  }

  integer(value: unknown, path: string, min: number, max: number): number {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) this.fail(path, 'expected an integer');
    const n = value;
    if (n < min || n > max) this.fail(path, `${n} is outside ${min}..${max}`);
    return n;
  }

  boolean(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') this.fail(path, 'expected true or false');
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, choices: readonly T[]): T {
    const text = this.string(value, path);
    if (!(choices as readonly string[]).includes(text)) this.fail(path, `${JSON.stringify(text)} is not one of ${choices.join(', ')}`);
    return text as T;
  }

  /** Throws if two items map to the same key. */
  unique<T>(items: readonly T[], path: string, key: (item: T) => string): void {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      const k = key(item);
      if (seen.has(k)) this.fail(`${path}[${i}]`, `duplicate ${JSON.stringify(k)}`);
      seen.add(k);
    });
  }
}
