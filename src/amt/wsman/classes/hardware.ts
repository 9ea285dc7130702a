/**
 * Host hardware identity (brief §3.1, §3.2): CIM_Chassis from the platform's chassis facts and
 * CIM_ComputerSystemPackage tying it to the managed system, with PlatformGUID = the 32 upper-case
 * hex digits of the raw UUID (`cim/computer/systempackage/get.xml`, `cim/chassis/get.xml`).
 */
import type { ClassDeclaration } from '../declaration.js';
import { cimReference, MANAGED_SYSTEM, REALMS } from './common.js';

export const CIM_CHASSIS: ClassDeclaration = {
  name: 'CIM_Chassis',
  schema: 'CIM',
  summary: 'The platform chassis (manufacturer, model, serial number).',
  commonNamespace: true,
  properties: [
    { name: 'ChassisPackageType', type: 'uint16' }, { name: 'CreationClassName', type: 'string', key: true }, { name: 'ElementName', type: 'string' },
    { name: 'Manufacturer', type: 'string' }, { name: 'Model', type: 'string' }, { name: 'OperationalStatus', type: 'uint16', array: true },
    { name: 'PackageType', type: 'uint16' }, { name: 'SerialNumber', type: 'string' }, { name: 'Tag', type: 'string', key: true },
    { name: 'Version', type: 'string' },
  ],
  instances: ({ facts: { chassis } }) => [{
    ChassisPackageType: chassis.packageType, CreationClassName: 'CIM_Chassis', ElementName: 'Managed System Chassis',
    Manufacturer: chassis.manufacturer, Model: chassis.model, OperationalStatus: [0], PackageType: 3, SerialNumber: chassis.serialNumber,
    Tag: 'CIM_Chassis', Version: chassis.version,
  }],
  operations: { get: { realms: REALMS.hardwareAsset }, enumerate: { realms: REALMS.hardwareAsset } },
  methods: [],
};

export const CIM_COMPUTER_SYSTEM_PACKAGE: ClassDeclaration = {
  name: 'CIM_ComputerSystemPackage',
  schema: 'CIM',
  summary: 'Associates the chassis with the managed system; PlatformGUID is the system UUID.',
  commonNamespace: false,
  properties: [
    { name: 'Antecedent', type: 'epr', key: true }, { name: 'Dependent', type: 'epr', key: true }, { name: 'PlatformGUID', type: 'string' },
  ],
  instances: ({ facts }) => [{
    Antecedent: cimReference('CIM_Chassis', { CreationClassName: 'CIM_Chassis', Tag: 'CIM_Chassis' }),
    Dependent: MANAGED_SYSTEM,
    PlatformGUID: Buffer.from(facts.uuid).toString('hex').toUpperCase(),
  }],
  operations: { get: { realms: REALMS.hardwareAsset }, enumerate: { realms: REALMS.hardwareAsset } },
  methods: [],
};
