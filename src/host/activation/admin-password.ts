/**
 * The admin password `vme up` activates a fresh platform with: generated once (AMT's strong-password
 * rule: 16 characters with upper, lower, digit and symbol), kept in `<state>/amt-admin-password`
 * (mode 0600, written atomically BEFORE activation so a crash can never leave an activated device
 * whose password nobody has), and reused on every later start.
 */
import { randomInt } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { VmeError } from '../../common/errors.js';

export const ADMIN_PASSWORD_FILE = 'amt-admin-password';
const CLASSES = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-.=@^_'] as const;

/** A random password that meets AMT's rule (one of each class, 16 characters, no quoting hazards). */
export function generateAdminPassword(length = 16): string {
  const all = CLASSES.join('');
  const chars = CLASSES.map((set) => set[randomInt(set.length)] ?? 'x');
  while (chars.length < length) chars.push(all[randomInt(all.length)] ?? 'x');
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] ?? '', chars[i] ?? ''];
  }
  return chars.join('');
}

/** The kept password, or a new one written first. @throws VmeError VME_ERR_IO when the state folder cannot be written */
export async function loadOrCreateAdminPassword(stateDir: string): Promise<{ password: string; created: boolean; path: string }> {
  const path = join(stateDir, ADMIN_PASSWORD_FILE);
  const existing = await readFile(path, 'utf8').then((text) => text.trim(), () => undefined);
  if (existing !== undefined && existing.length > 0) return { password: existing, created: false, path };
  const password = generateAdminPassword();
  try {
    await writeFile(`${path}.tmp`, `${password}\n`, { mode: 0o600 });
    await rename(`${path}.tmp`, path);
  } catch (error) {
    throw new VmeError('VME_ERR_IO', `cannot keep the AMT admin password in ${path}: ${(error as Error).message}`);
  }
  return { password, created: true, path };
}
