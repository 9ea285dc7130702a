/**
 * The registry of every user-visible error code, and the typed error class that carries one.
 * Each code has a stable name, a one-line meaning and the `vme` exit status it maps to; a test
 * keeps `docs/errors.md` in step with this table. Retired codes are never reused.
 */

/** CLI exit statuses (documented in docs/cli.md). */
export const EXIT = {
  ok: 0,
  failure: 1, // the operation ran and its answer is "no" (e.g. verification failed)
  usage: 2, // bad command line
  badInput: 3, // an input file is malformed (decode error)
  denied: 4, // refused by an access rule (flash master access, anti-rollback, signature policy)
  io: 5, // a file could not be read or written
  internal: 70, // a bug in vme
} as const;
export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

interface ErrorSpec {
  readonly meaning: string;
  readonly exit: ExitStatus;
}

export const ERROR_CODES = {
  VME_ERR_DECODE: { meaning: 'A binary structure is malformed: truncated, bad magic, bad checksum or a field out of range.', exit: EXIT.badInput },
  VME_ERR_IO: { meaning: 'A file could not be read or written.', exit: EXIT.io },
  VME_ERR_USAGE: { meaning: 'The command line or an option value is invalid.', exit: EXIT.usage },
  VME_ERR_INTERNAL: { meaning: 'An unexpected internal failure (a bug in vme).', exit: EXIT.internal },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Base of every typed error vme raises on purpose. `details` is machine-readable (for --json). */
export class VmeError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }

  get exitStatus(): ExitStatus {
    return ERROR_CODES[this.code].exit;
  }

  toJSON(): Record<string, unknown> {
    return { error: this.code, message: this.message, ...this.details };
  }
}
