/**
 * Client-control activation as the host's own tooling does it (rpc-go `activate -local`): an
 * IPS_HostBasedSetupService.Setup request over the local interface as the local system account,
 * with the admin HA1 = MD5("admin:" + realm + ":" + password). It runs through the same WS-Man
 * handler, mutex and commit as any request, so PTHI and WS-Man see the result at once. What
 * `vme up` (and tests) use until an LME session carries rpc-go itself.
 */
import { checkAmtPassword, LOCAL_SYSTEM_REALMS } from '../../amt/accounts/index.js';
import { userHA1 } from '../../amt/auth/users.js';
import type { AmtHandler } from '../../amt/http/index.js';
import { SETUP_ADMIN_USER } from '../../amt/provisioning/admin-password.js';
import { ANONYMOUS, NS, SCHEMA_BASE } from '../../amt/wsman/namespaces.js';
import { AppError } from '../../kernel/app-api.js';

const SERVICE = `${SCHEMA_BASE.IPS}IPS_HostBasedSetupService`;
/** NetAdminPassEncryptionType 2: HTTP Digest MD5 A1. */
const DIGEST_MD5_A1 = 2;

/** The Setup request envelope (wsman-messages shape). */
export function setupEnvelope(ha1: string): string {
  return `<?xml version="1.0" encoding="utf-8"?><Envelope xmlns="${NS.soap}" xmlns:a="${NS.addressing}" xmlns:w="${NS.wsman}">`
    + `<Header><a:Action>${SERVICE}/Setup</a:Action><a:To>/wsman</a:To><w:ResourceURI>${SERVICE}</w:ResourceURI><a:MessageID>1</a:MessageID>`
    + `<a:ReplyTo><a:Address>${ANONYMOUS}</a:Address></a:ReplyTo><w:OperationTimeout>PT60S</w:OperationTimeout></Header>`
    + `<Body><h:Setup_INPUT xmlns:h="${SERVICE}"><h:NetAdminPassEncryptionType>${DIGEST_MD5_A1}</h:NetAdminPassEncryptionType>`
    + `<h:NetworkAdminPassword>${ha1}</h:NetworkAdminPassword></h:Setup_INPUT></Body></Envelope>`;
}

/**
 * Activates client control mode with `password` as the admin's; returns Setup's ReturnValue
 * (0 success, 2 invalid state: already activated, ...).
 * @throws AppError invalid-argument for a password AMT's rule refuses; internal for a fault.
 */
export async function activateClientControl(handler: AmtHandler, realm: string, account: { readonly username: string }, password: string): Promise<number> {
  const problem = checkAmtPassword(password);
  if (problem !== undefined) throw new AppError('invalid-argument', `the admin password breaks AMT's rule: ${problem}`);
  const ha1 = userHA1({ user: SETUP_ADMIN_USER, passwordOrHA1: { password }, realms: [] }, realm);
  const response = await handler({
    method: 'POST', path: '/wsman', headers: new Map(), body: new TextEncoder().encode(setupEnvelope(ha1)),
    principal: { user: account.username, realms: LOCAL_SYSTEM_REALMS }, transport: 'http', origin: 'local', remote: { address: '127.0.0.1', port: 0 },
  });
  const body = response.kind === 'wsman' ? Buffer.from(response.body).toString() : '';
  const value = /<(?:\w+:)?ReturnValue>([0-9]+)</.exec(body)?.[1];
  if (response.kind !== 'wsman' || response.status !== 200 || value === undefined) throw new AppError('internal', `Setup was not answered: ${body.slice(0, 200)}`);
  return Number(value);
}
