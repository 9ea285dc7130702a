/**
 * Redirection switches (brief §3.5; the protocol on 16994/16995 is later work): AMT_RedirectionService
 * (EnabledState 32768 none, 32769 IDER, 32770 SOL, 32771 both, set by RequestStateChange;
 * ListenerEnabled, the 16994/16995 listener, set by Put) and CIM_KVMRedirectionSAP
 * (RequestStateChange 2 enable / 3 disable; EnabledState 2 when the listener is on too, 6 enabled
 * but offline while it is off, 3 disabled; KVM needs EnabledByMEBx). MeshCentral and RPS switch them
 * this way (brief §3.11 A7, B5; RPS `featuresConfiguration.ts`). Return codes as GWM's
 * `amt/redirection` and `cim/kvm` decoders; order as in `amt/redirectionservice/get.xml`, `cim/kvm/get.xml`.
 */
import type { ClassDeclaration, Instance, MethodDecl, MethodResult, WsmanContext } from '../declaration.js';
import { defineSlot, type WsmanState } from '../state.js';
import { amtServiceKeys, hostServiceKeys, REALMS, SERVICE_KEYS } from './common.js';
import { KVM_SETTINGS } from './kvm-settings.js';

export const REDIRECTION_STATE = { none: 32768, ider: 32769, sol: 32770, both: 32771 } as const;

export interface RedirectionState {
  /** AMT_RedirectionService.EnabledState, 32768..32771. */
  readonly enabledState: number;
  readonly listenerEnabled: boolean;
  readonly kvmEnabled: boolean;
  /** CIM_KVMRedirectionSAP.RequestedState: 5 (no change) until a console asks. */
  readonly kvmRequestedState: number;
}

/** Off until a console turns them on (MeshCentral and RPS do so after activation). */
export const REDIRECTION = defineSlot<RedirectionState>('wsman/redirection', () => ({ enabledState: REDIRECTION_STATE.none, listenerEnabled: false, kvmEnabled: false, kvmRequestedState: 5 }));

/** What the redirection listener may serve now: SOL, IDER and KVM each need the listener too. */
export function redirectionFeatures(state: WsmanState): { listener: boolean; sol: boolean; ider: boolean; kvm: boolean } {
  const s = state.get(REDIRECTION);
  const bits = s.enabledState - REDIRECTION_STATE.none;
  const listener = s.listenerEnabled;
  return { listener, ider: listener && (bits & 1) !== 0, sol: listener && (bits & 2) !== 0, kvm: listener && kvmOn(state) };
}

const kvmOn = (state: WsmanState): boolean => state.get(REDIRECTION).kvmEnabled && state.get(KVM_SETTINGS).enabledByMebx;

const STATE_CHANGE_RETURNS = {
  0: 'Completed with No Error', 1: 'Not Supported', 2: 'Unknown or Unspecified Error', 4: 'Failed', 5: 'Invalid Parameter',
};

function stateChange(invoke: (context: WsmanContext, requested: number) => MethodResult): MethodDecl {
  return {
    name: 'RequestStateChange',
    realms: REALMS.administration,
    inputs: [{ name: 'RequestedState', type: 'uint16', required: true }],
    outputs: [],
    returnValues: STATE_CHANGE_RETURNS,
    invoke: (context, input) => invoke(context, Number(input['RequestedState'])),
  };
}

const SERVICE_NAME = 'Intel(r) AMT Redirection Service';

function serviceInstance(context: WsmanContext): Instance {
  const s = context.state.get(REDIRECTION);
  return { ...amtServiceKeys('AMT_RedirectionService', SERVICE_NAME), ElementName: SERVICE_NAME, EnabledState: s.enabledState, ListenerEnabled: s.listenerEnabled };
}

export const AMT_REDIRECTION_SERVICE: ClassDeclaration = {
  name: 'AMT_RedirectionService',
  schema: 'AMT',
  summary: 'SOL and IDER switches (EnabledState 32768..32771 by RequestStateChange) and the redirection listener (ListenerEnabled by Put).',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, { name: 'EnabledState', type: 'uint16' },
    { name: 'ListenerEnabled', type: 'boolean', writable: true }, SERVICE_KEYS.Name, SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  instances: (context) => [serviceInstance(context)],
  operations: {
    get: { realms: REALMS.redirectionOrGeneralInfo },
    enumerate: { realms: REALMS.redirectionOrGeneralInfo },
    put: {
      realms: REALMS.administration,
      apply: (context, _current, changes) => {
        if (typeof changes['ListenerEnabled'] === 'boolean') context.state.set(REDIRECTION, { ...context.state.get(REDIRECTION), listenerEnabled: changes['ListenerEnabled'] });
        return serviceInstance(context);
      },
    },
  },
  methods: [stateChange((context, requested) => {
    if (requested < REDIRECTION_STATE.none || requested > REDIRECTION_STATE.both) return { returnValue: 5 };
    context.state.set(REDIRECTION, { ...context.state.get(REDIRECTION), enabledState: requested });
    return { returnValue: 0 };
  })],
};

const SAP_NAME = 'KVM Redirection Service Access Point';

export const CIM_KVM_REDIRECTION_SAP: ClassDeclaration = {
  name: 'CIM_KVMRedirectionSAP',
  schema: 'CIM',
  summary: 'The KVM switch: RequestStateChange 2 enables, 3 disables; EnabledState 2 on, 6 on but the listener is off, 3 off.',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, { name: 'EnabledState', type: 'uint16' },
    { name: 'KVMProtocol', type: 'uint16' }, SERVICE_KEYS.Name, { name: 'RequestedState', type: 'uint16' },
    SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  instances: ({ state }) => {
    const s = state.get(REDIRECTION);
    const enabledState = !kvmOn(state) ? 3 : s.listenerEnabled ? 2 : 6;
    return [{ ...hostServiceKeys('CIM_KVMRedirectionSAP', SAP_NAME), ElementName: SAP_NAME, EnabledState: enabledState, KVMProtocol: 4, RequestedState: s.kvmRequestedState }];
  },
  operations: {
    get: { realms: REALMS.redirectionOrGeneralInfo },
    enumerate: { realms: REALMS.redirectionOrGeneralInfo },
  },
  methods: [stateChange((context, requested) => {
    if (requested !== 2 && requested !== 3) return { returnValue: 5 };
    if (requested === 2 && !context.state.get(KVM_SETTINGS).enabledByMebx) return { returnValue: 4 };
    context.state.set(REDIRECTION, { ...context.state.get(REDIRECTION), kvmEnabled: requested === 2, kvmRequestedState: requested });
    return { returnValue: 0 };
  })],
};
