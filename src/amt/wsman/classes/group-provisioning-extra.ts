/**
 * Provisioning classes beyond the setup services (brief §6), listed for the registry
 * (classes/index.ts): AMT_ProvisioningCertificateHash, one instance per entry of the
 * provisioning-certificate hash table (the table PTHI EnumerateHashHandles/GetCertHashEntry
 * report; Put turns an entry on or off), and IPS_ProvisioningRecordLog, whose one record exists
 * once the device is activated. Property order: the recorded `ips/provisioningrecordlog/get.xml`;
 * the hash class has no recording and follows AMT's alphabetical order.
 */
import { HASH_ALGORITHM, type CertificateHashEntry } from '../../../amt-state/index.js';
import type { ClassDeclaration, Instance } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { REALMS } from './common.js';
import { PROVISIONING, PROVISIONING_CERTIFICATE_HASHES } from './provisioning.js';

/** InstanceID of a hash entry [vme's naming; no recording shows AMT's]. */
const hashInstanceId = (handle: number): string => `Intel(r) AMT: Certificate Hash ${handle}`;

function hashInstance(entry: CertificateHashEntry): Instance {
  return {
    ElementName: entry.name, Enabled: entry.isActive, HashData: entry.hash, HashType: HASH_ALGORITHM[entry.algorithm],
    InstanceID: hashInstanceId(entry.handle), IsDefault: entry.isDefault,
  };
}

export const AMT_PROVISIONING_CERTIFICATE_HASH: ClassDeclaration = {
  name: 'AMT_ProvisioningCertificateHash',
  schema: 'AMT',
  summary: 'The provisioning-certificate hash table (trusted ACM roots); HashType as PTHI GetCertHashEntry numbers it; Put sets Enabled.',
  commonNamespace: false,
  properties: [
    { name: 'ElementName', type: 'string' }, { name: 'Enabled', type: 'boolean', writable: true }, { name: 'HashData', type: 'base64' },
    { name: 'HashType', type: 'uint8' }, { name: 'InstanceID', type: 'string', key: true }, { name: 'IsDefault', type: 'boolean' },
  ],
  instances: (context) => context.state.get(PROVISIONING_CERTIFICATE_HASHES).map(hashInstance),
  operations: {
    get: { realms: REALMS.generalInfoOrLocal },
    enumerate: { realms: REALMS.generalInfoOrLocal },
    put: {
      realms: REALMS.administration,
      apply: (context, current, changes) => {
        const hashes = context.state.get(PROVISIONING_CERTIFICATE_HASHES);
        const index = hashes.findIndex((e) => hashInstanceId(e.handle) === current['InstanceID']);
        const entry = hashes[index];
        if (entry === undefined) throw new WsmanFault('destinationUnreachable', 'no such hash entry');
        const enabled = changes['Enabled'];
        const updated = typeof enabled === 'boolean' ? { ...entry, isActive: enabled } : entry;
        context.state.set(PROVISIONING_CERTIFICATE_HASHES, hashes.map((e, i) => (i === index ? updated : e)));
        return hashInstance(updated);
      },
    },
  },
  methods: [],
};

const RECORD_LOG = 'Intel(r) AMT Provisioning Record Log';

export const IPS_PROVISIONING_RECORD_LOG: ClassDeclaration = {
  name: 'IPS_ProvisioningRecordLog',
  schema: 'IPS',
  summary: 'The provisioning record log: one record once the device is activated.',
  commonNamespace: true,
  properties: [
    { name: 'CurrentNumberOfRecords', type: 'uint64' }, { name: 'ElementName', type: 'string' }, { name: 'EnabledState', type: 'uint16' },
    { name: 'HealthState', type: 'uint16' }, { name: 'InstanceID', type: 'string', key: true }, { name: 'LogState', type: 'uint16' },
    { name: 'MaxNumberOfRecords', type: 'uint64' }, { name: 'Name', type: 'string' }, { name: 'OverwritePolicy', type: 'uint16' },
    { name: 'RequestedState', type: 'uint16' },
  ],
  instances: (context) => [{
    CurrentNumberOfRecords: context.state.get(PROVISIONING).state === 2 ? 1 : 0, ElementName: RECORD_LOG, EnabledState: 2, HealthState: 0,
    InstanceID: 'Intel(r) AMT: RecordLog 1', LogState: 4, MaxNumberOfRecords: 1, Name: RECORD_LOG, OverwritePolicy: 2, RequestedState: 12,
  }],
  operations: {
    get: { realms: REALMS.generalInfoOrLocal },
    enumerate: { realms: REALMS.generalInfoOrLocal },
  },
  methods: [],
};

export const PROVISIONING_EXTRA_CLASSES: readonly ClassDeclaration[] = [AMT_PROVISIONING_CERTIFICATE_HASH, IPS_PROVISIONING_RECORD_LOG];
