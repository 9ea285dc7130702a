/**
 * IPS_KVMRedirectionSettingData (brief §3.5), `Intel(r) KVM Redirection Settings`: what MeshCommander's
 * "Remote Desktop Settings" dialog reads and Puts (`showDesktopSettingsDlgOk`). RFBPassword (port
 * 5900's VNC password) is write-only: always reported empty, an empty value in a Put keeps the
 * current one, a new one must be exactly 8 characters with an upper-case letter, a lower-case
 * letter, a digit and a symbol (AMT's strong-password rule; RFB passwords are 8 bytes), and port
 * 5900 cannot be enabled without one. OptInPolicy (consent for KVM) is IPS_OptInService's policy
 * seen from here. EnabledByMEBx mirrors the MEBx KVM switch (the AMT app keeps it in step).
 * Order as in `ips/kvmredirection/settings/get.xml`.
 */
import type { ClassDeclaration, Instance, PropertyDecl, WsmanContext } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { defineSlot } from '../state.js';
import { REALMS } from './common.js';
import { effectiveOptInRequired, OPT_IN_REQUIRED, setOptInPolicy } from './opt-in.js';

export interface KvmSettingsState {
  readonly enabledByMebx: boolean;
  readonly is5900PortEnabled: boolean;
  /** '' = none set. A secret: never reported. */
  readonly rfbPassword: string;
  /** Minutes. */
  readonly sessionTimeout: number;
  /** Seconds. */
  readonly optInPolicyTimeout: number;
  readonly defaultScreen: number;
  readonly backToBackFbMode: boolean;
}

export const KVM_SETTINGS = defineSlot<KvmSettingsState>('wsman/kvm-settings', () => ({ enabledByMebx: true, is5900PortEnabled: false, rfbPassword: '', sessionTimeout: 3, optInPolicyTimeout: 300, defaultScreen: 0, backToBackFbMode: false }));

const INSTANCE_ID = 'Intel(r) KVM Redirection Settings';
const SYMBOL = /[^A-Za-z0-9]/;

/** AMT's rule for an RFB password: exactly 8 printable ASCII characters, upper, lower, digit and symbol each present. */
export function isStrongRfbPassword(password: string): boolean {
  return /^[!-~]{8}$/.test(password) && /[A-Z]/.test(password) && /[a-z]/.test(password) && /\d/.test(password) && SYMBOL.test(password);
}

const refuse = (why: string): never => {
  throw new WsmanFault('invalidRepresentation', `IPS_KVMRedirectionSettingData: ${why}`);
};

function settingsInstance(context: WsmanContext): Instance {
  const s = context.state.get(KVM_SETTINGS);
  return {
    BackToBackFbMode: s.backToBackFbMode, DefaultScreen: s.defaultScreen, ElementName: INSTANCE_ID, EnabledByMEBx: s.enabledByMebx,
    InstanceID: INSTANCE_ID, Is5900PortEnabled: s.is5900PortEnabled, OptInPolicy: effectiveOptInRequired(context.state) !== OPT_IN_REQUIRED.none,
    OptInPolicyTimeout: s.optInPolicyTimeout, RFBPassword: '', SessionTimeout: s.sessionTimeout,
  };
}

function applyPut(context: WsmanContext, changes: Instance): Instance {
  const s = context.state.get(KVM_SETTINGS);
  const given = changes['RFBPassword'];
  const password = typeof given === 'string' && given !== '' ? given : s.rfbPassword;
  if (password !== s.rfbPassword && !isStrongRfbPassword(password)) refuse('RFBPassword must be 8 characters with upper, lower, digit and symbol');
  const next: KvmSettingsState = {
    ...s, rfbPassword: password,
    is5900PortEnabled: typeof changes['Is5900PortEnabled'] === 'boolean' ? changes['Is5900PortEnabled'] : s.is5900PortEnabled,
    sessionTimeout: typeof changes['SessionTimeout'] === 'number' ? changes['SessionTimeout'] : s.sessionTimeout,
    optInPolicyTimeout: typeof changes['OptInPolicyTimeout'] === 'number' ? changes['OptInPolicyTimeout'] : s.optInPolicyTimeout,
    defaultScreen: typeof changes['DefaultScreen'] === 'number' ? changes['DefaultScreen'] : s.defaultScreen,
    backToBackFbMode: typeof changes['BackToBackFbMode'] === 'boolean' ? changes['BackToBackFbMode'] : s.backToBackFbMode,
  };
  if (next.is5900PortEnabled && next.rfbPassword === '') refuse('port 5900 needs an RFBPassword');
  if (next.sessionTimeout < 1 || next.optInPolicyTimeout < 1) refuse('SessionTimeout and OptInPolicyTimeout must be at least 1');
  if (next.defaultScreen > 2) refuse('DefaultScreen is 0, 1 or 2');
  const policy = changes['OptInPolicy'];
  if (typeof policy === 'boolean' && policy !== (effectiveOptInRequired(context.state) !== OPT_IN_REQUIRED.none)) {
    setOptInPolicy(context.state, policy ? OPT_IN_REQUIRED.kvm : OPT_IN_REQUIRED.none);
  }
  context.state.set(KVM_SETTINGS, next);
  return settingsInstance(context);
}

const w = (name: string, type: PropertyDecl['type']): PropertyDecl => ({ name, type, writable: true });

export const IPS_KVM_REDIRECTION_SETTING_DATA: ClassDeclaration = {
  name: 'IPS_KVMRedirectionSettingData',
  schema: 'IPS',
  summary: 'KVM settings: port 5900 and its write-only RFB password, session and consent timeouts, default screen.',
  commonNamespace: false,
  properties: [
    w('BackToBackFbMode', 'boolean'), w('DefaultScreen', 'uint8'), { name: 'ElementName', type: 'string' }, { name: 'EnabledByMEBx', type: 'boolean' },
    { name: 'InstanceID', type: 'string', key: true }, w('Is5900PortEnabled', 'boolean'), w('OptInPolicy', 'boolean'), w('OptInPolicyTimeout', 'uint16'),
    w('RFBPassword', 'string'), w('SessionTimeout', 'uint16'),
  ],
  instances: (context) => [settingsInstance(context)],
  operations: {
    get: { realms: REALMS.redirectionOrGeneralInfo },
    enumerate: { realms: REALMS.redirectionOrGeneralInfo },
    put: { realms: REALMS.administration, apply: (context, _current, changes) => applyPut(context, changes) },
  },
  methods: [],
};
