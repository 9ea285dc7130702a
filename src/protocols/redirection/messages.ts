/**
 * Every redirection message, declared once (brief amt-protocol.md §4.1–§4.3; amtterm `redir.c`,
 * `auth.c`, `RedirectionConstants.h`; MeshCommander `amt-redir-ws-0.1.0.js`). All integers are
 * little-endian. A message is a fixed head (a codec struct), and for AuthenticateSession(Reply)
 * and SOL data a payload whose length the head carries. `readFrame` takes one message off the
 * front of a buffer (undefined: not all of it has arrived) and throws only RedirectionError;
 * `encodeFrame` builds one. Which side sends what is declared too: a console's message arriving
 * from the device, or the reverse, is an unknown type.
 */
import { ascii, bytes, magic, struct, u16, u32, u8, type FieldCodec, type Struct } from '../../codec/index.js';
import { REDIRECTION_LIMITS, REDIRECTION_TYPE, type RedirectionTypeName } from './constants.js';
import { malformed } from './errors.js';

export type Sender = 'console' | 'device';
type Head = Struct<Record<string, FieldCodec<unknown>>>;

export interface RedirectionMessageSpec {
  readonly name: RedirectionTypeName;
  /** Name as in the docs (`StartSOLRedirection`). */
  readonly label: string;
  readonly type: number;
  readonly sender: Sender;
  readonly head: Head;
  /** The head field holding the payload length, and the most a peer may announce. */
  readonly payload?: { readonly lengthField: string; readonly maxBytes: number };
  readonly note: string;
}

const type = (name: RedirectionTypeName): FieldCodec<number> => magic(u8(), REDIRECTION_TYPE[name]);

function spec(name: RedirectionTypeName, label: string, sender: Sender, fields: Record<string, FieldCodec<unknown>>, note: string, payload?: RedirectionMessageSpec['payload']): RedirectionMessageSpec {
  return { name, label, type: REDIRECTION_TYPE[name], sender, head: struct(label, { type: type(name), ...fields }) as Head, note, ...(payload ? { payload } : {}) };
}

/** Type, three reserved bytes, a sequence number: the 8-byte SOL messages. */
const sequenced = { reserved: bytes(3), sequence: u32() };
const authHead = { status: u8(), reserved: u16(), authType: u8(), length: u32() };
const authPayload = { lengthField: 'length', maxBytes: REDIRECTION_LIMITS.authPayloadBytes };
const solPayload = { lengthField: 'length', maxBytes: REDIRECTION_LIMITS.solDataBytes };
const solSettings = {
  maxTxBuffer: u16(), txBufferTimeout: u16(), txOverflowTimeout: u16(), hostSessionRxTimeout: u16(), hostFifoRxFlushTimeout: u16(), heartbeatInterval: u16(),
};

export const REDIRECTION_MESSAGES = {
  startRedirectionSession: spec('startRedirectionSession', 'StartRedirectionSession', 'console',
    { flags: u8(), reserved: u16(), sessionType: ascii(4) }, 'session type `SOL `, `IDER` or `KVMR` (MeshCommander sets flags 1 for KVM)'),
  startRedirectionSessionReply: spec('startRedirectionSessionReply', 'StartRedirectionSessionReply', 'device',
    { status: u8(), reserved: bytes(10), oemLength: u8() }, 'status 0 ok, 1 unknown type, 2 busy, 3 unsupported; bytes 2..11 zero [layout unverified], OEM data length 0'),
  endRedirectionSession: spec('endRedirectionSession', 'EndRedirectionSession', 'console', { reserved: bytes(3) }, 'the console leaves; the device closes'),
  authenticateSession: spec('authenticateSession', 'AuthenticateSession', 'console', authHead,
    'auth type 0 query, 1 user/password, 3 digest, 4 digest with qop; payload: 1-byte length-prefixed strings', authPayload),
  authenticateSessionReply: spec('authenticateSessionReply', 'AuthenticateSessionReply', 'device', authHead,
    'query: the offered types; digest: status 1 with realm, nonce (and qop `auth` for type 4); then status 0 or 1', authPayload),
  startSol: spec('startSol', 'StartSOLRedirection', 'console', { ...sequenced, ...solSettings, reserved2: u32() },
    'console settings (amtterm 1000, 100, 0, 10000, 0, 5000)'),
  startSolReply: spec('startSolReply', 'StartSOLRedirectionReply', 'device', { status: u8(), reserved: u16(), sequence: u32(), ...solSettings, reserved2: u16(), oemLength: u8() },
    'status 0 ok; the settings echoed [layout after the status unverified; amtterm reads 23 bytes]'),
  endSol: spec('endSol', 'EndSOLRedirection', 'console', sequenced, 'the console ends SOL'),
  endSolReply: spec('endSolReply', 'EndSOLRedirectionReply', 'device', sequenced, 'SOL ended'),
  solKeepAlivePing: spec('solKeepAlivePing', 'SOLKeepAlivePing', 'console', sequenced, 'answered with a pong'),
  solKeepAlivePong: spec('solKeepAlivePong', 'SOLKeepAlivePong', 'device', sequenced, 'the answer to a ping'),
  solControlsToHost: spec('solControlsToHost', 'SOLControlsToHost', 'console', { ...sequenced, controls: bytes(6) },
    'MeshCommander sends `00 00 1B 00 00 00` after StartSOL; accepted and ignored [meaning unverified]'),
  solDataToHost: spec('solDataToHost', 'SOLDataToHost', 'console', { ...sequenced, length: u16() }, 'bytes for the host UART', solPayload),
  solControlsFromHost: spec('solControlsFromHost', 'SOLControlsFromHost', 'device', { ...sequenced, control: u8(), status: u8() },
    'control bits RTS 1, DTR 2, BREAK 4; status bits TX overflow 1, loopback 2, system power 4, RX flush timeout 8, test mode 16'),
  solDataFromHost: spec('solDataFromHost', 'SOLDataFromHost', 'device', { ...sequenced, length: u16() }, 'bytes the host UART sent', solPayload),
  solHeartbeat: spec('solHeartbeat', 'SOLHeartbeat', 'console', sequenced, 'either side; amtterm echoes it, the device accepts it'),
  kvmStart: spec('kvmStart', 'StartKVM', 'console', { reserved: bytes(7) },
    'KVM sessions, after authentication: `40 00 00 00 00 00 00 00` (MeshCommander); the device answers 0x41, then the socket carries raw RFB'),
  kvmStartReply: spec('kvmStartReply', 'StartKVMReply', 'device', { reserved: bytes(7) },
    '8 bytes starting with 0x41 [rest unverified: zeros]; bytes after it are RFB (no VNC password: the redirection login authenticated)'),
} as const satisfies Record<RedirectionTypeName, RedirectionMessageSpec>;

