/**
 * Typed errors of the NVRAM file system. Every failure carries one registry code; `details` says
 * what was expected and what was found, and for mount failures where in the partition.
 */
import { VmeError, type ErrorCode } from '../../common/errors.js';

/** The NVRAM subset of the error registry. */
export type NvramErrorCode = Extract<ErrorCode, `VME_ERR_NVRAM_${string}`>;

export class NvramError extends VmeError {
  constructor(code: NvramErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** Raised by `FaultInjectingStore` when it tears an operation: the simulated power is gone. */
export class SimulatedPowerLoss extends NvramError {
  constructor(readonly operationIndex: number, readonly operation: 'write' | 'erase', readonly completedBytes: number) {
    super('VME_ERR_NVRAM_POWER_LOSS', `simulated power loss during ${operation} #${operationIndex} after ${completedBytes} bytes`, {
      operationIndex, operation, completedBytes,
    });
  }
}

export const isNvramError = (e: unknown, code?: NvramErrorCode): e is NvramError =>
  e instanceof NvramError && (code === undefined || e.code === code);
