/**
 * The two CIRA switches a device has before any CIRA configuration (brief §3.8):
 * AMT_UserInitiatedConnectionService (EnabledState 32768 all interfaces disabled … 32771 BIOS and
 * OS; vme's factory value is 32768 [unverified: no capture of a factory device]) and
 * AMT_EnvironmentDetectionSettingData (the home-domain suffixes; none at the factory).
 * RPS's unconfiguration Gets the detection settings and, when DetectionStrings exist, Puts them
 * back empty (RPS `src/stateMachines/unconfiguration.ts`); RPS's and MeshCentral's CIRA setup
 * Puts its own strings, which are stored (they turn nothing on). Enabling user-initiated
 * connections is CIRA, a later issue: RequestStateChange answers 1 (Not Supported).
 * Order and names: `amt/userinitiatedconnection/get.xml`, `amt/environmentdetection/get.xml`.
 */
import type { ClassDeclaration, Instance } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { defineSlot } from '../state.js';
import { amtServiceKeys, REALMS, SERVICE_KEYS } from './common.js';

/** EnabledState values (AMT SDK): none, BIOS, OS, both. */
export const USER_INITIATED_STATE = { disabled: 32768, bios: 32769, os: 32770, biosAndOs: 32771 } as const;

export const USER_INITIATED_CONNECTION = defineSlot<number>('wsman/user-initiated-connection', () => USER_INITIATED_STATE.disabled);

const UIC_NAME = 'Intel(r) AMT User Initiated Connection Service';

export const AMT_USER_INITIATED_CONNECTION_SERVICE: ClassDeclaration = {
  name: 'AMT_UserInitiatedConnectionService',
  schema: 'AMT',
  summary: 'User-initiated CIRA connections: all interfaces disabled (32768); enabling them is a later issue (RequestStateChange 1).',
  commonNamespace: true,
  properties: [
    SERVICE_KEYS.CreationClassName, { name: 'ElementName', type: 'string' }, { name: 'EnabledState', type: 'uint16' }, SERVICE_KEYS.Name,
    SERVICE_KEYS.SystemCreationClassName, SERVICE_KEYS.SystemName,
  ],
  instances: ({ state }) => [{ ...amtServiceKeys('AMT_UserInitiatedConnectionService', UIC_NAME), ElementName: UIC_NAME, EnabledState: state.get(USER_INITIATED_CONNECTION) }],
  operations: { get: { realms: REALMS.administrationOrGeneralInfo }, enumerate: { realms: REALMS.administrationOrGeneralInfo } },
  methods: [{
    name: 'RequestStateChange',
    realms: REALMS.administration,
    inputs: [{ name: 'RequestedState', type: 'uint16', required: true }],
    outputs: [],
    returnValues: { 0: 'Completed with No Error', 1: 'Not Supported (enabling CIRA is a later issue)', 5: 'Invalid Parameter' },
    invoke: (context, input) => {
      const requested = Number(input['RequestedState']);
      if (requested === USER_INITIATED_STATE.disabled) {
        context.state.set(USER_INITIATED_CONNECTION, requested);
        return { returnValue: 0 };
      }
      return { returnValue: requested > USER_INITIATED_STATE.disabled && requested <= USER_INITIATED_STATE.biosAndOs ? 1 : 5 };
    },
  }],
};

export interface EnvironmentDetectionState {
  /** 0: local domains (the only algorithm vme accepts). */
  readonly algorithm: number;
  readonly strings: readonly string[];
}

export const ENVIRONMENT_DETECTION = defineSlot<EnvironmentDetectionState>('wsman/environment-detection', () => ({ algorithm: 0, strings: [] }));

/** Limits of DetectionStrings [AMT SDK: up to 5 domain suffixes of at most 192 characters; unverified against a device]. */
export const DETECTION_STRINGS_MAX = 5;
export const DETECTION_STRING_LENGTH_MAX = 192;

const ENV_ID = 'Intel(r) AMT Environment Detection Settings';

function environmentInstance(s: EnvironmentDetectionState): Instance {
  return { DetectionAlgorithm: s.algorithm, DetectionStrings: s.strings, ElementName: ENV_ID, InstanceID: ENV_ID };
}

/** Put: the whole new list (absent = empty, as wsman-messages writes an empty array); algorithm 0 only. */
function applyDetection(changes: Instance): EnvironmentDetectionState {
  const algorithm = changes['DetectionAlgorithm'] ?? 0;
  if (algorithm !== 0) throw new WsmanFault('invalidRepresentation', 'DetectionAlgorithm: only 0 (local domains) is supported');
  const value = changes['DetectionStrings'];
  const strings = value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((s) => (typeof s === 'string' ? s.trim() : ''));
  if (strings.length > DETECTION_STRINGS_MAX) throw new WsmanFault('invalidRepresentation', `DetectionStrings: at most ${DETECTION_STRINGS_MAX}`);
  if (strings.some((s) => s.length === 0 || s.length > DETECTION_STRING_LENGTH_MAX)) {
    throw new WsmanFault('invalidRepresentation', `DetectionStrings: each 1..${DETECTION_STRING_LENGTH_MAX} characters`);
  }
  return { algorithm, strings };
}

export const AMT_ENVIRONMENT_DETECTION_SETTING_DATA: ClassDeclaration = {
  name: 'AMT_EnvironmentDetectionSettingData',
  schema: 'AMT',
  summary: 'Home-domain suffixes for CIRA\'s environment detection: none at the factory; Put replaces the list (an empty Put clears it).',
  commonNamespace: false,
  properties: [
    { name: 'DetectionAlgorithm', type: 'uint8', writable: true }, { name: 'DetectionStrings', type: 'string', array: true, writable: true },
    { name: 'ElementName', type: 'string' }, { name: 'InstanceID', type: 'string', key: true },
  ],
  instances: ({ state }) => [environmentInstance(state.get(ENVIRONMENT_DETECTION))],
  operations: {
    get: { realms: REALMS.administrationOrGeneralInfo },
    enumerate: { realms: REALMS.administrationOrGeneralInfo },
    put: {
      realms: REALMS.administration,
      apply: (context, _current, changes) => {
        const next = applyDetection(changes);
        context.state.set(ENVIRONMENT_DETECTION, next);
        return environmentInstance(next);
      },
    },
  },
  methods: [],
};
