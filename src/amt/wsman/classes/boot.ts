/**
 * AMT_BootSettingData and AMT_BootCapabilities (brief §3.4). Consoles Get and Put the boot
 * settings before every power action (MPS clears them for a plain power action; UseIDER with
 * IDERBootDevice 1/0 boots the IDE-R CD/floppy once). The options live in boot-state.ts and are
 * consumed by the next boot. The capabilities say what vme's host can do: force disk, PXE or CD,
 * IDE-R and SOL; no BIOS setup, secure erase or locks. Orders as in `amt/boot/settingdata/get.xml`
 * and `amt/boot/capabilities/get.xml`.
 */
import type { ClassDeclaration, Instance, PropertyDecl } from '../declaration.js';
import { WsmanFault } from '../faults.js';
import { BOOT_SETTINGS, optionsCleared, type BootSettings } from './boot-state.js';
import { REMOTE_CONTROL_REALMS } from './power.js';

const INSTANCE_ID: PropertyDecl = { name: 'InstanceID', type: 'string', key: true };
const w = (name: keyof BootSettings, type: PropertyDecl['type']): PropertyDecl => ({ name, type, writable: true });
const r = (name: string, type: PropertyDecl['type'], array = false): PropertyDecl => ({ name, type, ...(array ? { array } : {}) });

/** Values AMT checks (IDE-R device 0 floppy / 1 CD; FirmwareVerbosity 0..3). */
function checkSettings(changes: Instance): void {
  const device = changes['IDERBootDevice'];
  const verbosity = changes['FirmwareVerbosity'];
  if (device !== undefined && device !== 0 && device !== 1) throw new WsmanFault('invalidRepresentation', 'IDERBootDevice is 0 (floppy) or 1 (CD)');
  if (typeof verbosity === 'number' && verbosity > 3) throw new WsmanFault('invalidRepresentation', 'FirmwareVerbosity is 0..3');
}

const SETTING_DATA_ID = 'Intel(r) AMT:BootSettingData 0';

function settingData(settings: BootSettings): Instance {
  return {
    ...settings, RSEPassword: '', BIOSLastStatus: [2, 0], BootguardStatus: 0, ElementName: 'Intel(r) AMT Boot Configuration Settings',
    InstanceID: SETTING_DATA_ID, OptionsCleared: optionsCleared(settings), OwningEntity: 'Intel(r) AMT', RPEEnabled: false,
    SecureBootControlEnabled: false, UEFIHTTPSBootEnabled: false, UEFILocalPBABootEnabled: false, WinREBootEnabled: false,
  };
}

export const AMT_BOOT_SETTING_DATA: ClassDeclaration = {
  name: 'AMT_BootSettingData',
  schema: 'AMT',
  summary: 'Boot options for the next boot (IDE-R, SOL, BIOS pause/setup, locks); cleared once the host boots.',
  commonNamespace: false,
  properties: [
    r('BIOSLastStatus', 'uint16', true), w('BIOSPause', 'boolean'), w('BIOSSetup', 'boolean'), w('BootMediaIndex', 'uint16'), r('BootguardStatus', 'uint16'),
    w('ConfigurationDataReset', 'boolean'), r('ElementName', 'string'), w('EnforceSecureBoot', 'boolean'), w('FirmwareVerbosity', 'uint8'),
    w('ForcedProgressEvents', 'boolean'), w('IDERBootDevice', 'uint16'), INSTANCE_ID, w('LockKeyboard', 'boolean'),
    w('LockPowerButton', 'boolean'), w('LockResetButton', 'boolean'), w('LockSleepButton', 'boolean'), r('OptionsCleared', 'boolean'),
    r('OwningEntity', 'string'), w('PlatformErase', 'boolean'), r('RPEEnabled', 'boolean'), w('RSEPassword', 'string'), w('ReflashBIOS', 'boolean'),
    r('SecureBootControlEnabled', 'boolean'), w('SecureErase', 'boolean'), r('UEFIHTTPSBootEnabled', 'boolean'), r('UEFILocalPBABootEnabled', 'boolean'),
    w('UefiBootNumberOfParams', 'uint32'), w('UseIDER', 'boolean'), w('UseSOL', 'boolean'), w('UseSafeMode', 'boolean'), w('UserPasswordBypass', 'boolean'),
    r('WinREBootEnabled', 'boolean'),
  ],
  instances: (context) => [settingData(context.state.get(BOOT_SETTINGS))],
  operations: {
    get: { realms: REMOTE_CONTROL_REALMS },
    enumerate: { realms: REMOTE_CONTROL_REALMS },
    put: {
      realms: REMOTE_CONTROL_REALMS,
      apply: (context, _current, changes) => {
        checkSettings(changes);
        const next = { ...context.state.get(BOOT_SETTINGS), ...changes } as BootSettings;
        context.state.set(BOOT_SETTINGS, next);
        return settingData(next);
      },
    },
  },
  methods: [],
};

const CAPABILITIES: readonly (readonly [string, boolean])[] = [
  ['BIOSPause', false], ['BIOSReflash', false], ['BIOSSecureBoot', false], ['BIOSSetup', false], ['ConfigurationDataReset', false],
  ['ForceCDorDVDBoot', true], ['ForceDiagnosticBoot', false], ['ForceHardDriveBoot', true], ['ForceHardDriveSafeModeBoot', false],
  ['ForcePXEBoot', true], ['ForcedProgressEvents', false], ['IDER', true], ['KeyboardLock', false], ['PowerButtonLock', false],
  ['ResetButtonLock', false], ['SOL', true], ['SecureErase', false], ['SleepButtonLock', false], ['UserPasswordBypass', false],
  ['VerbosityQuiet', false], ['VerbosityScreenBlank', false], ['VerbosityVerbose', false],
];

/** AMT writes these properties in ASCII order of their names. */
const CAPABILITY_PROPERTIES: readonly PropertyDecl[] = [...CAPABILITIES.map(([name]) => r(name, 'boolean')), r('ElementName', 'string'), INSTANCE_ID]
  .sort((a, b) => (a.name < b.name ? -1 : 1));

export const AMT_BOOT_CAPABILITIES: ClassDeclaration = {
  name: 'AMT_BootCapabilities',
  schema: 'AMT',
  summary: 'What the host\'s boot can be forced to: disk, PXE, CD/DVD, IDE-R, SOL.',
  commonNamespace: false,
  properties: CAPABILITY_PROPERTIES,
  instances: () => [{ ...Object.fromEntries(CAPABILITIES), ElementName: 'Intel(r) AMT: Boot Capabilities', InstanceID: 'Intel(r) AMT:BootCapabilities 0' }],
  operations: { get: { realms: REMOTE_CONTROL_REALMS }, enumerate: { realms: REMOTE_CONTROL_REALMS } },
  methods: [],
};
