/**
 * Typed errors raised by the host model. Each names its registry code and carries the host's power
 * state at the time, so a caller (the AMT app, the CLI) can say *why* a request was refused.
 */
import { VmeError, type ErrorCode } from '../common/errors.js';

/** A host model error: a registry code, a message and machine-readable details. */
export class HostError extends VmeError {
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** Throws a `HostError`; a helper so checks read as one line. */
export function hostFail(code: ErrorCode, message: string, details: Record<string, unknown> = {}): never {
  throw new HostError(code, message, details);
}
