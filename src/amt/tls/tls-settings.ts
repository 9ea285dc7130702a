/**
 * TLS settings of the AMT network port with AMT's commit semantics: changes are staged and take
 * effect only at `commit()` (AMT_SetupAndConfigurationService.CommitChanges). New connections use
 * the committed settings; connections already open keep the ones they started with.
 */
import { createSecureContext, type TlsOptions } from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { VmeError } from '../../common/errors.js';
import { assertCredential, type DeviceCredential } from './device-certificate.js';
import { TLS_PROFILES, type TlsProfileName } from './tls-profiles.js';

export interface TlsConfig {
  readonly profile: TlsProfileName;
  readonly credential: DeviceCredential;
  /** AMT_TLSSettingData.MutualAuthentication: require a client certificate chaining to a trusted root. */
  readonly mutualAuthentication: boolean;
  /** PEM roots (AMT_PublicKeyCertificate with TrustedRootCertficate=true). */
  readonly trustedRoots: readonly string[];
  /** AMT_TLSSettingData.TrustedCN: when non-empty, the client certificate's CN must be one of these. */
  readonly trustedCommonNames: readonly string[];
}

/** What a new connection is set up with: a snapshot, never changed afterwards. */
export interface ActiveTls {
  readonly generation: number;
  readonly config: TlsConfig;
  /** Options for a node:tls server: key, certificate, versions, ciphers, client-certificate policy. */
  readonly serverOptions: Readonly<TlsOptions>;
}

export class TlsSettings {
  #active: ActiveTls;
  #staged: TlsConfig;

  /** @throws VmeError VME_ERR_AMT_TLS_CONFIG */
  constructor(initial: Partial<TlsConfig> & Pick<TlsConfig, 'credential'>) {
    this.#staged = { profile: 'amt-16', mutualAuthentication: false, trustedRoots: [], trustedCommonNames: [], ...initial };
    this.#active = compile(this.#staged, 1);
  }

  /** The settings new connections get now. */
  get active(): ActiveTls {
    return this.#active;
  }

  /** Staged (not yet committed) settings. */
  get staged(): TlsConfig {
    return this.#staged;
  }

  /** Changes settings for after the next commit; nothing changes on the wire yet. */
  stage(changes: Partial<TlsConfig>): void {
    this.#staged = { ...this.#staged, ...changes };
  }

  /** Applies the staged settings to new connections. @throws VmeError VME_ERR_AMT_TLS_CONFIG (and keeps the old ones). */
  commit(): ActiveTls {
    this.#active = compile(this.#staged, this.#active.generation + 1);
    return this.#active;
  }

  /** Drops staged changes. */
  discard(): void {
    this.#staged = this.#active.config;
  }
}

function compile(config: TlsConfig, generation: number): ActiveTls {
  const fail = (why: string): never => {
    throw new VmeError('VME_ERR_AMT_TLS_CONFIG', `TLS settings: ${why}`);
  };
  const profile = (TLS_PROFILES as Record<string, (typeof TLS_PROFILES)[TlsProfileName] | undefined>)[config.profile] ?? fail(`unknown profile ${JSON.stringify(config.profile)}`);
  assertCredential(config.credential);
  if (config.mutualAuthentication && config.trustedRoots.length === 0) fail('mutual authentication needs at least one trusted root');
  for (const root of config.trustedRoots) {
    try {
      new X509Certificate(root);
    } catch {
      fail('a trusted root is not a PEM certificate');
    }
  }
  const mutual = config.mutualAuthentication;
  const serverOptions: TlsOptions = {
    key: config.credential.privateKeyPem, cert: config.credential.certificatePem,
    minVersion: profile.minVersion, maxVersion: profile.maxVersion, ciphers: profile.ciphers, honorCipherOrder: true,
    requestCert: mutual, rejectUnauthorized: mutual,
    ...(config.trustedRoots.length > 0 ? { ca: [...config.trustedRoots] } : {}),
  };
  try {
    createSecureContext(serverOptions);
  } catch (error) {
    fail(`OpenSSL refused the settings: ${(error as Error).message}`);
  }
  return { generation, config: Object.freeze({ ...config }), serverOptions: Object.freeze(serverOptions) };
}
