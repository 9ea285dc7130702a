/** Typed errors of the flash layer: access refused by the descriptor, bad ranges, simulated power loss. */
import { VmeError } from '../common/errors.js';

export type FlashOperation = 'read' | 'write' | 'erase';

/** The descriptor's master section does not give `master` this access to `region`. */
export class FlashAccessDenied extends VmeError {
  constructor(readonly master: string, readonly region: string, readonly operation: FlashOperation, reason: string) {
    super('VME_ERR_FLASH_ACCESS_DENIED', `master ${master} may not ${operation} region ${region}: ${reason}`, { master, region, operation });
  }
}

/** A flash access names a region that does not exist, runs past its end, or is misaligned. */
export class FlashRangeError extends VmeError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('VME_ERR_FLASH_RANGE', message, details);
  }
}

/** Thrown by `FaultInjectingBacking` when the simulated power fails during a write or erase. */
export class SimulatedPowerLoss extends VmeError {
  constructor(readonly operationIndex: number, readonly operation: FlashOperation | 'sync', readonly offset: number, readonly bytesDone: number, readonly bytesRequested: number) {
    super('VME_ERR_POWER_LOSS', `simulated power loss during ${operation} after ${operationIndex} completed operations at 0x${offset.toString(16)}: ${bytesDone} of ${bytesRequested} bytes done`, {
      operationIndex, operation, offset, bytesDone, bytesRequested,
    });
  }
}
