/**
 * Hardware inventory (brief §3.2), from the platform's HostInventory (facts.ts; the vme virtual PC
 * by default): CIM_BIOSElement (Version = the BIOS version PTHI GetCodeVersions reports),
 * CIM_Card (base board), CIM_Chip (the processor chip; MeshCentral takes the CPU name from its
 * Version), CIM_Processor, CIM_PhysicalMemory (one per module), CIM_MediaAccessDevice (one per
 * drive, MaxMediaSize in kilobytes of 1000 bytes). Orders and fixed values as in `cim/bios/element`,
 * `cim/card`, `cim/chip`, `cim/physical/processor`, `cim/physical/memory`, `cim/mediaaccess`.
 */
import type { ClassDeclaration, Instance, PropertyDecl, WsmanContext } from '../declaration.js';
import { DEFAULT_HOST_INVENTORY, type HostInventory } from '../facts.js';
import { REALMS } from './common.js';

const READ = { get: { realms: REALMS.hardwareAsset }, enumerate: { realms: REALMS.hardwareAsset } };
const p = (name: string, type: PropertyDecl['type'], flags: Omit<PropertyDecl, 'name' | 'type'> = {}): PropertyDecl => ({ name, type, ...flags });
const KEY = { key: true } as const;
const ARRAY = { array: true } as const;
/** Host-side devices are parts of the managed system (brief §3: SystemName ManagedSystem). */
const HOST_SYSTEM = { SystemCreationClassName: 'CIM_ComputerSystem', SystemName: 'ManagedSystem' } as const;

export const inventoryOf = (context: WsmanContext): HostInventory => context.facts.inventory ?? DEFAULT_HOST_INVENTORY;

export const CIM_BIOS_ELEMENT: ClassDeclaration = {
  name: 'CIM_BIOSElement',
  schema: 'CIM',
  summary: 'The host BIOS: manufacturer, version (as PTHI reports it), release date.',
  commonNamespace: true,
  properties: [
    p('ElementName', 'string'), p('Manufacturer', 'string'), p('Name', 'string', KEY), p('OperationalStatus', 'uint16', ARRAY), p('PrimaryBIOS', 'boolean'),
    p('ReleaseDate', 'datetime'), p('SoftwareElementID', 'string', KEY), p('SoftwareElementState', 'uint16', KEY),
    p('TargetOperatingSystem', 'uint16', KEY), p('Version', 'string', KEY),
  ],
  instances: (context) => {
    const version = context.facts.firmware.biosVersion;
    return [{
      ElementName: 'Primary BIOS', Manufacturer: inventoryOf(context).bios.manufacturer, Name: 'Primary BIOS', OperationalStatus: [0], PrimaryBIOS: true,
      ReleaseDate: inventoryOf(context).bios.releaseDate, SoftwareElementID: version, SoftwareElementState: 2, TargetOperatingSystem: 66, Version: version,
    }];
  },
  operations: READ,
  methods: [],
};

/** The base board, also what CIM_PhysicalPackage lists. */
export function cardInstance(context: WsmanContext): Instance {
  const board = inventoryOf(context).board;
  return {
    CanBeFRUed: true, CreationClassName: 'CIM_Card', ElementName: 'Managed System Base Board', Manufacturer: board.manufacturer, Model: board.model,
    OperationalStatus: [0], PackageType: 9, SerialNumber: board.serialNumber, Tag: 'CIM_Card', Version: board.version,
  };
}

/** CIM_PhysicalPackage's properties, which CIM_Card has too. */
export const PACKAGE_PROPERTIES: readonly PropertyDecl[] = [
  p('CanBeFRUed', 'boolean'), p('CreationClassName', 'string', KEY), p('ElementName', 'string'), p('Manufacturer', 'string'), p('Model', 'string'),
  p('OperationalStatus', 'uint16', ARRAY), p('PackageType', 'uint16'), p('SerialNumber', 'string'), p('Tag', 'string', KEY), p('Version', 'string'),
];

export const CIM_CARD: ClassDeclaration = {
  name: 'CIM_Card',
  schema: 'CIM',
  summary: 'The host base board: manufacturer, model, version, serial number.',
  commonNamespace: true,
  properties: PACKAGE_PROPERTIES,
  instances: (context) => [cardInstance(context)],
  operations: READ,
  methods: [],
};

export const CIM_CHIP: ClassDeclaration = {
  name: 'CIM_Chip',
  schema: 'CIM',
  summary: 'The processor chip; Version is the CPU name.',
  commonNamespace: true,
  properties: [
    p('CanBeFRUed', 'boolean'), p('CreationClassName', 'string', KEY), p('ElementName', 'string'), p('Manufacturer', 'string'),
    p('OperationalStatus', 'uint16', ARRAY), p('Tag', 'string', KEY), p('Version', 'string'),
  ],
  instances: (context) => {
    const cpu = inventoryOf(context).processor;
    return [{
      CanBeFRUed: true, CreationClassName: 'CIM_Chip', ElementName: 'Managed System Processor Chip', Manufacturer: cpu.manufacturer,
      OperationalStatus: [0], Tag: 'CPU 0', Version: cpu.name,
    }];
  },
  operations: READ,
  methods: [],
};

