/**
 * The one error type of APF: a malformed message (the decoder's only error) or a peer that broke
 * the session rules. Either ends the session: the side that sees it sends DISCONNECT (protocol
 * error) and starts over; it is reported as an event, never thrown out of a session.
 */
import { VmeError } from '../../common/errors.js';

export type ApfErrorCode = 'VME_ERR_APF_MALFORMED' | 'VME_ERR_APF_PROTOCOL';

export interface ApfProblem {
  /** The message (e.g. `CHANNEL_DATA`) or `APF` before its type is known. */
  readonly message: string;
  /** The field at fault, `(whole)` for the message as a whole. */
  readonly field: string;
  /** Byte offset of the field within the message (-1 for session-rule problems). */
  readonly offset: number;
  /** Short reason: `truncated`, `oversized`, `trailing bytes`, `unknown type`, `out of order`, ... */
  readonly reason: string;
}

export class ApfError extends VmeError {
  readonly problem: ApfProblem;

  constructor(code: ApfErrorCode, problem: ApfProblem, detail = '') {
    const at = problem.offset >= 0 ? ` at ${problem.offset}` : '';
    super(code, `APF ${problem.message}.${problem.field}${at}: ${problem.reason}${detail ? ` (${detail})` : ''}`, { ...problem });
    this.problem = problem;
  }
}

/** A malformed message. */
export const malformed = (message: string, field: string, offset: number, reason: string, detail?: string): ApfError =>
  new ApfError('VME_ERR_APF_MALFORMED', { message, field, offset, reason }, detail);

/** A well-formed message the session does not allow now (out of order, unknown channel, beyond the window). */
export const protocolError = (message: string, reason: string, detail?: string): ApfError =>
  new ApfError('VME_ERR_APF_PROTOCOL', { message, field: '(whole)', offset: -1, reason }, detail);
