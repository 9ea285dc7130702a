/**
 * Types and numbered enums of the engine's AMT provisioning state. The numbers are the ones the
 * host interface reports (brief amt-protocol.md §6.1 states and modes; §5.3 hash algorithms).
 */

/** Provisioning state as PTHI GetProvisioningState reports it (brief §6.1). */
export const PROVISIONING_STATE = { pre: 0, in: 1, post: 2 } as const;
export type ProvisioningState = keyof typeof PROVISIONING_STATE;

/** Control mode as PTHI GetControlMode reports it (brief §6.1). */
export const CONTROL_MODE = { none: 0, client: 1, admin: 2 } as const;
export type ControlMode = keyof typeof CONTROL_MODE;

/** Certificate hash algorithms as rpc-go numbers them (brief §5.3, GetCertHashEntry). */
export const HASH_ALGORITHM = { md5: 0, sha1: 1, sha256: 2, sha384: 3, sha224: 4, sha512: 5 } as const;
export type HashAlgorithm = keyof typeof HASH_ALGORITHM;

/** Digest length in bytes of each algorithm; the wire field is always 64 bytes, zero-padded. */
export const HASH_LENGTH: Readonly<Record<HashAlgorithm, number>> = { md5: 16, sha1: 20, sha256: 32, sha384: 48, sha224: 28, sha512: 64 };

/** One entry of the provisioning-certificate hash table (trusted roots for ACM, brief §6.3). */
export interface CertificateHashEntry {
  /** Handle PTHI EnumerateHashHandles reports and GetCertHashEntry takes. */
  readonly handle: number;
  readonly name: string;
  readonly algorithm: HashAlgorithm;
  readonly hash: Uint8Array;
  /** Shipped with the firmware (restored by unprovision) rather than added by an administrator. */
  readonly isDefault: boolean;
  readonly isActive: boolean;
}

/** Host-based setup (brief §6.2/§6.3): which control modes host-based setup may reach. */
export interface HostBasedSetupPolicy {
  readonly enabled: boolean;
  readonly allowClientControl: boolean;
  readonly allowAdminControl: boolean;
}

/** What StartConfigurationHBased recorded (AMT 19 secure host-based setup, brief §5.3). */
export interface HostBasedConfigurationSession {
  readonly serverHashAlgorithm: HashAlgorithm;
  readonly serverCertificateHash: Uint8Array;
  readonly hostVpnEnabled: boolean;
  readonly dnsSuffixes: readonly string[];
  /** Engine clock (ms) when the session started. */
  readonly startedAt: number;
}

/** The local system account PTHI GetLocalSystemAccount returns (33-byte fields on the wire). */
export interface LocalSystemAccount {
  readonly username: string;
  readonly password: string;
}

export type UserConsentPolicy = 'none' | 'kvm' | 'all';

/** MEBx settings placeholders (the MEBx task fills in behaviour). */
export interface MebxSettings {
  readonly amtEnabled: boolean;
  readonly features: { readonly sol: boolean; readonly ider: boolean; readonly kvm: boolean };
  readonly network: MebxNetwork;
  readonly userConsent: UserConsentPolicy;
}

export type MebxNetwork =
  | { readonly mode: 'dhcp' }
  | { readonly mode: 'static'; readonly address: string; readonly subnetMask: string; readonly gateway: string; readonly dns: readonly string[] };

/** Provisioning state and control mode, always read and written together. */
export interface Provisioning {
  readonly state: ProvisioningState;
  readonly mode: ControlMode;
}

/** Limits of the wire formats the state is reported through. */
export const AMT_STATE_LIMITS = {
  /** PTHI StartConfigurationHBased suffix list: 5 suffixes of 64 bytes (rpc-go MAX_DNS_SUFFIXES). */
  maxDnsSuffixLength: 64,
  maxDnsSuffixes: 5,
  /** PTHI EnumerateHashHandles reports at most 33 handles (rpc-go CERT_HASH_MAX_NUMBER). */
  maxCertificateHashes: 33,
  /** Hash entry names; AMT_ANSI_STRING carries a u16 length, we keep names short. */
  maxCertificateNameLength: 64,
  /** Local system account fields are char[33] with a terminating NUL. */
  maxAccountFieldLength: 32,
} as const;
