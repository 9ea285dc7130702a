/**
 * A tiny real-mode x86 program, hand-assembled, that the QEMU host tests boot: it prints a message
 * on COM1 (polling the 16550's line status before each byte), copies the printable characters to
 * the bottom row of the VGA text screen, then halts. It runs at 0000:7C00, so the same bytes are a
 * hard-disk boot sector (with the 55 AA signature) and a PXE network boot program (NBP).
 */

/** The machine code; `msg` follows it at offset 0x35 (address 0x7C35). Each line: offset, bytes, instruction. */
const CODE = [
  0xfa, //                 00 cli
  0x31, 0xc0, //           01 xor ax, ax
  0x8e, 0xd8, //           03 mov ds, ax
  0x8e, 0xd0, //           05 mov ss, ax
  0xbc, 0x00, 0x7c, //     07 mov sp, 0x7C00
  0xb8, 0x00, 0xb8, //     0A mov ax, 0xB800        ; VGA text memory segment
  0x8e, 0xc0, //           0D mov es, ax
  0xbf, 0x00, 0x0f, //     0F mov di, 0x0F00        ; row 24, column 0 (24 × 160 bytes)
  0xbe, 0x35, 0x7c, //     12 mov si, 0x7C35        ; msg
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
  0xf4, //                 32 done: hlt             ; interrupts stay off: halted for good
  0xeb, 0xfd, //           33 jmp done (0x32)
];

/** The program followed by `message` and a NUL. @throws RangeError when it does not fit a sector. */
export function realModeProgram(message: string): Uint8Array {
  if (CODE.length !== 0x35) throw new RangeError('boot program code must be 0x35 bytes (msg address is fixed)');
  const bytes = new Uint8Array([...CODE, ...new TextEncoder().encode(message), 0]);
  if (bytes.length > 510) throw new RangeError('message too long for a boot sector');
  return bytes;
}

/** A 512-byte MBR boot sector printing `message`. */
export function bootSector(message: string): Uint8Array {
  const sector = new Uint8Array(512);
  sector.set(realModeProgram(message));
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}
