/** The RFB server's typed errors: malformed client input, or a client breaking the protocol's rules. */
import { VmeError } from '../../common/errors.js';

export class RfbError extends VmeError {}

/** @throws RfbError VME_ERR_RFB_MALFORMED, always */
export function rfbMalformed(message: string, details?: Record<string, unknown>): never {
  throw new RfbError('VME_ERR_RFB_MALFORMED', `RFB: ${message}`, details);
}