const BY_TYPE: ReadonlyMap<number, RedirectionMessageSpec> = new Map(Object.values(REDIRECTION_MESSAGES).map((m) => [m.type, m]));

/** One decoded message: its head fields (names as declared) and its payload (empty for fixed messages). */
export interface RedirectionFrame {
  readonly name: RedirectionTypeName;
  readonly fields: Readonly<Record<string, unknown>>;
  readonly payload: Uint8Array;
}

/** The heartbeat goes both ways; every other message has one sender. */
const sentBy = (message: RedirectionMessageSpec, sender: Sender): boolean => message.sender === sender || message.name === 'solHeartbeat';

/**
 * Takes the message at the front of `buffer` sent by `sender`: the frame and its size, or
 * undefined when it is not complete yet.
 * @throws RedirectionError VME_ERR_REDIRECTION_MALFORMED: unknown type, or a payload length over its limit
 */
export function readFrame(buffer: Uint8Array, sender: Sender): { frame: RedirectionFrame; size: number } | undefined {
  if (buffer.length === 0) return undefined;
  const message = BY_TYPE.get(buffer[0] as number);
  if (message === undefined || !sentBy(message, sender)) throw malformed('redirection', 'unknown type', `0x${(buffer[0] as number).toString(16).padStart(2, '0')} from the ${sender}`);
  if (buffer.length < message.head.size) return undefined;
  const fields = message.head.parse(buffer) as Record<string, unknown>;
  if (message.payload === undefined) return { frame: { name: message.name, fields, payload: new Uint8Array(0) }, size: message.head.size };
  const length = fields[message.payload.lengthField] as number;
  if (length > message.payload.maxBytes) throw malformed(message.label, 'oversized', `${length} bytes announced, at most ${message.payload.maxBytes}`);
  const size = message.head.size + length;
  if (buffer.length < size) return undefined;
  return { frame: { name: message.name, fields, payload: buffer.slice(message.head.size, size) }, size };
}

/** Builds one message: unspecified head fields are zero, the payload length is filled in. */
export function encodeFrame(name: RedirectionTypeName, fields: Readonly<Record<string, unknown>> = {}, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const message: RedirectionMessageSpec = REDIRECTION_MESSAGES[name];
  const values = { ...message.head.defaults(), ...fields, ...(message.payload ? { [message.payload.lengthField]: payload.length } : {}) };
  const out = new Uint8Array(message.head.size + payload.length);
  message.head.serialize(values, out);
  out.set(payload, message.head.size);
  return out;
}

/** AuthenticateSession strings: each a length byte then that many bytes (latin1). */
export function encodeElements(elements: readonly string[]): Uint8Array {
  const parts = elements.map((element) => {
    const encoded = Buffer.from(element, 'latin1');
    if (encoded.length > REDIRECTION_LIMITS.authElementBytes) throw new RangeError(`authentication string of ${encoded.length} bytes`);
    return Buffer.concat([Uint8Array.of(encoded.length), encoded]);
  });
  return Uint8Array.from(Buffer.concat(parts));
}

/** @throws RedirectionError VME_ERR_REDIRECTION_MALFORMED when a string runs past the payload */
export function decodeElements(payload: Uint8Array, label = 'AuthenticateSession'): string[] {
  const elements: string[] = [];
  let offset = 0;
  while (offset < payload.length) {
    const length = payload[offset] as number;
    if (offset + 1 + length > payload.length) throw malformed(label, 'truncated', `string at ${offset} of ${length} bytes runs past the ${payload.length}-byte payload`);
    elements.push(Buffer.from(payload.subarray(offset + 1, offset + 1 + length)).toString('latin1'));
    offset += 1 + length;
  }
  return elements;
}
