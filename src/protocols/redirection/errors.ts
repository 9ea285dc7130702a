/**
 * The one error type of the redirection protocol: a malformed message (the decoder's only error)
 * or a console that broke the session's order. Either ends the connection; the session reports
 * it as a `close` event and never throws it out of `receive`.
 */
import { VmeError } from '../../common/errors.js';

export type RedirectionErrorCode = 'VME_ERR_REDIRECTION_MALFORMED' | 'VME_ERR_REDIRECTION_PROTOCOL';

export interface RedirectionProblem {
  /** The message (e.g. `AuthenticateSession`), or `redirection` before its type is known. */
  readonly message: string;
  /** `truncated`, `oversized`, `unknown type`, `out of order`, ... */
  readonly reason: string;
}

export class RedirectionError extends VmeError {
  readonly problem: RedirectionProblem;

  constructor(code: RedirectionErrorCode, problem: RedirectionProblem, detail = '') {
    super(code, `redirection ${problem.message}: ${problem.reason}${detail ? ` (${detail})` : ''}`, { ...problem });
    this.problem = problem;
  }
}

export const malformed = (message: string, reason: string, detail?: string): RedirectionError =>
  new RedirectionError('VME_ERR_REDIRECTION_MALFORMED', { message, reason }, detail);

export const protocolError = (message: string, reason: string, detail?: string): RedirectionError =>
  new RedirectionError('VME_ERR_REDIRECTION_PROTOCOL', { message, reason }, detail);
