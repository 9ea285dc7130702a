/** Public API of vme's MEBX HECI protocol: numbers, declarations, the sans-I/O server and the host-side client. */
export * from './constants.js';
export * from './messages.js';
export { MEBX_MESSAGES, type MebxAccess, type MebxMessageSpec } from './table.js';
export { createMebxServer, type MebxServer, type MebxServerOptions } from './server.js';
export type { MebxStateStorage } from './handlers.js';
export { MebxPasswordStore, MEBX_PASSWORD_KEY, DEFAULT_SCRYPT_COST, type MebxNvram, type Awaitable } from './password-store.js';
export { checkMebxPassword, PASSWORD_RULE_TEXT } from './password-rules.js';
export { formatIpv4, parseIpv4, staticProblem } from './settings.js';
export { MebxClient, passwordField, type LoginOutcome, type MebxTransport, type MebxView } from './client.js';
export { MebxError, MebxRefused, isMebxRefused } from './errors.js';
