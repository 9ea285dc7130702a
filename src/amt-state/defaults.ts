/**
 * What a fresh engine's AMT state holds: pre-provisioning, no control mode, host-based setup on,
 * the default hash table, MEBx placeholders, and a freshly generated local system account.
 */
import { DEFAULT_CERTIFICATE_HASHES } from './default-hashes.js';
import type { CertificateHashEntry, HostBasedSetupPolicy, LocalSystemAccount, MebxSettings, Provisioning } from './types.js';

export const DEFAULT_PROVISIONING: Provisioning = { state: 'pre', mode: 'none' };
export const DEFAULT_HOST_BASED_SETUP: HostBasedSetupPolicy = { enabled: true, allowClientControl: true, allowAdminControl: true };
export const DEFAULT_MEBX: MebxSettings = {
  amtEnabled: true,
  features: { sol: true, ider: true, kvm: true },
  network: { mode: 'dhcp' },
  userConsent: 'kvm',
};

/** The shipped hash entries with handles 0..n-1, all active. */
export function defaultHashEntries(): CertificateHashEntry[] {
  return DEFAULT_CERTIFICATE_HASHES.map((entry, handle) => ({
    handle, name: entry.name, algorithm: entry.algorithm, hash: Uint8Array.from(Buffer.from(entry.sha256, 'hex')), isDefault: true, isActive: true,
  }));
}

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '!#%*+-=?@^_';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

const pick = (alphabet: string, byte: number): string => alphabet[byte % alphabet.length] as string;

/**
 * A new local system account: a random user name and a 32-character password with upper, lower,
 * digit and symbol (AMT's strong-password rule), from `random`.
 */
export function generateAccount(random: (length: number) => Uint8Array): LocalSystemAccount {
  const bytes = random(40);
  const at = (i: number): number => bytes[i] ?? 0;
  const username = `vme-lsa-${Buffer.from(bytes.subarray(0, 4)).toString('hex')}`;
  const required = [pick(UPPER, at(4)), pick(LOWER, at(5)), pick(DIGITS, at(6)), pick(SYMBOLS, at(7))];
  const rest = Array.from({ length: 28 }, (_, i) => pick(ALL, at(8 + i)));
  return { username, password: [...required, ...rest].join('') };
}
