/**
 * A tiny real-mode x86 program, hand-assembled, that the QEMU host tests boot: it prints a message
 * on COM1 (polling the 16550's line status before each byte), copies the printable characters to
 * the bottom row of the VGA text screen, then either halts or (`echo`) sends every byte COM1
 * receives straight back, idling in `sti; hlt` between the BIOS timer's ticks (18.2 Hz) so the
 * emulated CPU does not spin. It runs at 0000:7C00, so the same bytes are a hard-disk or floppy
 * boot sector (with the 55 AA signature) and a PXE network boot program (NBP).
 */

/** Prints the NUL-terminated string at SI; falls through to `done` at 0x32. Each line: offset, bytes, instruction. */
const PRINT = (msg: number): number[] => [
  0xfa, //                 00 cli
  0x31, 0xc0, //           01 xor ax, ax
  0x8e, 0xd8, //           03 mov ds, ax
  0x8e, 0xd0, //           05 mov ss, ax
  0xbc, 0x00, 0x7c, //     07 mov sp, 0x7C00
  0xb8, 0x00, 0xb8, //     0A mov ax, 0xB800        ; VGA text memory segment
  0x8e, 0xc0, //           0D mov es, ax
  0xbf, 0x00, 0x0f, //     0F mov di, 0x0F00        ; row 24, column 0 (24 × 160 bytes)
  0xbe, msg & 0xff, msg >> 8, // 12 mov si, msg
  0xac, //                 15 next: lodsb
  0x84, 0xc0, //           16 test al, al
  0x74, 0x18, //           18 jz done (0x32)
  0x88, 0xc4, //           1A mov ah, al            ; keep the character
  0xba, 0xfd, 0x03, //     1C mov dx, 0x3FD         ; COM1 line status register
  0xec, //                 1F wait: in al, dx
  0xa8, 0x20, //           20 test al, 0x20         ; transmit holding register empty?
  0x74, 0xfb, //           22 jz wait (0x1F)
  0xb2, 0xf8, //           24 mov dl, 0xF8          ; dx = 0x3F8, COM1 data
  0x88, 0xe0, //           26 mov al, ah
  0xee, //                 28 out dx, al
  0x3c, 0x20, //           29 cmp al, 0x20
  0x72, 0xe8, //           2B jb next (0x15)        ; control characters go to COM1 only
  0xb4, 0x07, //           2D mov ah, 0x07          ; light grey on black
  0xab, //                 2F stosw                 ; character + attribute to es:di
  0xeb, 0xe3, //           30 jmp next (0x15)
];

const HALT = [
  0xf4, //                 32 done: hlt             ; interrupts stay off: halted for good
  0xeb, 0xfd, //           33 jmp done (0x32)
];

const ECHO = [
  0xfb, //                 32 done: sti             ; let the BIOS timer tick wake the hlt
  0xf4, //                 33 hlt
  0xba, 0xfd, 0x03, //     34 more: mov dx, 0x3FD   ; line status
  0xec, //                 37 in al, dx
  0xa8, 0x01, //           38 test al, 0x01         ; data ready?
  0x74, 0xf6, //           3A jz done (0x32)
  0xb2, 0xf8, //           3C mov dl, 0xF8
  0xec, //                 3E in al, dx             ; the received byte
  0x88, 0xc4, //           3F mov ah, al
  0xb2, 0xfd, //           41 mov dl, 0xFD
  0xec, //                 43 tx: in al, dx
  0xa8, 0x20, //           44 test al, 0x20
  0x74, 0xfb, //           46 jz tx (0x43)
  0xb2, 0xf8, //           48 mov dl, 0xF8
  0x88, 0xe0, //           4A mov al, ah
  0xee, //                 4C out dx, al            ; sent back
  0xeb, 0xe5, //           4D jmp more (0x34)       ; drain what else arrived
];

export interface BootProgramOptions {
  /** After the message, echo every byte received on COM1 instead of halting. */
  readonly echo?: boolean;
}

/** The program followed by `message` and a NUL. @throws RangeError when it does not fit a sector. */
export function realModeProgram(message: string, options: BootProgramOptions = {}): Uint8Array {
  const tail = options.echo ? ECHO : HALT;
  const code = [...PRINT(0x7c32 + tail.length), ...tail];
  if (PRINT(0).length !== 0x32) throw new RangeError('the print routine must be 0x32 bytes (its jumps are fixed)');
  const bytes = new Uint8Array([...code, ...new TextEncoder().encode(message), 0]);
  if (bytes.length > 510) throw new RangeError('message too long for a boot sector');
  return bytes;
}

/** A 512-byte boot sector (MBR or floppy) printing `message`. */
export function bootSector(message: string, options: BootProgramOptions = {}): Uint8Array {
  const sector = new Uint8Array(512);
  sector.set(realModeProgram(message, options));
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}
