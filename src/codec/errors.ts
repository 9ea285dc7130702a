/** The one error type parsers raise: it names the structure, field and absolute offset at fault. */
import { VmeError } from '../common/errors.js';

export interface DecodeProblem {
  /** Structure name, e.g. `$FPT header`. */
  readonly structure: string;
  /** Field name, `(whole)` for a length problem of the whole structure. */
  readonly field: string;
  /** Absolute byte offset in the input (image) where the field starts. */
  readonly offset: number;
  /** Short reason: `truncated`, `bad magic`, `bad checksum`, `out of range`, ... */
  readonly reason: string;
  readonly expected?: string;
  readonly actual?: string;
}

export class DecodeError extends VmeError {
  readonly problem: DecodeProblem;

  constructor(problem: DecodeProblem) {
    const ea = problem.expected !== undefined ? ` (expected ${problem.expected}, found ${problem.actual ?? '?'})` : '';
    super('VME_ERR_DECODE', `${problem.structure}.${problem.field} at 0x${problem.offset.toString(16).toUpperCase()}: ${problem.reason}${ea}`, { ...problem });
    this.problem = problem;
  }
}
