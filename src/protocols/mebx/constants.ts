/**
 * The vme MEBX HECI protocol's numbers, each written once. This protocol is vme's own: real MEBX is
 * BIOS code that talks to the ME over vendor HECI clients whose messages are not public (research
 * amt-protocol.md §5.2 lists no MEBX client), so the client UUID, commands, statuses and layouts
 * here are defined by vme and documented in docs/reference/mebx.md. The password rules are the
 * MEBx rule set quoted in research amt-protocol.md §1.8 (Symantec TECH192452).
 */

/** vme's vendor-defined HECI client for MEBX (not an Intel UUID; "mebx-1" in the last group). */
export const MEBX_CLIENT_UUID = '9a4c1e57-3b2d-4f80-b6e1-6d6562782d31';

/** Protocol version carried in every header. */
export const MEBX_PROTOCOL_VERSION = 1;

/** Largest message either side sends (the client's HECI maximum message length). */
export const MEBX_MAX_MESSAGE_BYTES = 512;

/** Command byte of each request; a reply carries the same byte with MEBX_RESPONSE_BIT set. */
export const MEBX_COMMAND = {
  login: 0x01,
  changePassword: 0x02,
  logout: 0x03,
  getSettings: 0x10,
  setSettings: 0x11,
  enumerateHashes: 0x20,
  getHash: 0x21,
  addHash: 0x22,
  setHashActive: 0x23,
  deleteHash: 0x24,
  unprovision: 0x30,
} as const;
export type MebxCommandName = keyof typeof MEBX_COMMAND;

export const MEBX_RESPONSE_BIT = 0x80;

/** Status byte of a reply header. */
export const MEBX_STATUS = {
  success: 0x00,
  /** Unknown command, a request with the response bit, or another protocol version. */
  invalidCommand: 0x01,
  /** The body is not the declared size for the command. */
  invalidLength: 0x02,
  /** No session, or not the current one: log in first. */
  notAuthenticated: 0x03,
  /** Wrong password; the login reply body says how many attempts are left. */
  authenticationFailed: 0x04,
  /** Too many consecutive failures: refused until the engine resets. */
  lockedOut: 0x05,
  /** Logged in with the factory password: only changePassword and logout until it is changed. */
  passwordChangeRequired: 0x06,
  /** The new password breaks a rule; the reply body names the rule. */
  passwordRejected: 0x07,
  /** A field is out of range (an enum, a boolean, an address, a hash). */
  invalidParameter: 0x08,
  /** No hash entry with that handle. */
  notFound: 0x09,
  /** The hash table is full. */
  tableFull: 0x0a,
  /** End-of-POST was sent: MEBX is a pre-boot interface and refuses everything from then on. */
  endOfPost: 0x0b,
  /** The engine failed (a corrupt stored value, an NVRAM failure). */
  internalError: 0x0c,
} as const;
export type MebxStatusName = keyof typeof MEBX_STATUS;

/** Why a new password was refused (the first rule it breaks, in this order). */
export const PASSWORD_RULE = {
  ok: 0,
  tooShort: 1,
  tooLong: 2,
  notAscii: 3,
  forbiddenCharacter: 4,
  noDigit: 5,
  noSymbol: 6,
  noUppercase: 7,
  noLowercase: 8,
} as const;
export type PasswordRuleName = keyof typeof PASSWORD_RULE;

/** Password length limits (research amt-protocol.md §1.8). */
export const PASSWORD_LIMITS = { minLength: 8, maxLength: 32, fieldBytes: 63 } as const;

/** The factory MEBX password; it must be changed at the first login. */
export const FACTORY_PASSWORD = 'admin';

/** Consecutive wrong passwords before MEBX locks until the engine resets (real MEBx asks for a restart after three). */
export const DEFAULT_MAX_LOGIN_ATTEMPTS = 3;

/** User-consent policy on the wire. */
export const USER_CONSENT_CODE = { none: 0, kvm: 1, all: 2 } as const;
/** Network mode on the wire. */
export const NETWORK_MODE_CODE = { dhcp: 0, static: 1 } as const;

const reverse = <T extends Record<string, number>>(table: T): ReadonlyMap<number, keyof T> =>
  new Map(Object.entries(table).map(([name, value]) => [value, name as keyof T]));

export const MEBX_COMMAND_NAME = reverse(MEBX_COMMAND);
export const MEBX_STATUS_NAME = reverse(MEBX_STATUS);
export const PASSWORD_RULE_NAME = reverse(PASSWORD_RULE);
