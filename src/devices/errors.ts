/**
 * Typed errors raised by the engine's devices. Every error names its registry code and says which
 * party is to blame (lesson 6): the host (it fed us bad memory), the app (it asked for something
 * it was not granted) or the kernel (it configured a device wrongly).
 */
import { VmeError, type ErrorCode } from '../common/errors.js';

/** Who caused a device error: decides whether the kernel faults an app, logs a host attack, or has a bug. */
export type Blame = 'host' | 'app' | 'kernel';

/** A device error: a registry code, a message, the party at fault and machine-readable details. */
export class DeviceError extends VmeError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly blame: Blame,
    details: Record<string, unknown> = {},
  ) {
    super(code, message, { blame, ...details });
  }
}

/** Throws a `DeviceError`; a helper so checks read as one line. */
export function deviceFail(code: ErrorCode, message: string, blame: Blame, details: Record<string, unknown> = {}): never {
  throw new DeviceError(code, message, blame, details);
}
