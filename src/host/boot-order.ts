/**
 * Boot devices, the BIOS boot order and the one-time boot override. The device table carries the
 * names AMT uses for them (CIM_BootSourceSetting InstanceID and StructuredBootString; research
 * amt-protocol.md §3.4), so AMT_BootSettingData / CIM_BootConfigSetting can be served from it.
 * The override is what AMT's "boot once from X" sets: the next POST follows it once, then it is gone.
 */
import { hostFail } from './errors.js';

/** Devices the BIOS can boot from. The IDE-R devices get media when a redirection session serves them. */
export const BOOT_DEVICES = {
  disk: { label: 'Hard disk', cimBootString: 'CIM:Hard-Disk:1', instanceId: 'Intel(r) AMT: Force Hard-drive Boot' },
  pxe: { label: 'Network (PXE)', cimBootString: 'CIM:Network:1', instanceId: 'Intel(r) AMT: Force PXE Boot' },
  cd: { label: 'CD/DVD', cimBootString: 'CIM:CD/DVD:1', instanceId: 'Intel(r) AMT: Force CD/DVD Boot' },
  'ider-cd': { label: 'IDE-R CD', cimBootString: undefined, instanceId: undefined }, // AMT: UseIDER + IDERBootDevice 1
  'ider-floppy': { label: 'IDE-R floppy', cimBootString: undefined, instanceId: undefined }, // AMT: UseIDER + IDERBootDevice 0
} as const;

export type BootDeviceName = keyof typeof BOOT_DEVICES;

/** What is in a boot device: the seam for IDE-R (a redirection session attaches an image here). */
export interface BootMedia {
  /** Shown by the BIOS and the OS, e.g. "vme virtual disk (sda)". */
  readonly description: string;
  /** The simulated OS's kernel command line when booted from this media. */
  readonly commandLine: string;
  /** IDE-R: the media's blocks, read through the redirection session (the BIOS reads its boot record; boot-media.ts). */
  readonly blocks?: MediaBlocks;
}

/** An async block device: `read(lba, count)` → exactly `count * blockSize` bytes, or a rejection. */
export interface MediaBlocks {
  readonly blockSize: number;
  /** Blocks on the media (0: unknown). */
  readonly count: number;
  read(lba: number, count: number): Promise<Uint8Array>;
}

/** The media a new host has: a disk and a PXE server answer, the CD drive and IDE-R are empty. */
export const DEFAULT_MEDIA: Readonly<Partial<Record<BootDeviceName, BootMedia>>> = {
  disk: { description: 'vme virtual disk (sda)', commandLine: 'BOOT_IMAGE=/boot/vmlinuz root=/dev/sda1 ro console=tty0 console=ttyS0,115200n8' },
  pxe: { description: 'PXE server 10.0.2.2 (pxelinux.0)', commandLine: 'BOOT_IMAGE=vmlinuz ip=dhcp root=/dev/nfs nfsroot=10.0.2.2:/srv/root console=tty0 console=ttyS0,115200n8' },
};

/** Which device this POST boots from. */
export interface BootSelection {
  /** The device chosen, or undefined when nothing is bootable. */
  readonly device: BootDeviceName | undefined;
  /** True when the device came from the one-time override. */
  readonly oneTime: boolean;
  /** The override that was consumed but had no bootable media (the BIOS fell back to the order). */
  readonly overrideNotReady?: BootDeviceName;
}

export const DEFAULT_BOOT_ORDER: readonly BootDeviceName[] = ['disk', 'pxe', 'cd'];

/** The persistent boot order plus the pending one-time override. */
export class BootOrder {
  #order: readonly BootDeviceName[];
  #oneTime: BootDeviceName | undefined;

  /** @throws HostError VME_ERR_HOST_BOOT_ORDER for unknown or repeated devices. */
  constructor(order: readonly string[] = DEFAULT_BOOT_ORDER) {
    this.#order = checkOrder(order);
  }

  get order(): readonly BootDeviceName[] {
    return this.#order;
  }

  get oneTime(): BootDeviceName | undefined {
    return this.#oneTime;
  }

  /** @throws HostError VME_ERR_HOST_BOOT_ORDER for unknown or repeated devices. */
  setOrder(order: readonly string[]): void {
    this.#order = checkOrder(order);
  }

  /** Sets (or with undefined clears) the device the next POST boots from, once. @throws HostError VME_ERR_HOST_BOOT_ORDER */
  setOneTime(device: string | undefined): void {
    this.#oneTime = device === undefined ? undefined : checkDevice(device);
  }

  /** Chooses this POST's boot device and consumes the override, used or not. */
  select(bootable: (device: BootDeviceName) => boolean): BootSelection {
    const override = this.#oneTime;
    this.#oneTime = undefined;
    if (override && bootable(override)) return { device: override, oneTime: true };
    const device = this.#order.find(bootable);
    return override ? { device, oneTime: false, overrideNotReady: override } : { device, oneTime: false };
  }
}

function checkDevice(device: string): BootDeviceName {
  if (!Object.hasOwn(BOOT_DEVICES, device)) {
    hostFail('VME_ERR_HOST_BOOT_ORDER', `unknown boot device ${JSON.stringify(device)} (known: ${Object.keys(BOOT_DEVICES).join(', ')})`, { device });
  }
  return device as BootDeviceName;
}

function checkOrder(order: readonly string[]): readonly BootDeviceName[] {
  const checked = order.map(checkDevice);
  const repeated = checked.find((device, index) => checked.indexOf(device) !== index);
  if (repeated) hostFail('VME_ERR_HOST_BOOT_ORDER', `boot device ${repeated} appears twice in the boot order`, { device: repeated });
  return Object.freeze(checked);
}
