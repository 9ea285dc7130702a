/**
 * Classes MeshCommander queries that vme does not model (brief §3.10): each is declared so that
 * Enumerate/Pull answers an empty list (EndOfSequence at once), which the brief recommends over a
 * fault because MeshCommander batches many classes on one page. Nothing else is supported on them
 * (Get, Put, ... are ActionNotSupported).
 */
import type { ClassDeclaration, Schema } from '../declaration.js';
import { REALMS } from './common.js';

const NAMES: readonly (readonly [Schema, string])[] = [
  ['CIM', 'CIM_ElementSettingData'], ['CIM', 'CIM_ListenerDestination'], ['CIM', 'CIM_FilterCollectionSubscription'],
  ['AMT', 'AMT_AgentPresenceCapabilities'], ['AMT', 'AMT_AgentPresenceWatchdog'], ['AMT', 'AMT_AgentPresenceWatchdogAction'],
  ['AMT', 'AMT_StateTransitionCondition'], ['AMT', 'AMT_SystemDefensePolicy'], ['AMT', 'AMT_NetworkPortSystemDefensePolicy'],
  ['AMT', 'AMT_Hdr8021Filter'], ['AMT', 'AMT_IPHeadersFilter'], ['AMT', 'AMT_NetworkFilter'], ['AMT', 'AMT_KerberosSettingData'],
  ['AMT', 'AMT_WebUIService'], ['AMT', 'AMT_SystemPowerScheme'], ['AMT', 'AMT_AuditPolicyRule'], ['IPS', 'IPS_SecIOService'],
];

/** An enumerable class with no instances. */
export function emptyClass(schema: Schema, name: string): ClassDeclaration {
  return {
    name, schema, summary: 'Not modelled: Enumerate/Pull gives no items (brief §3.10).', commonNamespace: false, properties: [],
    instances: () => [], operations: { enumerate: { realms: REALMS.generalInfo } }, methods: [],
  };
}

export const UNSUPPORTED_CLASSES: readonly ClassDeclaration[] = NAMES.map(([schema, name]) => emptyClass(schema, name));
