/**
 * The text the simulated OS prints: a short Linux-like boot log (with the boot device in it), the
 * shutdown and power-management messages, and a kernel panic. Pure functions of their inputs, so
 * the console is deterministic. The timestamps are simulated seconds since the kernel started.
 */
import { BOOT_DEVICES, type BootDeviceName, type BootMedia } from './boot-order.js';

export const KERNEL_RELEASE = '6.1.0-vme';

/** One console line and the simulated milliseconds since kernel start at which it is printed. */
export interface ConsoleLine {
  readonly at: number;
  readonly text: string;
}

function stamp(milliseconds: number, text: string): ConsoleLine {
  const seconds = (milliseconds / 1000).toFixed(6).padStart(12, ' ');
  return { at: milliseconds, text: `[${seconds}] ${text}` };
}

function deviceLines(device: BootDeviceName): ConsoleLine[] {
  switch (device) {
    case 'pxe':
      return [stamp(900, 'e1000e 0000:00:19.0 eth0: Intel(R) PRO/1000 Network Connection'), stamp(1400, 'IP-Config: Complete: device=eth0, addr=10.0.2.15, mask=255.255.255.0'), stamp(1500, 'VFS: Mounted root (nfs filesystem) on device 0:19.')];
    case 'cd':
    case 'ider-cd':
      return [stamp(900, 'sr 1:0:0:0: [sr0] scsi3-mmc drive: 24x/24x cd/rw xa/form2 tray'), stamp(1500, 'ISO 9660 Extensions: RRIP_1991A')];
    case 'ider-floppy':
      return [stamp(900, 'Floppy drive(s): fd0 is 1.44M'), stamp(1500, 'VFS: Mounted root (vfat filesystem) readonly on device 2:0.')];
    case 'disk':
      return [stamp(900, 'sd 0:0:0:0: [sda] 134217728 512-byte logical blocks: (68.7 GB/64.0 GiB)'), stamp(1500, 'EXT4-fs (sda1): mounted filesystem with ordered data mode.')];
  }
}

/** The boot log of a cold boot from `device`, up to init; the login banner follows separately. */
export function bootLog(device: BootDeviceName, media: BootMedia, hostname: string, memoryBytes: number): ConsoleLine[] {
  return [
    stamp(0, `Linux version ${KERNEL_RELEASE} (vme@build) (gcc (GCC) 12.2.0) #1 SMP PREEMPT_DYNAMIC vme`),
    stamp(0, `Command line: ${media.commandLine}`),
    stamp(0, 'DMI: vme Virtual Platform/vme Board, BIOS vme BIOS 1.0'),
    stamp(20, `Memory: ${Math.floor(memoryBytes / 1024)}K available`),
    stamp(300, 'Serial: 8250/16550 driver, 4 ports, IRQ sharing enabled'),
    stamp(310, '00:03: ttyS0 at I/O 0x3f8 (irq = 4, base_baud = 115200) is a 16550A'),
    stamp(600, 'mei_me 0000:00:16.0: enabling device (0000 -> 0002)'),
    ...deviceLines(device),
    stamp(1600, `vme: booted from ${BOOT_DEVICES[device].label}: ${media.description}`),
    stamp(1700, 'Run /sbin/init as init process'),
    stamp(2400, `systemd[1]: Set hostname to <${hostname}>.`),
    stamp(3000, 'systemd[1]: Reached target Multi-User System.'),
  ];
}

/** The lines a resume from a hibernation image prints instead of a full boot. */
export function hibernationResumeLog(): ConsoleLine[] {
  return [stamp(0, `Linux version ${KERNEL_RELEASE} (vme@build) #1 SMP PREEMPT_DYNAMIC vme`), stamp(800, 'PM: hibernation: Image loading done'), stamp(900, 'PM: hibernation: resume from hibernation'), stamp(1000, 'PM: Image restored successfully.')];
}

export function loginBanner(hostname: string, tty: 'ttyS0' | 'tty1'): string[] {
  return ['', `vme simulated Linux ${KERNEL_RELEASE} ${hostname} ${tty}`, ''];
}

export function panicLines(reason: string): string[] {
  return [`Kernel panic - not syncing: ${reason}`, `---[ end Kernel panic - not syncing: ${reason} ]---`];
}

export const SHUTDOWN_LINES: Readonly<Record<'softOff' | 'reset', readonly string[]>> = {
  softOff: ['[  OK  ] Stopped target Multi-User System.', '[  OK  ] Reached target System Power Off.', 'reboot: Power down'],
  reset: ['[  OK  ] Stopped target Multi-User System.', '[  OK  ] Reached target System Reboot.', 'reboot: Restarting system'],
};
