/**
 * CIM_SoftwareIdentity (brief §3.1, §7 item 2): one instance per firmware version entry, the very
 * list PTHI GetCodeVersions reports (`versionEntries`), so host and network views agree.
 * MeshCommander disconnects without the `AMT` instance. Order as in `cim/software/identity/pull.xml`.
 */
import { versionEntries } from '../../../protocols/pthi/handlers-platform.js';
import type { ClassDeclaration } from '../declaration.js';
import { REALMS } from './common.js';

export const CIM_SOFTWARE_IDENTITY: ClassDeclaration = {
  name: 'CIM_SoftwareIdentity',
  schema: 'CIM',
  summary: 'Firmware versions (Flash, AMT, Sku, Build Number, ...), the same values as PTHI GetCodeVersions.',
  commonNamespace: true,
  properties: [
    { name: 'InstanceID', type: 'string', key: true },
    { name: 'IsEntity', type: 'boolean' },
    { name: 'VersionString', type: 'string' },
  ],
  instances: (context) => versionEntries(context.facts.firmware).map(([InstanceID, VersionString]) => ({ InstanceID, IsEntity: true, VersionString })),
  operations: {
    get: { realms: REALMS.generalInfo },
    enumerate: { realms: REALMS.generalInfo },
  },
  methods: [],
};
