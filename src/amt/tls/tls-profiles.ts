/**
 * TLS versions and cipher suites per device profile (brief §1.6). Clients: MeshCentral offers only
 * `RSA+AES` (RSA key exchange), MeshCommander ECDHE-RSA-AES-GCM too, go-wsman optionally the RSA
 * suites; so TLS 1.2 with both ECDHE-RSA-AES-GCM and plain RSA-AES suites, with an RSA key.
 * Whether real AMT 16 negotiates TLS 1.3 is unverified: `amt-16` allows it, `amt-16-tls12` does not.
 */
import type { SecureVersion } from 'node:tls';

export interface TlsProfile {
  readonly minVersion: SecureVersion;
  readonly maxVersion: SecureVersion;
  /** OpenSSL cipher string for TLS ≤ 1.2 (TLS 1.3 suites are OpenSSL's defaults). */
  readonly ciphers: string;
}

const AMT_CIPHERS = [
  'ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384',
  'AES128-GCM-SHA256', 'AES256-GCM-SHA384', 'AES128-SHA256', 'AES128-SHA', 'AES256-SHA',
].join(':');

export const TLS_PROFILES = {
  /** Default: TLS 1.2 (and 1.3), the AMT suite list. */
  'amt-16': { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: AMT_CIPHERS },
  /** TLS 1.2 only. */
  'amt-16-tls12': { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: AMT_CIPHERS },
  /** Old firmware (AMT ≤ 11): TLS 1.0-1.2, for MeshCentral's `TLSv1_method` retry; needs OpenSSL security level 0. */
  'amt-legacy': { minVersion: 'TLSv1', maxVersion: 'TLSv1.2', ciphers: `${AMT_CIPHERS}:@SECLEVEL=0` },
} as const satisfies Record<string, TlsProfile>;

export type TlsProfileName = keyof typeof TLS_PROFILES;
