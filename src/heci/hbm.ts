/**
 * Host bus messages (HBM): the bus's own control protocol at address 0/0, each message declared
 * once. The first byte is the command; bit 7 marks a response. Layouts, command numbers and status
 * codes follow Linux drivers/misc/mei/hw.h (brief me-internals §3.3).
 */
import { struct, u8, u32, bytes, DecodeError, type Infer, type Struct } from '../codec/index.js';
import { uuidLe } from './uuid.js';

/** Command numbers [brief §3.3 table; hw.h `*_CMD`]. */
export const HBM_COMMAND = {
  hostStartRequest: 0x01, hostStartResponse: 0x81,
  hostStopRequest: 0x02, hostStopResponse: 0x82,
  meStopRequest: 0x03,
  hostEnumerationRequest: 0x04, hostEnumerationResponse: 0x84,
  clientPropertiesRequest: 0x05, clientPropertiesResponse: 0x85,
  clientConnectRequest: 0x06, clientConnectResponse: 0x86,
  clientDisconnectRequest: 0x07, clientDisconnectResponse: 0x87,
  flowControl: 0x08,
  notifyRequest: 0x10, notifyResponse: 0x90,
  notification: 0x11,
} as const;
export type HbmName = keyof typeof HBM_COMMAND;
export const HBM_RESPONSE_BIT = 0x80;

/** HBM status codes [hw.h `enum mei_hbm_status`]. */
export const HBM_STATUS = {
  success: 0, clientNotFound: 1, alreadyExists: 2, rejected: 3, invalidParameter: 4,
  notAllowed: 5, alreadyStarted: 6, notStarted: 7,
} as const;

/** Connect response status [hw.h `enum mei_cl_connect_status`, aliases of the HBM codes]. */
export const CONNECT_STATUS = {
  success: HBM_STATUS.success, notFound: HBM_STATUS.clientNotFound, alreadyStarted: HBM_STATUS.alreadyExists,
  outOfResources: HBM_STATUS.rejected, messageSmall: HBM_STATUS.invalidParameter, notAllowed: HBM_STATUS.notAllowed,
} as const;

/** HOST_STOP reasons [hw.h: 0 driver stop, 1..3 D-states, 4..8 S-states]; vme sends driverStop. */
export const HOST_STOP_REASON = { driverStop: 0 } as const;
/** HOST_ENUM request flags [hw.h `MEI_HBM_ENUM_F_*`]. */
export const ENUMERATION_FLAGS = { allowAdd: 0x01, immediateReply: 0x02 } as const;
/** Client properties flags byte: bit 0 single_recv_buf. */
export const PROPERTIES_SINGLE_RECEIVE_BUFFER = 0x01;

const addressPair = (name: string) => struct(name, { command: u8(), meAddress: u8(), hostAddress: u8(), reserved: u8() });
const addressStatus = (name: string) => struct(name, { command: u8(), meAddress: u8(), hostAddress: u8(), status: u8() });

/** Every HBM message, declared once (field order = byte order; all multi-byte fields LE). */
export const HBM_MESSAGES = {
  hostStartRequest: struct('HBM HOST_START request', { command: u8(), reserved: u8(), minorVersion: u8(), majorVersion: u8() }),
  hostStartResponse: struct('HBM HOST_START response', { command: u8(), hostVersionSupported: u8(), minorVersion: u8(), majorVersion: u8() }),
  hostStopRequest: struct('HBM HOST_STOP request', { command: u8(), reason: u8(), reserved: bytes(2) }),
  hostStopResponse: struct('HBM HOST_STOP response', { command: u8(), reserved: bytes(3) }),
  meStopRequest: struct('HBM ME_STOP request', { command: u8(), reason: u8(), reserved: bytes(2) }),
  hostEnumerationRequest: struct('HBM HOST_ENUM request', { command: u8(), flags: u8(), reserved: bytes(2) }),
  hostEnumerationResponse: struct('HBM HOST_ENUM response', { command: u8(), reserved: bytes(3), validAddresses: bytes(32) }),
  clientPropertiesRequest: struct('HBM HOST_CLIENT_PROPERTIES request', { command: u8(), meAddress: u8(), reserved: bytes(2) }),
  clientPropertiesResponse: struct('HBM HOST_CLIENT_PROPERTIES response', {
    command: u8(), meAddress: u8(), status: u8(), reserved: u8(),
    protocolName: uuidLe(), protocolVersion: u8(), maxConnections: u8(), fixedAddress: u8(), flags: u8(), maxMessageLength: u32(),
  }),
  clientConnectRequest: addressPair('HBM CLIENT_CONNECT request'),
  clientConnectResponse: addressStatus('HBM CLIENT_CONNECT response'),
  clientDisconnectRequest: addressPair('HBM CLIENT_DISCONNECT request'),
  clientDisconnectResponse: addressStatus('HBM CLIENT_DISCONNECT response'),
  flowControl: struct('HBM FLOW_CONTROL', { command: u8(), meAddress: u8(), hostAddress: u8(), reserved: bytes(5) }),
  notifyRequest: struct('HBM NOTIFY request', { command: u8(), meAddress: u8(), hostAddress: u8(), start: u8() }),
  notifyResponse: struct('HBM NOTIFY response', { command: u8(), meAddress: u8(), hostAddress: u8(), status: u8(), start: u8(), reserved: bytes(3) }),
  notification: addressPair('HBM NOTIFICATION event'),
} as const satisfies Record<HbmName, { readonly name: string; readonly size: number }>;

