/**
 * AMT_TLSSettingData (brief §1.6): two instances, `Intel(r) AMT 802.3 TLS Settings` (remote,
 * the network port) and `Intel(r) AMT LMS TLS Settings` (local). Reads show the staged settings;
 * Put stages Enabled, AcceptNonSecureConnections, MutualAuthentication and TrustedCN until
 * CommitChanges (tls-state.ts). Order as in `amt/tls/settingdata/get.xml`; TrustedCN is written
 * only when set. Mutual authentication is a remote-interface feature: refused on the LMS instance.
 */
import type { ClassDeclaration, Instance, PropertyDecl } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { REALMS } from './common.js';
import { STAGED_TLS, stageTls, type TlsInterface, type TlsInterfaceSettings } from './tls-state.js';

const INSTANCE_ID: Record<TlsInterface, string> = { remote: 'Intel(r) AMT 802.3 TLS Settings', local: 'Intel(r) AMT LMS TLS Settings' };
/** TrustedCN limits (vme's choice): names per interface and characters per name. */
export const TRUSTED_CN_LIMITS = { names: 16, length: 255 } as const;

const w = (name: string, type: PropertyDecl['type'], array = false): PropertyDecl => ({ name, type, writable: true, ...(array ? { array } : {}) });

function instanceOf(side: TlsInterface, settings: TlsInterfaceSettings): Instance {
  return {
    AcceptNonSecureConnections: settings.acceptNonSecure, ElementName: INSTANCE_ID[side], Enabled: settings.enabled, InstanceID: INSTANCE_ID[side],
    MutualAuthentication: settings.mutualAuthentication, ...(settings.trustedCommonNames.length > 0 ? { TrustedCN: settings.trustedCommonNames } : {}),
  };
}

function trustedNames(value: Instance[string], current: readonly string[]): readonly string[] {
  if (value === undefined) return current;
  const names = (Array.isArray(value) ? value : [value]).map((n) => String(n).trim()).filter((n) => n !== '');
  if (names.length > TRUSTED_CN_LIMITS.names || names.some((n) => n.length > TRUSTED_CN_LIMITS.length)) {
    throw new WsmanFault('invalidRepresentation', `TrustedCN: at most ${TRUSTED_CN_LIMITS.names} names of ${TRUSTED_CN_LIMITS.length} characters`);
  }
  return names;
}

function applied(side: TlsInterface, current: TlsInterfaceSettings, changes: Instance): TlsInterfaceSettings {
  const flag = (name: string, held: boolean): boolean => {
    const value = changes[name];
    return typeof value === 'boolean' ? value : held;
  };
  const next: TlsInterfaceSettings = {
    enabled: flag('Enabled', current.enabled),
    acceptNonSecure: flag('AcceptNonSecureConnections', current.acceptNonSecure),
    mutualAuthentication: flag('MutualAuthentication', current.mutualAuthentication),
    trustedCommonNames: trustedNames(changes['TrustedCN'], current.trustedCommonNames),
  };
  if (side === 'local' && next.mutualAuthentication) throw new WsmanFault('invalidRepresentation', 'MutualAuthentication is not supported on the local (LMS) interface');
  return next;
}

export const AMT_TLS_SETTING_DATA: ClassDeclaration = {
  name: 'AMT_TLSSettingData',
  schema: 'AMT',
  summary: 'TLS settings of the remote (802.3) and local (LMS) interfaces; Put stages them until CommitChanges.',
  commonNamespace: false,
  properties: [
    w('AcceptNonSecureConnections', 'boolean'), { name: 'ElementName', type: 'string' }, w('Enabled', 'boolean'), { name: 'InstanceID', type: 'string', key: true },
    w('MutualAuthentication', 'boolean'), w('TrustedCN', 'string', true),
  ],
  instances: (context) => {
    const staged = context.state.get(STAGED_TLS);
    return [instanceOf('remote', staged.remote), instanceOf('local', staged.local)];
  },
  operations: {
    get: { realms: REALMS.administration },
    enumerate: { realms: REALMS.administration },
    put: {
      realms: REALMS.administration,
      apply: (context, current, changes) => {
        const side: TlsInterface = current['InstanceID'] === INSTANCE_ID.local ? 'local' : 'remote';
        const next = applied(side, context.state.get(STAGED_TLS)[side], changes);
        stageTls(context.state, { [side]: next });
        return instanceOf(side, next);
      },
    },
  },
  methods: [],
};
