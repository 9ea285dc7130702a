/**
 * Every APF message, declared once (brief amt-protocol.md §5.5 table; layouts from MPS
 * APFProcessor.ts and go-wsman-messages pkg/apf as the brief cites them), and the two entry
 * points: `decodeApf` (bytes → a tagged message; throws only ApfError) and `encodeApf`.
 */
import { u16be } from '../../codec/index.js';
import { APF_TYPE_NAME, type ApfMessageName } from './constants.js';
import { malformed } from './errors.js';
import { data, fixed, group, message, optional, raw, text, u32, u8, type ApfMessageSpec, type Values } from './fields.js';

/** Caps on peer input [our limits; MPS/GWM cap names at 2048]. */
export const APF_LIMITS = {
  /** Largest message accepted (the HECI maximum a manifest may grant). */
  messageBytes: 65536,
  /** Service, request, method and channel-type names. */
  nameBytes: 64,
  /** Host names and IP literals. */
  addressBytes: 256,
  /** User names, passwords, method lists. */
  credentialBytes: 1024,
} as const;

/** CHANNEL_DATA header: type, recipient channel, data length. */
export const CHANNEL_DATA_HEADER_BYTES = 9;

const name = (): ReturnType<typeof text> => text(APF_LIMITS.nameBytes);
const address = (): ReturnType<typeof text> => text(APF_LIMITS.addressBytes);
const credential = (): ReturnType<typeof text> => text(APF_LIMITS.credentialBytes);

export const APF_MESSAGES = {
  disconnect: message('disconnect', 'DISCONNECT', { reason: u32(), reserved: fixed(u16be(), 'u16be') }),
  serviceRequest: message('serviceRequest', 'SERVICE_REQUEST', { service: name() }),
  serviceAccept: message('serviceAccept', 'SERVICE_ACCEPT', { service: name() }),
  userauthRequest: message('userauthRequest', 'USERAUTH_REQUEST', {
    user: credential(), service: name(), method: name(),
    // present with method `password`: a FALSE byte then the password
    password: optional(group({ changePassword: u8(), password: credential() })),
  }),
  userauthFailure: message('userauthFailure', 'USERAUTH_FAILURE', { methods: credential(), partialSuccess: u8() }),
  userauthSuccess: message('userauthSuccess', 'USERAUTH_SUCCESS', {}),
  globalRequest: message('globalRequest', 'GLOBAL_REQUEST', {
    request: name(), wantReply: u8(),
    // tcpip-forward and cancel-tcpip-forward: the address and port to listen on
    forward: optional(group({ address: address(), port: u32() })),
  }),
  requestSuccess: message('requestSuccess', 'REQUEST_SUCCESS', { port: optional(u32()) }),
  requestFailure: message('requestFailure', 'REQUEST_FAILURE', {}),
  channelOpen: message('channelOpen', 'CHANNEL_OPEN', {
    channelType: name(), senderChannel: u32(), initialWindow: u32(), reserved: u32(),
    connectedAddress: address(), connectedPort: u32(), originatorAddress: address(), originatorPort: u32(),
  }),
  channelOpenConfirmation: message('channelOpenConfirmation', 'CHANNEL_OPEN_CONFIRMATION', {
    recipientChannel: u32(), senderChannel: u32(), initialWindow: u32(), reserved: u32(),
  }),
  channelOpenFailure: message('channelOpenFailure', 'CHANNEL_OPEN_FAILURE', {
    recipientChannel: u32(), reason: u32(), reserved: u32(), reserved2: u32(),
  }),
  channelWindowAdjust: message('channelWindowAdjust', 'CHANNEL_WINDOW_ADJUST', { recipientChannel: u32(), bytesToAdd: u32() }),
  channelData: message('channelData', 'CHANNEL_DATA', { recipientChannel: u32(), data: data(APF_LIMITS.messageBytes - CHANNEL_DATA_HEADER_BYTES) }),
  channelClose: message('channelClose', 'CHANNEL_CLOSE', { recipientChannel: u32() }),
  protocolVersion: message('protocolVersion', 'PROTOCOLVERSION', {
    major: u32(), minor: u32(), triggerReason: u32(),
    uuid: raw(16), // system UUID, the byte order of PTHI GetUUID
    reserved: raw(64),
  }),
  keepaliveRequest: message('keepaliveRequest', 'KEEPALIVE_REQUEST', { cookie: u32() }),
  keepaliveReply: message('keepaliveReply', 'KEEPALIVE_REPLY', { cookie: u32() }),
  keepaliveOptionsRequest: message('keepaliveOptionsRequest', 'KEEPALIVE_OPTIONS_REQUEST', { intervalSeconds: u32(), timeoutSeconds: u32() }),
  keepaliveOptionsReply: message('keepaliveOptionsReply', 'KEEPALIVE_OPTIONS_REPLY', { intervalSeconds: u32(), timeoutSeconds: u32() }),
} as const;

type Specs = typeof APF_MESSAGES;
type FieldsOf<S> = S extends ApfMessageSpec<ApfMessageName, infer F> ? F : never;

/** One decoded message of kind `K`. */
export type ApfMessageOf<K extends ApfMessageName> = { readonly kind: K } & Values<FieldsOf<Specs[K]>>;
/** Any decoded message, tagged by `kind`. */
export type ApfMessage = { [K in ApfMessageName]: ApfMessageOf<K> }[ApfMessageName];

/**
 * Decodes one whole APF message (one HECI message carries exactly one).
 * @throws ApfError VME_ERR_APF_MALFORMED: empty, over `maxBytes`, unknown type, truncated, oversized field, trailing bytes
 */
export function decodeApf(bytes: Uint8Array, maxBytes: number = APF_LIMITS.messageBytes): ApfMessage {
  if (bytes.length === 0) throw malformed('APF', 'type', 0, 'truncated', 'empty message');
  if (bytes.length > maxBytes) throw malformed('APF', '(whole)', 0, 'oversized', `${bytes.length} bytes, at most ${maxBytes}`);
  const kind = APF_TYPE_NAME.get(bytes[0] ?? 0);
  if (kind === undefined) throw malformed('APF', 'type', 0, 'unknown type', `type ${bytes[0] ?? 0}`);
  const spec = APF_MESSAGES[kind] as ApfMessageSpec<ApfMessageName, Record<string, never>>;
  return { kind, ...spec.parse(bytes) } as ApfMessage;
}

/** Encodes one message. @throws RangeError when a value does not fit its field (a caller bug). */
export function encodeApf(msg: ApfMessage): Uint8Array {
  const spec = APF_MESSAGES[msg.kind] as ApfMessageSpec<ApfMessageName, Record<string, never>>;
  return spec.serialize(msg as unknown as Values<Record<string, never>>);
}

/** A message of `kind` with every field at its fallback, then `fields`. */
export function apf<K extends ApfMessageName>(kind: K, fields: Partial<Values<FieldsOf<Specs[K]>>> = {}): ApfMessageOf<K> {
  const spec = APF_MESSAGES[kind] as unknown as ApfMessageSpec<K, FieldsOf<Specs[K]>>;
  return { kind, ...spec.defaults(fields) } as ApfMessageOf<K>;
}
