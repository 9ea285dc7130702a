/**
 * The WS-Man classes for certificates and TLS (brief §3.7), listed for the registry
 * (classes/index.ts), and the TLS state the AMT app reads: `commitStagedTls` at CommitChanges,
 * `activeTlsConfig` for src/amt/tls's TlsSettings, `acceptsNonSecure` for port 16992,
 * `resetCertificates` at Unprovision.
 */
import type { ClassDeclaration } from '../declaration.js';
import { AMT_PUBLIC_KEY_CERTIFICATE, AMT_PUBLIC_PRIVATE_KEY_PAIR } from './certificates.js';
import { AMT_PUBLIC_KEY_MANAGEMENT_SERVICE } from './public-key-management.js';
import { AMT_TLS_CREDENTIAL_CONTEXT, AMT_TLS_PROTOCOL_ENDPOINT_COLLECTION } from './tls-credential-context.js';
import { AMT_TLS_SETTING_DATA } from './tls-settings.js';

export const CERTIFICATES_CLASSES: readonly ClassDeclaration[] = [
  AMT_PUBLIC_KEY_MANAGEMENT_SERVICE, AMT_PUBLIC_KEY_CERTIFICATE, AMT_PUBLIC_PRIVATE_KEY_PAIR,
  AMT_TLS_SETTING_DATA, AMT_TLS_CREDENTIAL_CONTEXT, AMT_TLS_PROTOCOL_ENDPOINT_COLLECTION,
];

export {
  acceptsNonSecure, activeTlsConfig, checkStagedTls, commitStagedTls, resetCertificates, tlsEnabled,
  ACTIVE_TLS, STAGED_TLS, type ActiveTlsSetup, type StagedTls, type TlsInterface, type TlsInterfaceSettings,
} from './tls-state.js';
export { CERTIFICATE_STORE, PKI_STATUS, type CertificateStore, type StoredCertificate, type StoredKeyPair } from './certificate-store.js';
