/** Public API of the AMT redirection protocol (TCP 16994 / TLS 16995): declarations, session, authentication seam. */
export * from './constants.js';
export { RedirectionError, type RedirectionErrorCode, type RedirectionProblem } from './errors.js';
export { decodeElements, encodeElements, encodeFrame, readFrame, REDIRECTION_MESSAGES, type RedirectionFrame, type RedirectionMessageSpec, type Sender } from './messages.js';
export { digestRedirectionAuthenticator, type RedirectionAuthenticator, type RedirectionCredentials, type RedirectionVerdict } from './auth.js';
export { RedirectionSession, type RedirectionEvent, type RedirectionPhase, type RedirectionPrincipal, type RedirectionSessionOptions, type RedirectionStep, type SolSettings } from './session.js';
export { ATA_PACKET, encodeIderFrame, IDER_ATTRIBUTE, IDER_BUFFER_BYTES, IDER_DRIVE, IDER_FEATURE, IDER_MESSAGES, IDER_REGISTER, IDER_TYPE, INTEL_IANA, readIderFrame, type IderFrame, type IderMessageSpec, type IderTypeName } from './ider-messages.js';
export { atapi, expectedBytes, IDER_BLOCK_BYTES, parseReadCapacity, SCSI_OPCODE, SENSE_KEY, type IderDriveName } from './ider-scsi.js';
export { IderDevice, type IderEvent, type IderStart, type IderStep } from './ider-session.js';