export const CIM_PROCESSOR: ClassDeclaration = {
  name: 'CIM_Processor',
  schema: 'CIM',
  summary: 'The host CPU: family, stepping, clock speeds.',
  commonNamespace: true,
  properties: [
    p('CPUStatus', 'uint16'), p('CreationClassName', 'string', KEY), p('CurrentClockSpeed', 'uint32'), p('DeviceID', 'string', KEY), p('ElementName', 'string'),
    p('EnabledState', 'uint16'), p('ExternalBusClockSpeed', 'uint32'), p('Family', 'uint16'), p('HealthState', 'uint16'), p('MaxClockSpeed', 'uint32'),
    p('OperationalStatus', 'uint16', ARRAY), p('OtherFamilyDescription', 'string'), p('RequestedState', 'uint16'), p('Role', 'string'), p('Stepping', 'string'),
    p('SystemCreationClassName', 'string', KEY), p('SystemName', 'string', KEY), p('UpgradeMethod', 'uint16'),
  ],
  instances: (context) => {
    const cpu = inventoryOf(context).processor;
    return [{
      CPUStatus: 1, CreationClassName: 'CIM_Processor', CurrentClockSpeed: cpu.currentClockMHz, DeviceID: 'CPU 0', ElementName: 'Managed System CPU',
      EnabledState: 2, ExternalBusClockSpeed: cpu.externalBusClockMHz, Family: cpu.family, HealthState: 0, MaxClockSpeed: cpu.maxClockMHz,
      OperationalStatus: [0], OtherFamilyDescription: '', RequestedState: 12, Role: 'Central', Stepping: cpu.stepping, ...HOST_SYSTEM, UpgradeMethod: 2,
    }];
  },
  operations: READ,
  methods: [],
};

export const CIM_PHYSICAL_MEMORY: ClassDeclaration = {
  name: 'CIM_PhysicalMemory',
  schema: 'CIM',
  summary: 'One instance per memory module: bank, capacity, speed, part and serial number.',
  commonNamespace: true,
  properties: [
    p('BankLabel', 'string'), p('Capacity', 'uint64'), p('ConfiguredMemoryClockSpeed', 'uint32'), p('CreationClassName', 'string', KEY), p('ElementName', 'string'),
    p('FormFactor', 'uint16'), p('IsSpeedInMhz', 'boolean'), p('Manufacturer', 'string'), p('MaxMemorySpeed', 'uint32'), p('MemoryType', 'uint16'),
    p('PartNumber', 'string'), p('SerialNumber', 'string'), p('Speed', 'uint32'), p('Tag', 'string', KEY),
  ],
  instances: (context) => inventoryOf(context).memory.map((module, index) => ({
    BankLabel: module.bankLabel, Capacity: module.capacityBytes, ConfiguredMemoryClockSpeed: module.speedMHz, CreationClassName: 'CIM_PhysicalMemory',
    ElementName: 'Managed System Memory Chip', FormFactor: module.formFactor, IsSpeedInMhz: true, Manufacturer: module.manufacturer,
    MaxMemorySpeed: module.speedMHz, MemoryType: module.memoryType, PartNumber: module.partNumber, SerialNumber: module.serialNumber, Speed: 0,
    Tag: `DIMM ${index}`,
  })),
  operations: READ,
  methods: [],
};

export const CIM_MEDIA_ACCESS_DEVICE: ClassDeclaration = {
  name: 'CIM_MediaAccessDevice',
  schema: 'CIM',
  summary: 'One instance per drive; MaxMediaSize in kilobytes (1000 bytes).',
  commonNamespace: true,
  properties: [
    p('Capabilities', 'uint16', ARRAY), p('CreationClassName', 'string', KEY), p('DeviceID', 'string', KEY), p('ElementName', 'string'),
    p('EnabledDefault', 'uint16'), p('EnabledState', 'uint16'), p('MaxMediaSize', 'uint64'), p('OperationalStatus', 'uint16', ARRAY),
    p('RequestedState', 'uint16'), p('Security', 'uint16'), p('SystemCreationClassName', 'string', KEY), p('SystemName', 'string', KEY),
  ],
  instances: (context) => inventoryOf(context).drives.map((drive, index) => ({
    Capabilities: [4], CreationClassName: 'CIM_MediaAccessDevice', DeviceID: `MEDIA DEV ${index}`, ElementName: 'Managed System Media Access Device',
    EnabledDefault: 2, EnabledState: 0, MaxMediaSize: Math.floor(drive.sizeBytes / 1000), OperationalStatus: [0], RequestedState: 12, Security: 2, ...HOST_SYSTEM,
  })),
  operations: READ,
  methods: [],
};
