/**
 * The provisioning state both AMT_SetupAndConfigurationService and IPS_HostBasedSetupService
 * report (brief §3.1, §6.1), and what host-based setup works with: the provisioning-certificate
 * hash table and DNS suffixes ACM trusts (§6.3), the ConfigurationNonce last reported and the
 * certificate chain being added. The AMT app backs PROVISIONING, the hash table and the suffixes
 * with src/amt-state's records, so PTHI and WS-Man agree; the in-memory defaults are a fresh
 * device's.
 */
import { defaultHashEntries } from '../../../amt-state/defaults.js';
import type { CertificateHashEntry } from '../../../amt-state/index.js';
import type { ChainFailure } from '../../provisioning/chain.js';
import { defineSlot } from '../state.js';

export interface ProvisioningStatus {
  /** 0 pre-provisioning, 1 in provisioning, 2 post-provisioning. */
  readonly state: 0 | 1 | 2;
  /** AMT_SetupAndConfigurationService.ProvisioningMode: PROVISIONING_MODE below. */
  readonly mode: number;
  /** IPS_HostBasedSetupService.CurrentControlMode: 0 none, 1 client (CCM), 2 admin (ACM). */
  readonly controlMode: 0 | 1 | 2;
  /** Control modes host-based setup may reach (the policy: both by default; MeshCentral needs length 2). */
  readonly allowedControlModes: readonly number[];
  readonly zeroTouchEnabled: boolean;
}

/**
 * ProvisioningMode per control mode: 1 admin control (and pre-provisioning, as the recorded reply
 * shows), 4 client control (GWM setupandconfiguration decoder.go ProvisioningModeValue).
 */
export const PROVISIONING_MODE = { admin: 1, client: 4, unprovisioned: 1 } as const;

export const PROVISIONING = defineSlot<ProvisioningStatus>('wsman/provisioning', () => ({
  state: 0, mode: PROVISIONING_MODE.unprovisioned, controlMode: 0, allowedControlModes: [2, 1], zeroTouchEnabled: true,
}));

/** The status after a successful activation into `controlMode`. */
export function activated(current: ProvisioningStatus, controlMode: 1 | 2): ProvisioningStatus {
  return { ...current, state: 2, controlMode, mode: controlMode === 2 ? PROVISIONING_MODE.admin : PROVISIONING_MODE.client };
}

/** The provisioning-certificate hash table (trusted ACM roots); unprovision restores the defaults. */
export const PROVISIONING_CERTIFICATE_HASHES = defineSlot<readonly CertificateHashEntry[]>('wsman/provisioning-certificate-hashes', defaultHashEntries);

/**
 * DNS suffixes an ACM leaf certificate may be issued under (brief §6.3): the PKI DNS suffix (MEBx,
 * PTHI GetPKIFQDNSuffix) and the network's (DHCP option 15; here the suffixes the host's
 * StartConfigurationHBased session gave).
 */
export interface ProvisioningDnsSuffixes {
  readonly pki: string;
  readonly network: readonly string[];
}

export const PROVISIONING_DNS_SUFFIXES = defineSlot<ProvisioningDnsSuffixes>('wsman/provisioning-dns-suffixes', () => ({ pki: '', network: [] }));

/** The ConfigurationNonce last reported (AdminSetup signs it); undefined until a read. */
export const CONFIGURATION_NONCE = defineSlot<Uint8Array | undefined>('wsman/hbs-configuration-nonce', () => undefined);

/** AddNextCertInChain's progress: DER certificates leaf first; complete once the root is in. */
export interface CertificateChainProgress {
  readonly certificates: readonly Uint8Array[];
  readonly complete: boolean;
  /** Why the last chain was refused (the ReturnValue cannot say which rule broke). */
  readonly failure?: ChainFailure | 'too-long';
}

export const CERTIFICATE_CHAIN = defineSlot<CertificateChainProgress>('wsman/hbs-certificate-chain', () => ({ certificates: [], complete: false }));
