/**
 * The IDE-redirection (IDER) messages, declared once: what runs inside a redirection connection
 * after a console started an `IDER` session and logged in (brief amt-protocol.md §4.4). Every
 * message is `type(1) 00 00 attributes(1) sequence(4 LE)` then its fields, little-endian
 * (MeshCommander `amt-ider-ws-0.0.1.js` `SendCommand`; amtterm `RedirectionConstants.h` lengths:
 * start 18, start reply 30, end 8, reset 9, features reply 13, command end 31, get data 31).
 * Register layouts as amtterm's `redir.h` (`ider_command_written_message`,
 * `ider_command_response_message`, `ider_data_regs`). The device (AMT) is the IDE controller facing
 * the host: it writes the host's ATAPI packets to the console (0x50), the console answers with
 * data (0x54) or the sense of the command's end (0x51). `readIderFrame` takes one message off a
 * buffer (undefined: incomplete) and throws only RedirectionError.
 */
import { bytes, magic, struct, u16, u32, u8, type FieldCodec, type Struct } from '../../codec/index.js';
import { malformed } from './errors.js';
import type { Sender } from './messages.js';

/** IDER message types (amtterm `RedirectionConstants.h`, MeshCommander `ProcessDataEx`). */
export const IDER_TYPE = {
  openSession: 0x40,
  openSessionReply: 0x41,
  closeSession: 0x42,
  closeSessionReply: 0x43,
  keepAlivePing: 0x44,
  keepAlivePong: 0x45,
  resetOccurred: 0x46,
  resetOccurredResponse: 0x47,
  disableEnableFeatures: 0x48,
  disableEnableFeaturesReply: 0x49,
  errorOccurred: 0x4a,
  heartbeat: 0x4b,
  commandWritten: 0x50,
  commandEndResponse: 0x51,
  getDataFromHost: 0x52,
  dataFromHost: 0x53,
  dataToHost: 0x54,
} as const;
export type IderTypeName = keyof typeof IDER_TYPE;

/** Header attributes: bit 1 "completed" (the command's last message), bit 0 DMA (MeshCommander `SendCommand`). */
export const IDER_ATTRIBUTE = { dma: 1, completed: 2 } as const;
/** DisableEnableFeatures sub-commands and the register-state value bits (amtterm `IDER_FEATURE_*`, brief §4.4 `IDER_START_*`). */
export const IDER_FEATURE = { getSupported: 1, getRegisterState: 2, setRegisterState: 3 } as const;
export const IDER_REGISTER = { enable: 0x01, onReboot: 0x08, graceful: 0x10, now: 0x18 } as const;
/** Drive select (ATA register 6): bit 4 picks the CD-ROM (MeshCommander: 0x10 → 0xB0 CD, else 0xA0 floppy). */
export const IDER_DRIVE = { floppy: 0xa0, cd: 0xb0 } as const;
/** ATA PACKET: the only command the device writes (amtterm handles only 0xA0). */
export const ATA_PACKET = 0xa0;
/** The read/write buffer sizes the device announces; MeshCommander refuses more than 8192. */
export const IDER_BUFFER_BYTES = 8192;
/** Intel's IANA enterprise number, sent in the open reply (MeshCommander reads it at 25). */
export const INTEL_IANA = 343;

type Head = Struct<Record<string, FieldCodec<unknown>>>;

export interface IderMessageSpec {
  readonly name: IderTypeName;
  readonly label: string;
  readonly type: number;
  /** Who sends it; 'both' for the keep-alives and the heartbeat. */
  readonly sender: Sender | 'both';
  readonly head: Head;
  /** Bytes after the head, from its fields (variable messages only), and the most allowed. */
  readonly tail?: { readonly length: (fields: Readonly<Record<string, unknown>>) => number; readonly maxBytes: number; readonly doc: string };
  readonly note: string;
}

const header = (name: IderTypeName): Record<string, FieldCodec<unknown>> => ({ type: magic(u8(), IDER_TYPE[name]), reserved: u16(), attributes: u8(), sequence: u32() });
/** ATA task-file registers as the response carries them (amtterm `ider_data_regs`). */
const regs = (prefix: string): Record<string, FieldCodec<unknown>> => ({
  [`${prefix}Mask`]: u8(), [`${prefix}Error`]: u8(), [`${prefix}SectorCount`]: u8(), [`${prefix}SectorNumber`]: u8(),
  [`${prefix}ByteCountLow`]: u8(), [`${prefix}ByteCountHigh`]: u8(), [`${prefix}DriveSelect`]: u8(), [`${prefix}Status`]: u8(),
});
/** `ider_command_response_message` after the header: 23 bytes (0x51 and 0x52). */
const response = { cableSelect: u8(), transferBytes: u16(), packetNumber: u8(), ...regs('input'), ...regs('output'), sense: u8(), asc: u8(), ascq: u8() };

function spec(name: IderTypeName, label: string, sender: IderMessageSpec['sender'], fields: Record<string, FieldCodec<unknown>>, note: string, tail?: IderMessageSpec['tail']): IderMessageSpec {
  return { name, label, type: IDER_TYPE[name], sender, head: struct(label, { ...header(name), ...fields }) as Head, note, ...(tail ? { tail } : {}) };
}

