/** Typed errors of the MEBX client: a refused request (with its status) or a malformed reply. */
import { VmeError } from '../../common/errors.js';
import type { MebxCommandName, MebxStatusName } from './constants.js';

export class MebxError extends VmeError {
  constructor(code: 'VME_ERR_MEBX_REFUSED' | 'VME_ERR_MEBX_REPLY', message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
  }
}

/** The engine answered `command` with a status other than success. */
export class MebxRefused extends MebxError {
  constructor(readonly command: MebxCommandName, readonly status: MebxStatusName | 'unknown', readonly statusCode: number) {
    super('VME_ERR_MEBX_REFUSED', `MEBX ${command} refused: ${status} (0x${statusCode.toString(16).padStart(2, '0')})`, { command, status, statusCode });
  }
}

export const isMebxRefused = (e: unknown, status?: MebxStatusName): e is MebxRefused => e instanceof MebxRefused && (status === undefined || e.status === status);
