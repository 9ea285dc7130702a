/**
 * Read-only platform facts the WS-Man classes report: the same firmware versions and UUID the
 * PTHI interface reports on the host side (GetCodeVersions, GetUUID), so both views agree
 * (brief §7 item 2, §3.1 PlatformGUID), the chassis identity, and the host hardware inventory
 * (brief §3.2: BIOS, board, CPU, memory, drives).
 */
import type { FirmwareVersions } from '../../protocols/pthi/index.js';

export interface ChassisFacts {
  readonly manufacturer: string;
  readonly model: string;
  readonly serialNumber: string;
  readonly version: string;
  /** CIM_Chassis.ChassisPackageType (0 unknown). */
  readonly packageType: number;
}

export interface PlatformFacts {
  readonly firmware: FirmwareVersions;
  /** 16 raw bytes as PTHI GetUUID returns them. */
  readonly uuid: Uint8Array;
  readonly chassis: ChassisFacts;
  /** The wired LAN MAC: 6 raw bytes, as PTHI GetMacAddresses / GetLANInterfaceSettings report them. */
  readonly macAddress: Uint8Array;
  /** The platform's own IPv4 address (dotted; a loopback address, where vme's AMT listens). */
  readonly networkAddress: string;
  /** The host hardware the inventory classes report; DEFAULT_HOST_INVENTORY when absent. */
  readonly inventory?: HostInventory;
}

/** The host's hardware as AMT's inventory classes report it (CIM_BIOSElement, CIM_Card, CIM_Chip, ...). */
export interface HostInventory {
  /** The BIOS version itself is `FirmwareVersions.biosVersion` (what PTHI GetCodeVersions reports). */
  readonly bios: { readonly manufacturer: string; readonly releaseDate: string };
  /** The base board (CIM_Card). */
  readonly board: { readonly manufacturer: string; readonly model: string; readonly version: string; readonly serialNumber: string };
  readonly processor: HostProcessor;
  readonly memory: readonly HostMemoryModule[];
  readonly drives: readonly HostDrive[];
}

export interface HostProcessor {
  readonly manufacturer: string;
  /** The CPU's name as SMBIOS gives it (MeshCentral shows CIM_Chip.Version). */
  readonly name: string;
  /** CIM_Processor.Family (2 Unknown, 198 Core i7, ...). */
  readonly family: number;
  readonly stepping: string;
  readonly currentClockMHz: number;
  readonly maxClockMHz: number;
  readonly externalBusClockMHz: number;
}

export interface HostMemoryModule {
  readonly bankLabel: string;
  readonly capacityBytes: number;
  readonly speedMHz: number;
  readonly manufacturer: string;
  readonly partNumber: string;
  readonly serialNumber: string;
  /** CIM_PhysicalMemory.FormFactor (13 SODIMM, 8 DIMM). */
  readonly formFactor: number;
  /** CIM_PhysicalMemory.MemoryType (26 DDR4). */
  readonly memoryType: number;
}

export interface HostDrive {
  /** Bytes; AMT reports MaxMediaSize in kilobytes of 1000 bytes. */
  readonly sizeBytes: number;
}

/** The vme virtual PC: 4 GiB of DRAM unless told otherwise (src/devices/host-dram.ts default), one 64 GiB disk (src/host/os-console.ts `sda`). */
export function vmeHostInventory(memoryBytes = 4 * 1024 ** 3): HostInventory {
  return {
    bios: { manufacturer: 'vme', releaseDate: '2026-01-01T00:00:00Z' },
    board: { manufacturer: 'vme', model: 'vme Board', version: '1.0', serialNumber: 'VMEBOARD0001' },
    processor: { manufacturer: 'vme', name: 'vme Virtual CPU @ 2.00GHz', family: 2, stepping: '0', currentClockMHz: 2000, maxClockMHz: 2000, externalBusClockMHz: 100 },
    memory: [{ bankLabel: 'BANK 0', capacityBytes: memoryBytes, speedMHz: 3200, manufacturer: 'vme', partNumber: 'VME-DRAM', serialNumber: '00000001', formFactor: 8, memoryType: 26 }],
    drives: [{ sizeBytes: 134_217_728 * 512 }],
  };
}

export const DEFAULT_HOST_INVENTORY: HostInventory = vmeHostInventory();

export const DEFAULT_CHASSIS: ChassisFacts = {
  manufacturer: 'vme', model: 'Virtual ME Platform', serialNumber: 'VME00000001', version: '1.0', packageType: 0,
};
