/** Typed errors of the AMT state store: a corrupt stored value, or an invalid update. */
import { VmeError } from '../common/errors.js';

export class AmtStateError extends VmeError {
  constructor(code: 'VME_ERR_AMT_STATE_CORRUPT' | 'VME_ERR_AMT_STATE_ARGUMENT', message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** A stored value under `key` failed validation; `reason` says which check. */
export const corrupt = (key: string, reason: string): AmtStateError =>
  new AmtStateError('VME_ERR_AMT_STATE_CORRUPT', `AMT state value ${JSON.stringify(key)} is corrupt: ${reason}`, { key, reason });

export const invalid = (message: string, details: Record<string, unknown> = {}): AmtStateError =>
  new AmtStateError('VME_ERR_AMT_STATE_ARGUMENT', message, details);

export const isAmtStateError = (e: unknown, code?: AmtStateError['code']): e is AmtStateError =>
  e instanceof AmtStateError && (code === undefined || e.code === code);
