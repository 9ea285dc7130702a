/**
 * The Linux MEI driver's errno values (x86-64 numbering) as the host side reports them, and the
 * typed error carrying one. The device socket sends these numbers; the host library names them.
 * [brief me-internals §3.4; Linux drivers/misc/mei/main.c, client.c, hbm.c]
 */
import { VmeError } from '../common/errors.js';

/** errno numbers from Linux `include/uapi/asm-generic/errno-base.h` and `errno.h`. */
export const LINUX_ERRNO = {
  ENOENT: 2, // no device at this path (open)
  EBADF: 9, // operation on a closed session
  EAGAIN: 11, // non-blocking: no message yet, or the transmit queue is full (no credit)
  EBUSY: 16, // session already connected, or client at its connection limit / refused
  ENODEV: 19, // engine not ready (down, reset) or the session is not connected
  EINVAL: 22, // bad argument (malformed request, bad connect parameter)
  EMFILE: 24, // no free host address for another connection
  ENOTTY: 25, // no firmware client with this UUID
  EFBIG: 27, // write longer than the client's maximum message length
  ETIMEDOUT: 110, // read or notification wait ran out of time (vme's poll() stand-in)
  EMSGSIZE: 90, // the engine sent a message longer than the client's maximum length
  EOPNOTSUPP: 95, // the bus's HBM version lacks the feature (notifications need HBM 2.0)
} as const;
export type ErrnoName = keyof typeof LINUX_ERRNO;

const NAME_BY_NUMBER: ReadonlyMap<number, ErrnoName> = new Map(
  (Object.entries(LINUX_ERRNO) as [ErrnoName, number][]).map(([name, value]) => [value, name]),
);

/** The errno name for a number, or undefined for a number the MEI device never sends. */
export const errnoName = (value: number): ErrnoName | undefined => NAME_BY_NUMBER.get(value);

/** A driver error as a program sees it: `errno` is the name (`ENOTTY`), `errnoValue` the number. */
export class MeiErrnoError extends VmeError {
  readonly errno: ErrnoName;
  readonly errnoValue: number;

  constructor(errno: ErrnoName, message: string) {
    super('VME_ERR_MEI_ERRNO', `${errno}: ${message}`, { errno, errnoValue: LINUX_ERRNO[errno] });
    this.errno = errno;
    this.errnoValue = LINUX_ERRNO[errno];
  }
}

/** Throws the driver error `errno` with `message`. */
export function fail(errno: ErrnoName, message: string): never {
  throw new MeiErrnoError(errno, message);
}
