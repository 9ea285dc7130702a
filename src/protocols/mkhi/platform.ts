/** What the MKHI server needs from the platform, and the server's volatile (per-boot) state. */
import type { FeatureName } from './constants.js';

export interface MkhiPlatform {
  /** From the verified manifest: `major.minor.hotfix.build`. */
  readonly firmware: { readonly version: string; readonly recoveryVersion?: string; readonly fitcVersion?: string };
  /** Which code partition booted: FTPR (recovery, boot partition RO) or NFTP (operational, RW). */
  readonly partition: 'FTPR' | 'NFTP';
  /** ME-region offsets of the two code partitions, for GET_BOOT_PARTITION_INFO. */
  readonly partitionRanges?: { readonly FTPR: PartitionRange; readonly NFTP: PartitionRange };
  /** Features reported by FWCAPS (feature bits), asked at every GET_RULE: the engine may follow settings that change at run time. */
  features(): readonly FeatureName[];
  readonly firmwareUpdateEnabled: boolean;
  isEndOfPost(): boolean;
}

export interface PartitionRange {
  readonly start: number;
  readonly end: number;
}

export interface MkhiServerOptions {
  readonly platform: MkhiPlatform;
  /** Called once when the BIOS sends END_OF_POST; the engine records it (platform.isEndOfPost). */
  readonly onEndOfPost: () => void;
  readonly onGlobalReset?: (resetType: number) => void;
  readonly onDataClear?: () => void;
}

/** Per-boot state the server keeps (lost on reset, like the real thing). */
export interface MkhiVolatile {
  hmrfpoEnabled: boolean;
  nextBootPartition: number | undefined;
}
