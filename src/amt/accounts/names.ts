/**
 * Account names as AMT accepts them (AMT_AuthorizationService DigestUsername/Username: "7-bit
 * ASCII characters, limited to 16 characters, cannot be empty", GWM authorization/types.go).
 * vme also refuses what a quoted Digest username cannot carry (`"`, `\`, control characters) and
 * `:` (it separates user and realm in HA1).
 */
export const MAX_USER_NAME_LENGTH = 16;

export function isValidUserName(user: string): boolean {
  return user.length > 0 && user.length <= MAX_USER_NAME_LENGTH && /^[\x21-\x7e]+$/.test(user) && !/["\\:]/.test(user);
}