export const IDER_MESSAGES = {
  openSession: spec('openSession', 'IDEROpenSession', 'console', { rxTimeout: u16(), txTimeout: u16(), heartbeat: u16(), version: u32() },
    'MeshCommander: rx 30000, tx 0, heartbeat 20000 ms, version 1'),
  openSessionReply: spec('openSessionReply', 'IDEROpenSessionReply', 'device', {
    major: u8(), minor: u8(), firmwareMajor: u8(), firmwareMinor: u8(), reserved1: bytes(4), readBufferBytes: u16(), writeBufferBytes: u16(),
    reserved2: u8(), protocol: u8(), reserved3: bytes(3), iana: u32(), oemLength: u8(),
  }, 'buffers at most 8192, protocol 0 (MeshCommander stops otherwise), OEM data length 0 [bytes 12..15, 20, 22..24 unverified: zero]'),
  closeSession: spec('closeSession', 'IDERCloseSession', 'console', {}, 'the console ends IDER'),
  closeSessionReply: spec('closeSessionReply', 'IDERCloseSessionReply', 'device', {}, 'IDER ended; the device closes'),
  keepAlivePing: spec('keepAlivePing', 'IDERKeepAlivePing', 'both', {}, 'answered with a pong'),
  keepAlivePong: spec('keepAlivePong', 'IDERKeepAlivePong', 'both', {}, 'the answer to a ping'),
  resetOccurred: spec('resetOccurred', 'IDERResetOccurred', 'device', { mask: u8() }, 'the host reset the IDE channel; pending commands are gone'),
  resetOccurredResponse: spec('resetOccurredResponse', 'IDERResetOccurredResponse', 'console', {}, 'the console dropped its pending command'),
  disableEnableFeatures: spec('disableEnableFeatures', 'IDERDisableEnableFeatures', 'console', { feature: u8() },
    'feature 1 get supported (no value), 2 get register state, 3 set register state: u32 value 0x01 enable | 0x08 on reboot, 0x10 graceful, 0x18 now',
    { length: (f) => (f['feature'] === IDER_FEATURE.getSupported ? 0 : 4), maxBytes: 4, doc: '4-byte value for features 2 and 3' }),
  disableEnableFeaturesReply: spec('disableEnableFeaturesReply', 'IDERDisableEnableFeaturesReply', 'device', { feature: u8(), value: u32() },
    'feature 1: bit 0 registers available; 2: bit 1 enabled; 3: 1 when the toggle worked (MeshCommander)'),
  errorOccurred: spec('errorOccurred', 'IDERErrorOccurred', 'device', { error: u8(), reserved2: u16() }, 'the device aborted [codes unverified]'),
  heartbeat: spec('heartbeat', 'IDERHeartbeat', 'both', {}, 'either side; nothing to answer'),
  commandWritten: spec('commandWritten', 'IDERCommandWritten', 'device', {
    cableSelect: u8(), feature: u8(), sectorCount: u8(), sectorNumber: u8(), byteCount: u16(), driveSelect: u8(), command: u8(), packet: bytes(12),
  }, 'the host wrote an ATA command: 0xA0 PACKET with a 12-byte ATAPI CDB; feature bit 0 DMA; drive select bit 4 CD'),
  commandEndResponse: spec('commandEndResponse', 'IDERCommandEndResponse', 'console', response,
    'the command ended: output status 0x50 ok, 0x51 error with sense key, ASC, ASCQ'),
  getDataFromHost: spec('getDataFromHost', 'IDERGetDataFromHost', 'console', response, 'a write: the console asks for `transferBytes` from the host'),
  dataFromHost: spec('dataFromHost', 'IDERDataFromHost', 'device', { cableSelect: u8(), length: u16(), reserved2: bytes(3) },
    'data the host wrote (never sent: the media is read-only)', { length: (f) => f['length'] as number, maxBytes: IDER_BUFFER_BYTES, doc: '`length` bytes' }),
  dataToHost: spec('dataToHost', 'IDERDataToHost', 'console', { ...response, reserved2: bytes(3) },
    'data for the host\'s command; attributes bit 1 on the last part, then the output registers end the command',
    { length: (f) => f['transferBytes'] as number, maxBytes: IDER_BUFFER_BYTES, doc: '`transferBytes` bytes' }),
} as const satisfies Record<IderTypeName, IderMessageSpec>;

const BY_TYPE: ReadonlyMap<number, IderMessageSpec> = new Map(Object.values(IDER_MESSAGES).map((m) => [m.type, m]));

export interface IderFrame {
  readonly name: IderTypeName;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly payload: Uint8Array;
}

/**
 * The IDER message at the front of `buffer` sent by `sender`, and its size; undefined while incomplete.
 * @throws RedirectionError VME_ERR_REDIRECTION_MALFORMED: unknown type, the other side's message, a tail over its limit
 */
export function readIderFrame(buffer: Uint8Array, sender: Sender): { frame: IderFrame; size: number } | undefined {
  if (buffer.length === 0) return undefined;
  const message = BY_TYPE.get(buffer[0] as number);
  if (message === undefined || (message.sender !== sender && message.sender !== 'both')) {
    throw malformed('IDER', 'unknown type', `0x${(buffer[0] as number).toString(16).padStart(2, '0')} from the ${sender}`);
  }
  if (buffer.length < message.head.size) return undefined;
  const fields = message.head.parse(buffer) as Record<string, unknown>;
  const length = message.tail?.length(fields) ?? 0;
  if (message.tail && length > message.tail.maxBytes) throw malformed(message.label, 'oversized', `${length} bytes announced, at most ${message.tail.maxBytes}`);
  const size = message.head.size + length;
  if (buffer.length < size) return undefined;
  return { frame: { name: message.name, fields, payload: buffer.slice(message.head.size, size) }, size };
}

/** Builds one IDER message: unspecified fields zero; a length field naming the tail is the caller's. */
export function encodeIderFrame(name: IderTypeName, fields: Readonly<Record<string, unknown>> = {}, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const message: IderMessageSpec = IDER_MESSAGES[name];
  const out = new Uint8Array(message.head.size + payload.length);
  message.head.serialize({ ...message.head.defaults(), ...fields }, out);
  out.set(payload, message.head.size);
  return out;
}
