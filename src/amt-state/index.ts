/** Public API of the engine's AMT provisioning state (persisted in the `amt` NVRAM namespace). */
export { AmtStateStore, hashAlgorithmNumber, type AmtNvram, type AmtStateOptions, type AmtStateChanges, type AmtCertificateHash, type NewCertificateHash } from './store.js';
export { AmtStateError, isAmtStateError } from './errors.js';
export { DEFAULT_CERTIFICATE_HASHES, type DefaultHash } from './default-hashes.js';
export { DEFAULT_MEBX, DEFAULT_HOST_BASED_SETUP } from './defaults.js';
export { KEYS as AMT_STATE_KEYS } from './records.js';
export * from './types.js';
