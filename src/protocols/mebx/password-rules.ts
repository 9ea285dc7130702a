/**
 * The MEBX password rules (research amt-protocol.md §1.8, the MEBx rule set quoted from Symantec
 * TECH192452): 8 to 32 characters of 7-bit printable ASCII, at least one digit, one upper-case and
 * one lower-case letter and one symbol (a non-alphanumeric character), and none of `:` `,` `"`.
 * Space counts as not printable here. The engine checks them; the MEBX screen checks them too, to
 * say why before asking the engine.
 */
import { PASSWORD_LIMITS, PASSWORD_RULE, type PasswordRuleName } from './constants.js';

const FORBIDDEN = new Set([0x3a, 0x2c, 0x22]); // : , "

/** The first rule `password` breaks, or `ok`. Takes the raw bytes (what the wire carries) or text. */
export function checkMebxPassword(password: Uint8Array | string): PasswordRuleName {
  const bytes = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  const codes = [...bytes];
  if (codes.length < PASSWORD_LIMITS.minLength) return 'tooShort';
  if (codes.length > PASSWORD_LIMITS.maxLength) return 'tooLong';
  if (codes.some((c) => c < 0x21 || c > 0x7e)) return 'notAscii';
  if (codes.some((c) => FORBIDDEN.has(c))) return 'forbiddenCharacter';
  if (!codes.some(isDigit)) return 'noDigit';
  if (!codes.some((c) => !isDigit(c) && !isUpper(c) && !isLower(c))) return 'noSymbol';
  if (!codes.some(isUpper)) return 'noUppercase';
  if (!codes.some(isLower)) return 'noLowercase';
  return 'ok';
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isUpper = (c: number): boolean => c >= 0x41 && c <= 0x5a;
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;

/** What the MEBX screen says for each rule. */
export const PASSWORD_RULE_TEXT: Readonly<Record<PasswordRuleName, string>> = {
  ok: 'Password accepted',
  tooShort: `Password must be at least ${PASSWORD_LIMITS.minLength} characters`,
  tooLong: `Password must be at most ${PASSWORD_LIMITS.maxLength} characters`,
  notAscii: 'Password must be 7-bit printable ASCII without spaces',
  forbiddenCharacter: 'Password must not contain : , or "',
  noDigit: 'Password must contain a digit',
  noSymbol: 'Password must contain a symbol (non-alphanumeric)',
  noUppercase: 'Password must contain an upper-case letter',
  noLowercase: 'Password must contain a lower-case letter',
};

/** The rule's wire number. */
export const passwordRuleCode = (rule: PasswordRuleName): number => PASSWORD_RULE[rule];
