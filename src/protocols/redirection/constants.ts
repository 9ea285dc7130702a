/**
 * The numbers of the AMT redirection protocol (TCP 16994 / TLS 16995), declared once: message
 * types, session types, status and authentication codes, SOL control bits (brief amt-protocol.md
 * §4; amtterm `RedirectionConstants.h`, `auth.c`; MeshCommander `amt-redir-ws-0.1.0.js`).
 */

/** Message type (byte 0 of every message). */
export const REDIRECTION_TYPE = {
  startRedirectionSession: 0x10,
  startRedirectionSessionReply: 0x11,
  endRedirectionSession: 0x12,
  authenticateSession: 0x13,
  authenticateSessionReply: 0x14,
  startSol: 0x20,
  startSolReply: 0x21,
  endSol: 0x22,
  endSolReply: 0x23,
  solKeepAlivePing: 0x24,
  solKeepAlivePong: 0x25,
  /** MeshCommander sends it right after StartSOL's reply; accepted and ignored [meaning unverified]. */
  solControlsToHost: 0x27,
  solDataToHost: 0x28,
  solControlsFromHost: 0x29,
  solDataFromHost: 0x2a,
  solHeartbeat: 0x2b,
  /** KVM sessions only: the console asks for the RFB stream (MeshCommander; brief §4.5). IDER's OpenSession shares the number. */
  kvmStart: 0x40,
  /** KVM sessions only: the reply; raw RFB follows on the socket. */
  kvmStartReply: 0x41,
} as const;
export type RedirectionTypeName = keyof typeof REDIRECTION_TYPE;

/** The four ASCII bytes of StartRedirectionSession naming the session. */
export const SESSION_KIND = { sol: 'SOL ', ider: 'IDER', kvm: 'KVMR' } as const;
export type SessionKind = keyof typeof SESSION_KIND;

/** StartRedirectionSessionReply status (MPS `redirectInterceptor.ts`; MeshCommander shows 2 BUSY, 3 UNSUPPORTED). */
export const START_STATUS = { success: 0, unknownType: 1, busy: 2, unsupported: 3, error: 0xff } as const;

/** AuthenticateSession types (amtterm `auth.c` TYPE_*, MPS `AuthenticationType`). */
export const AUTH_TYPE = { query: 0, plain: 1, kerberos: 2, digest: 3, digestQop: 4 } as const;

/** AuthenticateSessionReply status: 1 is both "failed" and "here is the digest challenge". */
export const AUTH_STATUS = { success: 0, failure: 1, notSupported: 2 } as const;

/** What the device offers in the query reply, in the order amtterm and MeshCommander read it. */
export const OFFERED_AUTH_TYPES = [AUTH_TYPE.plain, AUTH_TYPE.digest, AUTH_TYPE.digestQop] as const;

/** The Digest URI both clients hash (amtterm `URI`, MeshCommander). */
export const REDIRECTION_URI = '/RedirectionService';
/** The Digest method both clients hash. */
export const REDIRECTION_METHOD = 'POST';
/** The access realm a principal needs for a redirection session. */
export const REDIRECTION_REALM = 'Redirection';

/** SOL controls-from-host (0x29) bits: control byte, then status byte (`RedirectionConstants.h`). */
export const SOL_CONTROL = { rts: 1, dtr: 2, break: 4 } as const;
export const SOL_STATUS = { txOverflow: 1, loopback: 2, systemPower: 4, rxFlushTimeout: 8, testMode: 16 } as const;

/** Caps on peer input [our limits; amtterm's buffers are 512 bytes for authentication]. */
export const REDIRECTION_LIMITS = {
  /** AuthenticateSession payload. */
  authPayloadBytes: 1024,
  /** One length-prefixed string inside it (the prefix is one byte). */
  authElementBytes: 255,
  /** SOL data to the host in one message (MeshCommander asks for 10000 bytes of buffer). */
  solDataBytes: 16384,
  /** SOL data from the host in one message when the console asked for less or nothing. */
  solChunkBytes: 1000,
} as const;
