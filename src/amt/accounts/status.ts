/**
 * The AMT status codes (PT_STATUS_*) the account methods return, with their numbers from the AMT
 * SDK's StatusCodeDefinitions.h (0x805 = 2053 ...) and the AMT_AuthorizationService ReturnValue
 * ValueMap {0, 1, 12, 16, 23, 38, 2054, 2055, 2058, 2065, 2075} (GWM
 * `pkg/wsman/amt/authorization/types.go` PTStatus). Method failures are ReturnValues, never faults.
 */
export const PT_STATUS = {
  SUCCESS: 0,
  INTERNAL_ERROR: 1,
  /** 0xC: the user name is empty, too long, not 7-bit ASCII or reserved. */
  INVALID_NAME: 12,
  /** 0x10: not allowed in the current state or over this interface (vme: Kerberos entries, which it does not support). */
  NOT_PERMITTED: 16,
  /** 0x17: the ACL is full. */
  MAX_LIMIT_REACHED: 23,
  /** 0x23: StartIndex outside the list. */
  INVALID_INDEX: 35,
  /** 0x24 */
  INVALID_PARAMETER: 36,
  /** 0x805 */
  INVALID_HANDLE: 2053,
  /** 0x806: the DigestPassword is not a 16-byte HA1, or a password breaks the strong-password rule. */
  INVALID_PASSWORD: 2054,
  /** 0x807: a realm number that cannot be granted. */
  INVALID_REALM: 2055,
  /** 0x80A (AMT_STATUS_DUPLICATE): the user name is already taken. */
  DUPLICATE: 2058,
} as const;

export type PtStatus = (typeof PT_STATUS)[keyof typeof PT_STATUS];

/** Name of a status code, for ReturnValue tables (derived). */
export const PT_STATUS_NAME: ReadonlyMap<number, string> = new Map(Object.entries(PT_STATUS).map(([name, value]) => [value, `PT_STATUS_${name}`]));
