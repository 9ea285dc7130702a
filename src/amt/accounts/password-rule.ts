/**
 * AMT's strong-password rule (brief §1.8), the same one the MEBX enforces: 8 to 32 characters of
 * 7-bit printable ASCII, a digit, an upper-case and a lower-case letter, a symbol, none of `:` `,`
 * `"`. One rule for both interfaces: this only words the MEBX check for account callers.
 */
import { checkMebxPassword, PASSWORD_RULE_TEXT } from '../../protocols/mebx/password-rules.js';

/** Why `password` is refused, or undefined when it is strong enough. */
export function checkAmtPassword(password: string): string | undefined {
  const rule = checkMebxPassword(password);
  return rule === 'ok' ? undefined : PASSWORD_RULE_TEXT[rule];
}
