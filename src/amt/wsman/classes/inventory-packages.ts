/**
 * The inventory classes consoles only enumerate (brief §3.2), whose items are instances of a
 * subclass named after it (brief §2.4): CIM_PhysicalPackage yields the CIM_Card base board,
 * CIM_SystemPackaging the CIM_ComputerSystemPackage association (`cim/physical/package/pull.xml`,
 * `cim/system/packaging/pull.xml`). CIM_Battery (MeshCommander) is empty: the vme PC is a desktop.
 */
import type { ClassDeclaration } from '../declaration.js';
import { asInstanceOf } from '../values.js';
import { REALMS } from './common.js';
import { CIM_COMPUTER_SYSTEM_PACKAGE } from './hardware.js';
import { CIM_CARD, cardInstance, PACKAGE_PROPERTIES } from './inventory.js';

const ENUMERATE = { enumerate: { realms: REALMS.hardwareAsset } };

export const CIM_PHYSICAL_PACKAGE: ClassDeclaration = {
  name: 'CIM_PhysicalPackage',
  schema: 'CIM',
  summary: 'Enumerates the host\'s physical packages: the CIM_Card base board.',
  commonNamespace: true,
  properties: PACKAGE_PROPERTIES,
  instances: (context) => [asInstanceOf(CIM_CARD, cardInstance(context))],
  operations: ENUMERATE,
  methods: [],
};

export const CIM_SYSTEM_PACKAGING: ClassDeclaration = {
  name: 'CIM_SystemPackaging',
  schema: 'CIM',
  summary: 'Enumerates the system packaging: the CIM_ComputerSystemPackage association (PlatformGUID).',
  commonNamespace: false,
  properties: [{ name: 'Antecedent', type: 'epr', key: true }, { name: 'Dependent', type: 'epr', key: true }],
  instances: (context) => CIM_COMPUTER_SYSTEM_PACKAGE.instances(context).map((instance) => asInstanceOf(CIM_COMPUTER_SYSTEM_PACKAGE, instance)),
  operations: ENUMERATE,
  methods: [],
};

export const CIM_BATTERY: ClassDeclaration = {
  name: 'CIM_Battery',
  schema: 'CIM',
  summary: 'Batteries: none (the vme PC is a desktop); the enumeration is empty.',
  commonNamespace: true,
  properties: [
    { name: 'BatteryStatus', type: 'uint16' }, { name: 'ChargingStatus', type: 'uint16' }, { name: 'Chemistry', type: 'uint16' },
    { name: 'CreationClassName', type: 'string', key: true }, { name: 'DesignCapacity', type: 'uint32' }, { name: 'DesignVoltage', type: 'uint64' },
    { name: 'DeviceID', type: 'string', key: true }, { name: 'ElementName', type: 'string' }, { name: 'EnabledState', type: 'uint16' },
    { name: 'EstimatedChargeRemaining', type: 'uint16' }, { name: 'FullChargeCapacity', type: 'uint32' }, { name: 'HealthState', type: 'uint16' },
    { name: 'RequestedState', type: 'uint16' }, { name: 'SystemCreationClassName', type: 'string', key: true }, { name: 'SystemName', type: 'string', key: true },
  ],
  instances: () => [],
  operations: ENUMERATE,
  methods: [],
};
