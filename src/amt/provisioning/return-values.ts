/**
 * ReturnValue codes of the provisioning methods, the AMT SDK's ValueMaps as GWM reproduces them
 * (`pkg/wsman/ips/hostbasedsetup/decoder.go`, `pkg/wsman/amt/setupandconfiguration/decoder.go`).
 * The brief's §6 gives none; the SDK numbers differ per method (AddNextCertInChain's order is not
 * Setup's), so each method has its own table. Meanings are what the declarations and
 * docs/reference/wsman.md show.
 */

/** IPS_HostBasedSetupService.Setup. */
export const SETUP_RETURN = { success: 0, internalError: 1, invalidState: 2, invalidParam: 3, methodDisabled: 4, authFailed: 5, flashWriteLimitExceeded: 6 } as const;

/** IPS_HostBasedSetupService.AdminSetup and UpgradeClientToAdmin (4 is not in the SDK's map). */
export const ADMIN_SETUP_RETURN = { success: 0, internalError: 1, invalidState: 2, invalidParam: 3, authFailed: 5, flashWriteLimitExceeded: 6 } as const;

/** IPS_HostBasedSetupService.AddNextCertInChain. */
export const ADD_CERT_RETURN = { success: 0, invalidParam: 1, internalError: 2, invalidState: 3, certVerifyFailed: 4, chainLengthExceeded: 5 } as const;

/** AMT_SetupAndConfigurationService methods (PT_STATUS numbers). */
export const SETUP_AND_CONFIGURATION_RETURN = {
  success: 0, internalError: 1, notPermitted: 16, invalidParameter: 36, flashWriteLimitExceeded: 38, invalidPassword: 2054, dataMissing: 2057, blockingComponent: 2076,
} as const;

export const SETUP_RETURN_VALUES: Readonly<Record<number, string>> = {
  0: 'Success', 1: 'Internal error', 2: 'Invalid state (not pre-provisioning, or not from the local host)',
  3: 'Invalid parameter (NetAdminPassEncryptionType not 2, NetworkAdminPassword not 32 hex)', 4: 'Method disabled (host-based setup does not allow client control)',
  5: 'Authentication failed', 6: 'Flash write limit exceeded',
};

export const ADMIN_SETUP_RETURN_VALUES: Readonly<Record<number, string>> = {
  0: 'Success', 1: 'Internal error', 2: 'Invalid state (wrong provisioning state or control mode, admin control not allowed, not from the local host, no complete chain, no nonce reported)',
  3: 'Invalid parameter (encryption type, password, McNonce not 20 bytes, SigningAlgorithm not 2)', 5: 'Authentication failed (the signature over ConfigurationNonce || McNonce does not verify with the leaf key)',
  6: 'Flash write limit exceeded',
};

export const ADD_CERT_RETURN_VALUES: Readonly<Record<number, string>> = {
  0: 'Success', 1: 'Invalid parameter (not one DER certificate, leaf flag not on the first certificate only)', 2: 'Internal error',
  3: 'Invalid state (not pre-provisioning or client control, not from the local host, chain already complete)',
  4: 'Certificate verification failed (chain link, untrusted root, validity, provisioning EKU, DNS suffix)', 5: 'Certificate chain length exceeded',
};
