/**
 * APF (AMT Port Forwarding) numbers and names, each written once: message types, disconnect and
 * channel-open failure reasons, trigger reasons, service/request/channel-type strings and the LME
 * defaults. Source: brief amt-protocol.md §5.5 (go-wsman-messages pkg/apf/types.go, MPS
 * APFProcessor.ts); the session rules follow Intel LMS Protocol.cpp (2004-2008 BSD release).
 */

/** Message type byte (the first byte of every message). Brief §5.5 table. */
export const APF_TYPE = {
  disconnect: 1,
  serviceRequest: 5,
  serviceAccept: 6,
  userauthRequest: 50,
  userauthFailure: 51,
  userauthSuccess: 52,
  globalRequest: 80,
  requestSuccess: 81,
  requestFailure: 82,
  channelOpen: 90,
  channelOpenConfirmation: 91,
  channelOpenFailure: 92,
  channelWindowAdjust: 93,
  channelData: 94,
  channelClose: 97,
  protocolVersion: 192,
  keepaliveRequest: 208,
  keepaliveReply: 209,
  keepaliveOptionsRequest: 210,
  keepaliveOptionsReply: 211,
} as const;
export type ApfMessageName = keyof typeof APF_TYPE;

/** DISCONNECT reason codes (go-wsman-messages types.go; SSH numbering). */
export const APF_DISCONNECT_REASON = {
  hostNotAllowedToConnect: 1,
  protocolError: 2,
  keyExchangeFailed: 3,
  reserved: 4,
  macError: 5,
  compressionError: 6,
  serviceNotAvailable: 7,
  protocolVersionNotSupported: 8,
  hostKeyNotVerifiable: 9,
  connectionLost: 10,
  byApplication: 11,
  tooManyConnections: 12,
  authCancelledByUser: 13,
  noMoreAuthMethodsAvailable: 14,
  illegalUserName: 15,
} as const;

/** CHANNEL_OPEN_FAILURE reason codes (brief §5.5). */
export const APF_OPEN_FAILURE = {
  administrativelyProhibited: 1,
  connectFailed: 2,
  unknownChannelType: 3,
  resourceShortage: 4,
} as const;

/** PROTOCOLVERSION trigger reasons (go-wsman-messages types.go). rpc-go sends 9 on LME. */
export const APF_TRIGGER = { userInitiated: 1, alert: 2, hitProvisioning: 3, periodic: 4, lme: 254 } as const;

export const APF_SERVICE = { pfwd: 'pfwd@amt.intel.com', auth: 'auth@amt.intel.com' } as const;
export const APF_GLOBAL_REQUEST = {
  tcpipForward: 'tcpip-forward',
  cancelTcpipForward: 'cancel-tcpip-forward',
  udpSendTo: 'udp-send-to@amt.intel.com',
} as const;
export const APF_CHANNEL_TYPE = { forwarded: 'forwarded-tcpip', direct: 'direct-tcpip' } as const;

/** The protocol version both ends speak (brief §5.5: PROTOCOLVERSION(1, 0, …)). */
export const APF_VERSION = { major: 1, minor: 0 } as const;

/** CHANNEL_OPEN/CONFIRMATION `reserved` as LMS and MPS write it. */
export const APF_RESERVED = 0xffffffff;

/** The LME receive window LMS and rpc-go announce (GWM `LME_RX_WINDOW_SIZE`). */
export const LME_WINDOW_SIZE = 4096;

/** The LME HECI client (brief §5.2). */
export const LME_CLIENT_UUID = '6733a4db-0476-4e7b-b3af-bcfc29bee7a7';

/** AMT's ports that LMS forwards (brief §1.1): HTTP and TLS. */
export const AMT_HTTP_PORT = 16992;
export const AMT_TLS_PORT = 16993;

const reverse = <T extends Record<string, number>>(table: T): ReadonlyMap<number, keyof T> =>
  new Map(Object.entries(table).map(([name, value]) => [value, name as keyof T]));

/** Type byte → message name. */
export const APF_TYPE_NAME = reverse(APF_TYPE);
/** Disconnect reason → name. */
export const APF_DISCONNECT_REASON_NAME = reverse(APF_DISCONNECT_REASON);
/** Open failure reason → name. */
export const APF_OPEN_FAILURE_NAME = reverse(APF_OPEN_FAILURE);
