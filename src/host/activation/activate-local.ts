/**
 * Local client-control-mode activation, end to end as rpc-go `activate -local -ccm` does it: the
 * local system account over PTHI (MEI), then WS-Man through LMS (the host's 127.0.0.1:16992,
 * tunnelled over the LME HECI client) with those credentials, then a PTHI check that the control
 * mode is now client. A platform that is already activated is left alone.
 */
import { activateClientControlMode, WsmanClient } from '../../client/index.js';
import { VmeError } from '../../common/errors.js';
import { readLocalAmtFacts } from './local-account.js';

export interface LocalActivationOptions {
  /** The MEI device socket. */
  readonly device: string;
  /** Where LMS listens for AMT's HTTP port. */
  readonly lms: { readonly address: string; readonly port: number };
  readonly password: string;
  readonly timeoutMs?: number;
}

export interface LocalActivationResult {
  /** 'activated' now, or 'already' (control mode was not none). */
  readonly outcome: 'activated' | 'already';
  readonly controlMode: number;
  readonly realm?: string;
}

/** @throws VmeError VME_ERR_AMT_ACTIVATION / VME_ERR_AMT_CLIENT */
export async function activateLocally(options: LocalActivationOptions): Promise<LocalActivationResult> {
  const before = await readLocalAmtFacts(options.device);
  if (before.controlMode !== 0) return { outcome: 'already', controlMode: before.controlMode };
  const client = new WsmanClient({
    host: options.lms.address, port: options.lms.port, user: before.account.username, password: before.account.password, timeoutMs: options.timeoutMs ?? 30_000,
  });
  let realm: string;
  try {
    realm = (await activateClientControlMode(client, options.password)).realm;
  } finally {
    client.close();
  }
  const after = await readLocalAmtFacts(options.device);
  if (after.controlMode !== 1) throw new VmeError('VME_ERR_AMT_ACTIVATION', `Setup returned success but PTHI reports control mode ${after.controlMode}`);
  return { outcome: 'activated', controlMode: 1, realm };
}
