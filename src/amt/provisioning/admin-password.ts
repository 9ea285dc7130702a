/**
 * NetworkAdminPassword as host-based setup receives it (brief §6.2): NetAdminPassEncryptionType 2
 * (HTTP Digest MD5 A1) and the admin's HA1 = MD5("admin:" + DigestRealm + ":" + password) as 32
 * hex characters (GWM hostbasedsetup createMD5Hash; RPS getPassword; MeshCentral lower-case).
 */

/** IPS_HostBasedSetupService NetAdminPassEncryptionType values (GWM hostbasedsetup decoder.go). */
export const ADMIN_PASS_ENCRYPTION = { none: 0, other: 1, httpDigestMd5A1: 2 } as const;

/** The admin account host-based setup creates; its HA1 is computed with this name. */
export const SETUP_ADMIN_USER = 'admin';

/** The HA1 as 32 lower-case hex, or undefined when the type is not 2 or the value is not 32 hex characters. */
export function networkAdminHA1(encryptionType: unknown, password: unknown): string | undefined {
  if (encryptionType !== ADMIN_PASS_ENCRYPTION.httpDigestMd5A1 || typeof password !== 'string') return undefined;
  const text = password.trim();
  return /^[0-9A-Fa-f]{32}$/.test(text) ? text.toLowerCase() : undefined;
}
