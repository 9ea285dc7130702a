/**
 * TLS configuration with AMT's commit semantics (brief §1.6, §3.7): AMT_TLSSettingData Puts and
 * AMT_TLSCredentialContext Create/Put/Delete change the STAGED setup, which WS-Man reads show;
 * AMT_SetupAndConfigurationService.CommitChanges makes the AMT app call `commitStagedTls`, which
 * copies it to the ACTIVE setup: a self-contained snapshot (the chosen certificate with its
 * private key and the trusted roots), so later store changes cannot break the running TLS.
 * `activeTlsConfig` turns the active setup into src/amt/tls's TlsConfig.
 */
import { VmeError } from '../../../common/errors.js';
import type { DeviceCredential, TlsConfig, TlsProfileName } from '../../tls/index.js';
import { derToPem } from '../../tls/pki.js';
import type { StateSlot, WsmanState } from '../state.js';
import { CERTIFICATE_STORE, findCertificate, keyPairOf, PKI_STATUS } from './certificate-store.js';

/** One AMT_TLSSettingData instance: remote = `Intel(r) AMT 802.3 TLS Settings`, local = `Intel(r) AMT LMS TLS Settings`. */
export interface TlsInterfaceSettings {
  readonly enabled: boolean;
  readonly acceptNonSecure: boolean;
  readonly mutualAuthentication: boolean;
  /** TrustedCN: when non-empty, a client certificate's CN must be one of these. */
  readonly trustedCommonNames: readonly string[];
}

export type TlsInterface = 'remote' | 'local';

export interface StagedTls {
  readonly remote: TlsInterfaceSettings;
  readonly local: TlsInterfaceSettings;
  /** Handle of the certificate AMT_TLSCredentialContext names; undefined: none (the device's own). */
  readonly credentialCertificate: number | undefined;
}

export interface ActiveTlsSetup {
  readonly remote: TlsInterfaceSettings;
  readonly local: TlsInterfaceSettings;
  /** DER certificate and PKCS#8 key (SECRET) chosen at commit; undefined: the device's own credential. */
  readonly credential: { readonly certificate: Uint8Array; readonly privateKey: Uint8Array } | undefined;
  /** DER trusted roots at commit. */
  readonly trustedRoots: readonly Uint8Array[];
}

/** Factory settings as the recorded pull shows them (`amt/tls/settingdata/pull.xml`). */
const FACTORY: { readonly remote: TlsInterfaceSettings; readonly local: TlsInterfaceSettings } = {
  remote: { enabled: false, acceptNonSecure: false, mutualAuthentication: false, trustedCommonNames: [] },
  local: { enabled: false, acceptNonSecure: true, mutualAuthentication: false, trustedCommonNames: [] },
};

export const STAGED_TLS: StateSlot<StagedTls> = { name: 'wsman/tls-staged', initial: () => ({ ...FACTORY, credentialCertificate: undefined }) };
export const ACTIVE_TLS: StateSlot<ActiveTlsSetup> = { name: 'wsman/tls-active', initial: () => ({ ...FACTORY, credential: undefined, trustedRoots: [] }) };

/** Changes the staged setup. */
export function stageTls(state: WsmanState, changes: Partial<StagedTls>): void {
  state.set(STAGED_TLS, { ...state.get(STAGED_TLS), ...changes });
}

/**
 * What CommitChanges would make of the staged TLS setup: 0, or PT_STATUS_DATA_MISSING (2057) when
 * mutual authentication is enabled without a trusted root to check clients against.
 */
export function checkStagedTls(state: WsmanState): number {
  const staged = state.get(STAGED_TLS);
  const roots = state.get(CERTIFICATE_STORE).certificates.filter((c) => c.trustedRoot);
  return staged.remote.enabled && staged.remote.mutualAuthentication && roots.length === 0 ? PKI_STATUS.dataMissing : PKI_STATUS.success;
}

/**
 * CommitChanges: the staged setup becomes the active one. True when the active setup changed
 * (the app then rebuilds its TLS settings and listeners).
 * @throws VmeError VME_ERR_AMT_TLS_CONFIG when `checkStagedTls` refuses; the active setup stays.
 */
export function commitStagedTls(state: WsmanState): boolean {
  if (checkStagedTls(state) !== PKI_STATUS.success) throw new VmeError('VME_ERR_AMT_TLS_CONFIG', 'staged TLS settings: mutual authentication needs a trusted root certificate');
  const staged = state.get(STAGED_TLS);
  const certificate = staged.credentialCertificate === undefined ? undefined : findCertificate(state, staged.credentialCertificate);
  const key = certificate === undefined ? undefined : keyPairOf(state, certificate);
  const next: ActiveTlsSetup = {
    remote: staged.remote,
    local: staged.local,
    credential: certificate !== undefined && key !== undefined ? { certificate: certificate.der, privateKey: key.privateKey } : undefined,
    trustedRoots: state.get(CERTIFICATE_STORE).certificates.filter((c) => c.trustedRoot).map((c) => c.der),
  };
  if (canonical(next) === canonical(state.get(ACTIVE_TLS))) return false;
  state.set(ACTIVE_TLS, next);
  return true;
}

/**
 * The committed TLS settings of the network port as src/amt/tls takes them: the credential chosen
 * by AMT_TLSCredentialContext (else `deviceCredential`), the trusted roots, and the remote
 * interface's mutual authentication and TrustedCN (in force only while its TLS is enabled).
 */
export function activeTlsConfig(state: WsmanState, deviceCredential: DeviceCredential, profile: TlsProfileName = 'amt-16'): TlsConfig {
  const active = state.get(ACTIVE_TLS);
  const mutual = active.remote.enabled && active.remote.mutualAuthentication;
  return {
    profile,
    credential: active.credential === undefined ? deviceCredential
      : { certificatePem: derToPem('CERTIFICATE', active.credential.certificate), privateKeyPem: derToPem('PRIVATE KEY', active.credential.privateKey) },
    mutualAuthentication: mutual,
    trustedRoots: active.trustedRoots.map((der) => derToPem('CERTIFICATE', der)),
    trustedCommonNames: mutual ? active.remote.trustedCommonNames : [],
  };
}

/**
 * Whether the plain-HTTP port (16992) may answer: yes unless the committed settings of that side
 * (network: 802.3 remote; local: LMS) enable TLS with AcceptNonSecureConnections=false.
 */
export function acceptsNonSecure(state: WsmanState, origin: 'network' | 'local' = 'network'): boolean {
  const settings = state.get(ACTIVE_TLS)[origin === 'network' ? 'remote' : 'local'];
  return !settings.enabled || settings.acceptNonSecure;
}

/** Whether the committed settings of that side enable TLS. */
export function tlsEnabled(state: WsmanState, origin: 'network' | 'local' = 'network'): boolean {
  return state.get(ACTIVE_TLS)[origin === 'network' ? 'remote' : 'local'].enabled;
}

/** Unprovision: certificates, keys and both TLS setups back to factory (TLS off). */
export function resetCertificates(state: WsmanState): void {
  for (const slot of [CERTIFICATE_STORE, STAGED_TLS, ACTIVE_TLS] as StateSlot<unknown>[]) state.set(slot, slot.initial());
}

function canonical(setup: ActiveTlsSetup): string {
  return JSON.stringify(setup, (_key, value: unknown) => (value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value));
}
