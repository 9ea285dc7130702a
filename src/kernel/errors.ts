/**
 * Typed errors of the kernel and the wire form they take across the app boundary. Inside the
 * kernel an error is a `KernelError` (a `VmeError` with a registry code); across a MessagePort it
 * becomes a plain `WireError` record, and the receiving side turns it back into a typed error.
 */
import { ERROR_CODES, VmeError, type ErrorCode } from '../common/errors.js';
import type { FaultKind } from './trace.js';

/** A kernel refusal or failure with its registry code. */
export class KernelError extends VmeError {}

/**
 * A syscall failure after which the calling instance cannot be trusted to continue (its engine
 * memory failed integrity): the app receives the error, then the kernel faults the instance.
 */
export class InstanceFaultError extends KernelError {
  constructor(code: ErrorCode, message: string, readonly fault: FaultKind, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** Throws a `KernelError`; keeps checks on one line. */
export function kernelFail(code: ErrorCode, message: string, details: Record<string, unknown> = {}): never {
  throw new KernelError(code, message, details);
}

/** An app's own error reply (not a fault): a short status word and a message. */
export interface AppErrorReply {
  readonly status: string;
  readonly message: string;
}

/** What crosses a MessagePort in place of an exception. */
export type WireError =
  | { readonly kind: 'vme'; readonly code: ErrorCode; readonly message: string }
  | { readonly kind: 'app'; readonly status: string; readonly message: string };

const STATUS = /^[a-z][a-z0-9-]{0,31}$/;

/** A returnable error an app handler throws on purpose (the caller sees `status`). */
export class AppError extends Error {
  constructor(readonly status: string, message: string) {
    super(message);
    this.name = 'AppError';
    if (!STATUS.test(status)) throw new RangeError(`app error status ${JSON.stringify(status)} must be a short lower-case word`);
  }
}

/** The wire form of an error (only codes from the registry survive; anything else is internal). */
export function toWireError(error: unknown): WireError {
  if (error instanceof AppError) return { kind: 'app', status: error.status, message: error.message };
  if (error instanceof VmeError) return { kind: 'vme', code: error.code, message: error.message };
  return { kind: 'vme', code: 'VME_ERR_INTERNAL', message: error instanceof Error ? error.message : String(error) };
}

/** The typed error for a wire error; an unknown code or malformed record becomes VME_ERR_INTERNAL. */
export function fromWireError(wire: unknown): KernelError | AppError {
  const record = (typeof wire === 'object' && wire !== null ? wire : {}) as Record<string, unknown>;
  const message = typeof record.message === 'string' ? record.message.slice(0, 500) : 'malformed error';
  if (record.kind === 'app' && typeof record.status === 'string' && STATUS.test(record.status)) return new AppError(record.status, message);
  const code = typeof record.code === 'string' && record.code in ERROR_CODES ? (record.code as ErrorCode) : 'VME_ERR_INTERNAL';
  return new KernelError(code, message);
}