export type HbmFields<K extends HbmName> = Infer<(typeof HBM_MESSAGES)[K]>;
/** A decoded HBM message: its name and fields (discriminated by `name`). */
export type HbmMessage = { [K in HbmName]: { readonly name: K; readonly fields: HbmFields<K> } }[HbmName];

const NAME_BY_COMMAND: ReadonlyMap<number, HbmName> = new Map(
  (Object.entries(HBM_COMMAND) as [HbmName, number][]).map(([name, command]) => [command, name]),
);

/** The name of an HBM command number, or undefined for one vme does not speak. */
export const hbmName = (command: number): HbmName | undefined => NAME_BY_COMMAND.get(command);

/** Serializes an HBM message; the command byte and unnamed reserved fields are filled in. */
export function encodeHbm<K extends HbmName>(name: K, fields: Partial<Omit<HbmFields<K>, 'command'>>): Uint8Array {
  const layout = HBM_MESSAGES[name] as unknown as Struct<Record<string, never>>;
  const value = layout.defaults({ ...fields, command: HBM_COMMAND[name] } as never);
  return layout.serialize(value);
}

/**
 * Decodes one HBM payload: a known command and exactly its declared size.
 * @throws DecodeError for an empty payload, an unknown command, or a wrong length
 */
export function decodeHbm(payload: Uint8Array): HbmMessage {
  const command = payload[0];
  if (command === undefined) throw new DecodeError({ structure: 'HBM', field: 'command', offset: 0, reason: 'truncated', expected: '1 byte', actual: '0 bytes' });
  const name = hbmName(command);
  if (name === undefined) throw new DecodeError({ structure: 'HBM', field: 'command', offset: 0, reason: 'unknown command', actual: `0x${command.toString(16)}` });
  if (name === 'flowControl' && payload.length === FLOW_CONTROL_BYTES) return decodeFlowControl(payload);
  const layout = HBM_MESSAGES[name] as unknown as Struct<Record<string, never>>;
  if (payload.length > layout.size) {
    throw new DecodeError({ structure: layout.name, field: '(whole)', offset: 0, reason: 'trailing bytes', expected: `${layout.size} bytes`, actual: `${payload.length} bytes` });
  }
  return { name, fields: layout.parse(payload) } as unknown as HbmMessage;
}

const FLOW_CONTROL_BYTES = HBM_MESSAGES.flowControl.size;
const FLOW_CONTROL_ME = HBM_MESSAGES.flowControl.offsetOf('meAddress');
const FLOW_CONTROL_HOST = HBM_MESSAGES.flowControl.offsetOf('hostAddress');
const FLOW_CONTROL_RESERVED = HBM_MESSAGES.flowControl.offsetOf('reserved');

/** Hot path (one FLOW_CONTROL per message each way): the same fields as the struct, read directly at its offsets. */
function decodeFlowControl(payload: Uint8Array): HbmMessage {
  const fields: HbmFields<'flowControl'> = {
    command: HBM_COMMAND.flowControl, meAddress: payload[FLOW_CONTROL_ME] ?? 0, hostAddress: payload[FLOW_CONTROL_HOST] ?? 0,
    reserved: payload.slice(FLOW_CONTROL_RESERVED),
  };
  return { name: 'flowControl', fields };
}
