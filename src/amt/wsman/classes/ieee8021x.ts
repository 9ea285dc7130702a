/**
 * Wired 802.1x (brief §3.9) as a device where it is not configured answers it:
 * IPS_IEEE8021xSettings (Enabled 3, disabled; RPS's unconfiguration Gets it first and Puts it back
 * with Enabled 3 when it finds 2 or 6, RPS `src/stateMachines/unconfiguration.ts`), the older
 * AMT_8021XProfile view MeshCommander reads (Enabled false), and empty lists of credential
 * contexts (IPS_ and AMT_IEEE8021xCredentialContext) and of CIM_IEEE8021xSettings profiles.
 * Turning 802.1x on is a later issue: such a Put is UnsupportedFeature and SetCertificates is not
 * declared (ActionNotSupported). Order and values: `ips/ieee8021x/settings/get.xml`,
 * `amt/ieee8021x/profile/get.xml`, `cim/ieee8021x/settings/pull.xml`.
 */
import type { ClassDeclaration, Instance } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { defineSlot } from '../state.js';
import { REALMS } from './common.js';
import { emptyListClass, featureNotSupported } from './unconfigured.js';

/** IPS_IEEE8021xSettings.Enabled (CIM EnabledState): 2 enabled, 3 disabled, 6 enabled but offline. */
export const IEEE8021X_ENABLED = { enabled: 2, disabled: 3, enabledButOffline: 6 } as const;
/** PxeTimeout limit in seconds [AMT SDK: 0..86400]. */
export const PXE_TIMEOUT_MAX = 86_400;

export interface Ieee8021xState {
  readonly availableInS0: boolean;
  readonly pxeTimeout: number;
}

/** The values of the recorded (disabled) settings. */
export const IEEE8021X_SETTINGS = defineSlot<Ieee8021xState>('wsman/ieee8021x-settings', () => ({ availableInS0: false, pxeTimeout: 120 }));

const SETTINGS_ID = 'Intel(r) AMT: 8021X Settings';

function settingsInstance(s: Ieee8021xState): Instance {
  return { AvailableInS0: s.availableInS0, ElementName: SETTINGS_ID, Enabled: IEEE8021X_ENABLED.disabled, InstanceID: SETTINGS_ID, PxeTimeout: s.pxeTimeout };
}

function applySettings(current: Ieee8021xState, changes: Instance): Ieee8021xState {
  const enabled = changes['Enabled'] ?? IEEE8021X_ENABLED.disabled;
  if (typeof enabled !== 'number') throw new WsmanFault('invalidRepresentation', 'Enabled: not a number');
  if (enabled === IEEE8021X_ENABLED.enabled || enabled === IEEE8021X_ENABLED.enabledButOffline) throw featureNotSupported('802.1x', `IPS_IEEE8021xSettings Enabled ${enabled}`);
  if (enabled !== IEEE8021X_ENABLED.disabled) throw new WsmanFault('invalidRepresentation', `Enabled ${enabled}: 2, 3 or 6`);
  const pxeTimeout = changes['PxeTimeout'] ?? current.pxeTimeout;
  if (typeof pxeTimeout !== 'number' || pxeTimeout > PXE_TIMEOUT_MAX) throw new WsmanFault('invalidRepresentation', `PxeTimeout: 0..${PXE_TIMEOUT_MAX} seconds`);
  const availableInS0 = changes['AvailableInS0'] ?? current.availableInS0;
  return { availableInS0: availableInS0 === true, pxeTimeout };
}

export const IPS_IEEE8021X_SETTINGS: ClassDeclaration = {
  name: 'IPS_IEEE8021xSettings',
  schema: 'IPS',
  summary: 'Wired 802.1x: disabled (Enabled 3). Put keeps it disabled (PxeTimeout, AvailableInS0); enabling is a later issue (UnsupportedFeature).',
  commonNamespace: false,
  properties: [
    { name: 'AvailableInS0', type: 'boolean', writable: true }, { name: 'ElementName', type: 'string' }, { name: 'Enabled', type: 'uint16', writable: true },
    { name: 'InstanceID', type: 'string', key: true }, { name: 'PxeTimeout', type: 'uint32', writable: true },
  ],
  instances: ({ state }) => [settingsInstance(state.get(IEEE8021X_SETTINGS))],
  operations: {
    get: { realms: REALMS.administrationOrGeneralInfo },
    enumerate: { realms: REALMS.administrationOrGeneralInfo },
    put: {
      realms: REALMS.administration,
      apply: (context, _current, changes) => {
        const next = applySettings(context.state.get(IEEE8021X_SETTINGS), changes);
        context.state.set(IEEE8021X_SETTINGS, next);
        return settingsInstance(next);
      },
    },
  },
  methods: [],
};

const PROFILE_NAME = 'Intel(r) AMT 802.1x Profile';

export const AMT_8021X_PROFILE: ClassDeclaration = {
  name: 'AMT_8021XProfile',
  schema: 'AMT',
  summary: 'The older view of wired 802.1x (MeshCommander\'s status page): disabled; read only.',
  commonNamespace: false,
  properties: [
    { name: 'ActiveInS0', type: 'boolean' }, { name: 'ElementName', type: 'string' }, { name: 'Enabled', type: 'boolean' },
    { name: 'InstanceID', type: 'string', key: true }, { name: 'PxeTimeout', type: 'uint32' },
  ],
  instances: () => [{ ActiveInS0: true, ElementName: PROFILE_NAME, Enabled: false, InstanceID: `${PROFILE_NAME} 0`, PxeTimeout: 0 }],
  operations: { get: { realms: REALMS.administrationOrGeneralInfo }, enumerate: { realms: REALMS.administrationOrGeneralInfo } },
  methods: [],
};

const CONTEXT_PROPERTIES = [{ name: 'ElementInContext', type: 'epr', key: true }, { name: 'ElementProvidingContext', type: 'epr', key: true }] as const;

export const IPS_IEEE8021X_CREDENTIAL_CONTEXT = emptyListClass({
  name: 'IPS_IEEE8021xCredentialContext', schema: 'IPS', commonNamespace: false, properties: CONTEXT_PROPERTIES,
  summary: 'Certificates bound to wired 802.1x: none.',
});

export const AMT_IEEE8021X_CREDENTIAL_CONTEXT = emptyListClass({
  name: 'AMT_IEEE8021xCredentialContext', schema: 'AMT', commonNamespace: false, properties: CONTEXT_PROPERTIES,
  summary: 'Certificates bound to 802.1x profiles: none.',
});

export const CIM_IEEE8021X_SETTINGS = emptyListClass({
  name: 'CIM_IEEE8021xSettings',
  schema: 'CIM',
  summary: '802.1x profiles of wireless networks: none.',
  commonNamespace: false,
  properties: [
    { name: 'AuthenticationProtocol', type: 'uint16' }, { name: 'ElementName', type: 'string' }, { name: 'InstanceID', type: 'string', key: true },
    { name: 'Username', type: 'string' },
  ],
});
