/** Public API of the AMT redirection protocol (TCP 16994 / TLS 16995): declarations, session, authentication seam. */
export * from './constants.js';
export { RedirectionError, type RedirectionErrorCode, type RedirectionProblem } from './errors.js';
export { decodeElements, encodeElements, encodeFrame, readFrame, REDIRECTION_MESSAGES, type RedirectionFrame, type RedirectionMessageSpec, type Sender } from './messages.js';
export { digestRedirectionAuthenticator, type RedirectionAuthenticator, type RedirectionCredentials, type RedirectionVerdict } from './auth.js';
export { RedirectionSession, type RedirectionEvent, type RedirectionPhase, type RedirectionPrincipal, type RedirectionSessionOptions, type RedirectionStep, type SolSettings } from './session.js';
