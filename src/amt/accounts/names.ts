/**
 * Account names as AMT accepts them: 7-bit ASCII, 1 to 16 characters (AMT_AuthorizationService
 * DigestUsername, GWM authorization/types.go); none of `,` `:` `"` `&` `<` `>`; not starting with
 * `$$` (system accounts such as the local system account); `admin` and `administrator` are
 * reserved for the built-in admin (Intel SCS ACL help, "Adding a User to the ACL"). vme also
 * refuses `\`, space and control characters, which a quoted Digest username cannot carry safely.
 */
export const MAX_USER_NAME_LENGTH = 16;

/** Shape only: what any account name (admin included) must look like. */
export function isValidUserName(user: string): boolean {
  return user.length > 0 && user.length <= MAX_USER_NAME_LENGTH && /^[\x21-\x7e]+$/.test(user) && !/[,:"&<>\\]/.test(user);
}

/** A name an ACL user entry may take (shape, not a system or reserved name). */
export function isValidAclUserName(user: string): boolean {
  return isValidUserName(user) && !user.startsWith('$$') && !['admin', 'administrator'].includes(user.toLowerCase());
}
