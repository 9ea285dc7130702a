/**
 * The qemu-system-x86_64 command line for one power-on of the QEMU host, built as data (pure, so a
 * test pins it). Headless TCG PC: paused at start (-S) so vme connects QMP and COM1 first; QMP and
 * COM1 are Unix-socket chardevs in client mode (vme listens, QEMU connects); guest resets end the
 * process (-no-reboot) so every boot is a fresh launch with the boot order of that moment; the boot
 * order is `bootindex` on each device with `-boot strict=on` (only the listed devices boot). A
 * virtio tablet is the absolute pointer KVM pointer events drive (qemu-pointer.ts): unlike a USB
 * tablet it costs the boot nothing (SeaBIOS spends ~100 ms bringing up a USB controller); guests
 * need a virtio-input driver (Linux has one; Windows needs virtio-win).
 */
import type { BootDeviceName } from '../boot-order.js';

/** A file behind a drive: a path (or a QEMU filename such as `nbd+unix:///?socket=…`) and its format. */
export interface DriveImage {
  readonly path: string;
  readonly format?: 'raw' | 'qcow2';
}

export interface QemuLaunch {
  readonly memoryMiB: number;
  readonly qmpSocket: string;
  readonly serialSocket: string;
  /** A VNC server on this Unix socket (the KVM seam); none when omitted. */
  readonly vncSocket?: string;
  readonly disk?: DriveImage;
  /** The CD/DVD drive's medium (the drive exists, empty, without one). */
  readonly cd?: DriveImage;
  /** The IDE-R CD drive's medium (the drive always exists so a session can insert one). */
  readonly iderCd?: DriveImage;
  /** PXE: the boot file served by QEMU's built-in TFTP server (the NIC exists either way). */
  readonly pxeBootFile?: { readonly tftpRoot: string; readonly file: string };
  /** Devices in boot priority order (bootindex 0, 1, …); devices missing from it do not boot. */
  readonly bootOrder: readonly BootDeviceName[];
  readonly extraArgs?: readonly string[];
}

/** QEMU device ids (`-device …,id=`): QMP names drives by them (blockdev-change-medium, eject). */
export const QEMU_DEVICE_IDS = { disk: 'vme-disk', cd: 'vme-cd', 'ider-cd': 'vme-ider-cd', pxe: 'vme-nic' } as const;

/** The boot devices the QEMU host has (IDE-R floppy has no QEMU drive: it never boots). */
export type QemuBootDevice = keyof typeof QEMU_DEVICE_IDS;

export function isQemuBootDevice(device: BootDeviceName): device is QemuBootDevice {
  return Object.hasOwn(QEMU_DEVICE_IDS, device);
}

/** Escapes a value for QEMU's comma-separated option syntax (a comma is doubled). */
export function qemuValue(value: string): string {
  return value.replaceAll(',', ',,');
}

export function qemuArgs(launch: QemuLaunch): string[] {
  const bootIndex = (device: QemuBootDevice): string => {
    const index = launch.bootOrder.indexOf(device);
    return index >= 0 ? `,bootindex=${index}` : '';
  };
  const drive = (id: string, image: DriveImage | undefined, cdrom: boolean): string => {
    const media = image ? `,file=${qemuValue(image.path)},format=${image.format ?? 'raw'}` : '';
    return `if=none,id=${id}-drive${cdrom ? ',media=cdrom,readonly=on' : ''}${media}`;
  };
  const pxe = launch.pxeBootFile;
  return [
    '-nodefaults', '-no-user-config', '-machine', 'pc', '-accel', 'tcg', '-m', String(launch.memoryMiB),
    '-S', '-no-reboot', '-display', 'none', '-vga', 'std', '-boot', 'strict=on,menu=off',
    '-chardev', `socket,id=vme-qmp,path=${qemuValue(launch.qmpSocket)},server=off`, '-mon', 'chardev=vme-qmp,mode=control',
    '-chardev', `socket,id=vme-com1,path=${qemuValue(launch.serialSocket)},server=off`, '-serial', 'chardev:vme-com1',
    '-device', 'virtio-tablet-pci,id=vme-tablet', // KVM's absolute pointer (QMP input-send-event abs axes)
    ...(launch.vncSocket ? ['-vnc', `unix:${launch.vncSocket}`] : []),
    ...(launch.disk ? ['-drive', drive(QEMU_DEVICE_IDS.disk, launch.disk, false), '-device', `ide-hd,drive=${QEMU_DEVICE_IDS.disk}-drive,id=${QEMU_DEVICE_IDS.disk},bus=ide.0,unit=0${bootIndex('disk')}`] : []),
    '-drive', drive(QEMU_DEVICE_IDS.cd, launch.cd, true), '-device', `ide-cd,drive=${QEMU_DEVICE_IDS.cd}-drive,id=${QEMU_DEVICE_IDS.cd},bus=ide.1,unit=0${bootIndex('cd')}`,
    '-drive', drive(QEMU_DEVICE_IDS['ider-cd'], launch.iderCd, true), '-device', `ide-cd,drive=${QEMU_DEVICE_IDS['ider-cd']}-drive,id=${QEMU_DEVICE_IDS['ider-cd']},bus=ide.1,unit=1${bootIndex('ider-cd')}`,
    '-netdev', `user,id=vme-net${pxe ? `,tftp=${qemuValue(pxe.tftpRoot)},bootfile=${qemuValue(pxe.file)}` : ''}`,
    '-device', `e1000,netdev=vme-net,id=${QEMU_DEVICE_IDS.pxe}${bootIndex('pxe')}`,
    ...(launch.extraArgs ?? []),
  ];
}
