/**
 * The boot options AMT holds for the host's next boot (brief §3.4): AMT_BootSettingData's writable
 * options, and the boot configuration (`Intel(r) AMT: Boot Configuration 0`) whose source
 * CIM_BootConfigSetting.ChangeBootOrder sets and CIM_BootService.SetBootConfigRole arms for the
 * next boot. AMT only offers one-time boots: the next boot consumes every option (vme: the power
 * action that boots the host), after which they read as cleared (OptionsCleared true).
 */
import { BOOT_DEVICES, type BootDeviceName } from '../../../host/boot-order.js';
import type { BootTarget } from '../device.js';
import type { StateSlot, WsmanState } from '../state.js';

/** AMT_BootSettingData's writable options (names as on the wire). */
export interface BootSettings {
  readonly BIOSPause: boolean;
  readonly BIOSSetup: boolean;
  readonly BootMediaIndex: number;
  readonly ConfigurationDataReset: boolean;
  readonly EnforceSecureBoot: boolean;
  readonly FirmwareVerbosity: number;
  readonly ForcedProgressEvents: boolean;
  /** With UseIDER: 0 the IDE-R floppy, 1 the IDE-R CD. */
  readonly IDERBootDevice: number;
  readonly LockKeyboard: boolean;
  readonly LockPowerButton: boolean;
  readonly LockResetButton: boolean;
  readonly LockSleepButton: boolean;
  readonly PlatformErase: boolean;
  /** Write-only: AMT reads it back empty. */
  readonly RSEPassword: string;
  readonly ReflashBIOS: boolean;
  readonly SecureErase: boolean;
  readonly UefiBootNumberOfParams: number;
  readonly UseIDER: boolean;
  readonly UseSOL: boolean;
  readonly UseSafeMode: boolean;
  readonly UserPasswordBypass: boolean;
}

export const DEFAULT_BOOT_SETTINGS: BootSettings = {
  BIOSPause: false, BIOSSetup: false, BootMediaIndex: 0, ConfigurationDataReset: false, EnforceSecureBoot: false, FirmwareVerbosity: 0,
  ForcedProgressEvents: false, IDERBootDevice: 0, LockKeyboard: false, LockPowerButton: false, LockResetButton: false, LockSleepButton: false,
  PlatformErase: false, RSEPassword: '', ReflashBIOS: false, SecureErase: false, UefiBootNumberOfParams: 0, UseIDER: false, UseSOL: false,
  UseSafeMode: false, UserPasswordBypass: false,
};

export const BOOT_SETTINGS: StateSlot<BootSettings> = { name: 'wsman/boot-settings', initial: () => DEFAULT_BOOT_SETTINGS };

/** Devices a CIM_BootSourceSetting names (those with an AMT InstanceID in src/host/boot-order.ts). */
export type BootSourceName = { [K in BootDeviceName]: (typeof BOOT_DEVICES)[K]['instanceId'] extends string ? K : never }[BootDeviceName];

export const BOOT_SOURCES: readonly BootSourceName[] = (Object.keys(BOOT_DEVICES) as BootDeviceName[])
  .filter((name): name is BootSourceName => BOOT_DEVICES[name].instanceId !== undefined);

/** The boot configuration: its one source (ChangeBootOrder) and whether it is armed for the next boot (SetBootConfigRole IsNext). */
export interface BootConfig {
  readonly source: BootSourceName | undefined;
  readonly next: boolean;
}

export const BOOT_CONFIG: StateSlot<BootConfig> = { name: 'wsman/boot-config', initial: () => ({ source: undefined, next: false }) };

/** True while no option differs from its cleared value (AMT_BootSettingData.OptionsCleared). */
export function optionsCleared(settings: BootSettings): boolean {
  return (Object.keys(DEFAULT_BOOT_SETTINGS) as (keyof BootSettings)[]).every((name) => settings[name] === DEFAULT_BOOT_SETTINGS[name]);
}

/** The device the next boot is forced to, if any: IDE-R (UseIDER) first, then the armed configuration's source. */
export function pendingBootTarget(settings: BootSettings, config: BootConfig): BootTarget | undefined {
  if (settings.UseIDER) return settings.IDERBootDevice === 1 ? 'ider-cd' : 'ider-floppy';
  return config.next ? config.source : undefined;
}

/** The host is about to boot: returns the forced device (if any) and clears every one-time option. */
export function consumeBootOptions(state: WsmanState): BootTarget | undefined {
  const target = pendingBootTarget(state.get(BOOT_SETTINGS), state.get(BOOT_CONFIG));
  state.set(BOOT_SETTINGS, BOOT_SETTINGS.initial());
  state.set(BOOT_CONFIG, BOOT_CONFIG.initial());
  return target;
}
