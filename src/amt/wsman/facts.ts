/**
 * Read-only platform facts the WS-Man classes report: the same firmware versions and UUID the
 * PTHI interface reports on the host side (GetCodeVersions, GetUUID), so both views agree
 * (brief §7 item 2, §3.1 PlatformGUID), and the chassis identity.
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
}

export const DEFAULT_CHASSIS: ChassisFacts = {
  manufacturer: 'vme', model: 'Virtual ME Platform', serialNumber: 'VME00000001', version: '1.0', packageType: 0,
};
