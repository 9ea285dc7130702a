/**
 * The Digest user table seam. The AMT app owns accounts (admin, ACL entries) and hands the auth
 * layer a `UserDirectory`; each user has either a password or its precomputed HA1 =
 * MD5(user:realm:password), and the access realms the handler will see in the principal.
 */
import { VmeError } from '../../common/errors.js';
import { md5Hex } from './md5.js';

export type DigestSecret = { readonly password: string } | { readonly ha1: string };

export interface DigestUser {
  readonly user: string;
  readonly passwordOrHA1: DigestSecret;
  /** Access realms (e.g. AMT SDK realm names); passed to the handler unchanged. */
  readonly realms: readonly string[];
}

/** Where the verifier finds accounts; looked up once per request. */
export interface UserDirectory {
  find(user: string): DigestUser | undefined;
}

const HA1_PATTERN = /^[0-9a-f]{32}$/;
/** Control characters and `"` cannot appear in a quoted Digest user name. */
const isForbiddenInName = (character: string): boolean => character <= '\u001f' || character === '\u007f' || character === '"';

/** HA1 = MD5(user:realm:password), or the stored HA1 as is. */
export function userHA1(entry: DigestUser, realm: string): string {
  const secret = entry.passwordOrHA1;
  return 'ha1' in secret ? secret.ha1 : md5Hex(`${entry.user}:${realm}:${secret.password}`);
}

/** @throws VmeError VME_ERR_AMT_AUTH_CONFIG naming the first bad entry. */
export function validateUsers(entries: readonly DigestUser[]): void {
  const seen = new Set<string>();
  for (const entry of entries) {
    const fail = (why: string): never => {
      throw new VmeError('VME_ERR_AMT_AUTH_CONFIG', `user ${JSON.stringify(entry.user)}: ${why}`, { user: entry.user });
    };
    if (entry.user.length === 0 || [...entry.user].some(isForbiddenInName)) fail('user name is empty or has control characters or quotes');
    if (seen.has(entry.user)) fail('duplicate user');
    seen.add(entry.user);
    const secret = entry.passwordOrHA1;
    if ('ha1' in secret ? !HA1_PATTERN.test(secret.ha1) : secret.password.length === 0) fail('HA1 must be 32 lower-case hex digits and a password must not be empty');
    if (entry.realms.some((realm) => realm.length === 0)) fail('empty access-realm name');
  }
}

/** A fixed in-memory table (tests, the bench, and until the AMT app supplies its own). */
export function createUserTable(entries: readonly DigestUser[]): UserDirectory {
  validateUsers(entries);
  const byName = new Map(entries.map((entry) => [entry.user, { ...entry, realms: [...entry.realms] }]));
  return { find: (user) => byName.get(user) };
}
