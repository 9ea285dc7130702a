/**
 * The ATAPI (SCSI MMC) commands the device writes to an IDER console for the host, and the answers
 * it reads back: the 12-byte CDBs of TEST UNIT READY, INQUIRY, MODE SENSE(10), READ CAPACITY,
 * READ(10), GET CONFIGURATION (opcodes and big-endian fields as SCSI/MMC define them; the set
 * MeshCommander's `amt-ider` `handleSCSI` serves), block sizes per drive, and the sense codes.
 */
import { IDER_DRIVE } from './ider-messages.js';

export const SCSI_OPCODE = {
  testUnitReady: 0x00,
  inquiry: 0x12,
  readCapacity: 0x25,
  read10: 0x28,
  getConfiguration: 0x46,
  modeSense10: 0x5a,
} as const;

export type IderDriveName = keyof typeof IDER_DRIVE;
/** Bytes per block: MeshCommander shifts LBAs by 11 for the CD and by 9 for the floppy. */
export const IDER_BLOCK_BYTES: Readonly<Record<IderDriveName, number>> = { cd: 2048, floppy: 512 };

/** Sense keys the console may end a command with (SPC). */
export const SENSE_KEY = { noSense: 0, notReady: 2, mediumError: 3, illegalRequest: 5, unitAttention: 6 } as const;

const cdb = (opcode: number, fill: (view: DataView) => void = () => undefined): Uint8Array => {
  const out = new Uint8Array(12);
  out[0] = opcode;
  fill(new DataView(out.buffer));
  return out;
};

export const atapi = {
  testUnitReady: (): Uint8Array => cdb(SCSI_OPCODE.testUnitReady),
  inquiry: (allocation = 36): Uint8Array => cdb(SCSI_OPCODE.inquiry, (v) => v.setUint8(4, allocation)),
  readCapacity: (): Uint8Array => cdb(SCSI_OPCODE.readCapacity),
  /** READ(10): `count` blocks from `lba`. */
  read10: (lba: number, count: number): Uint8Array => cdb(SCSI_OPCODE.read10, (v) => {
    v.setUint32(2, lba);
    v.setUint16(7, count);
  }),
  modeSense10: (page = 0x3f, allocation = 0x100): Uint8Array => cdb(SCSI_OPCODE.modeSense10, (v) => {
    v.setUint8(2, page);
    v.setUint16(7, allocation);
  }),
  getConfiguration: (allocation = 0x100): Uint8Array => cdb(SCSI_OPCODE.getConfiguration, (v) => v.setUint16(7, allocation)),
};

/** READ CAPACITY's answer: the last LBA and the block length (both big-endian u32). */
export function parseReadCapacity(data: Uint8Array): { blocks: number; blockBytes: number } | undefined {
  if (data.length < 8) return undefined;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { blocks: view.getUint32(0) + 1, blockBytes: view.getUint32(4) };
}

/** The most data a command may bring back (guards the console's DataToHost against overruns). */
export function expectedBytes(packet: Uint8Array, drive: IderDriveName): number {
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  switch (packet[0]) {
    case SCSI_OPCODE.testUnitReady:
      return 0;
    case SCSI_OPCODE.read10:
      return view.getUint16(7) * IDER_BLOCK_BYTES[drive];
    case SCSI_OPCODE.readCapacity:
      return 8;
    case SCSI_OPCODE.inquiry:
      return packet[4] as number;
    default:
      return view.getUint16(7);
  }
}
