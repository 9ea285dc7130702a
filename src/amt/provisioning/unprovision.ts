/**
 * Back to the factory (AMT_SetupAndConfigurationService.Unprovision, brief §6.4): every WsmanState
 * slot not marked `unprovision: 'keep'` returns to its default (provisioning state and mode, the
 * hash table, DNS suffixes, settings of every class), the account table is emptied (nobody logs in
 * as admin any more), certificates, keys and TLS go back to off (src/amt/wsman/classes/tls-state.ts),
 * "Unprovisioning Started" is recorded and `provisioning-changed` queued. Over WS-Man both control
 * modes may be unprovisioned (ACM only here: PTHI Unprovision refuses it).
 */
import { recordAudit, resetAccounts } from '../accounts/index.js';
import type { Instance, MethodResult, WsmanContext } from '../wsman/declaration.js';
import { PROVISIONING } from '../wsman/classes/provisioning.js';
import { resetCertificates } from '../wsman/classes/tls-state.js';
import { resetOnUnprovision, resetSlots, type WsmanState } from '../wsman/state.js';
import { SETUP_AND_CONFIGURATION_RETURN as R } from './return-values.js';

/** Unprovision ProvisioningMode values accepted: 0 (current mode) and 1 (what RPS sends). */
const UNPROVISION_MODES: readonly unknown[] = [undefined, 0, 1];

/** Every resettable slot back to its default; then the account table and the TLS setup by their owners' rules. */
export function factoryReset(state: WsmanState): void {
  resetSlots(state, resetOnUnprovision);
  resetAccounts(state);
  resetCertificates(state);
}

/** Unprovision(ProvisioningMode): refused in pre-provisioning (nothing to undo). */
export function unprovision(context: WsmanContext, input: Instance): MethodResult {
  if (!UNPROVISION_MODES.includes(input['ProvisioningMode'])) return { returnValue: R.invalidParameter };
  if (context.state.get(PROVISIONING).state === 0) return { returnValue: R.notPermitted };
  factoryReset(context.state);
  const via = context.origin === 'local' ? 'local-wsman' : 'remote-wsman';
  recordAudit(context.state, { kind: 'unprovisioning-started', via, by: { kind: 'digest', user: context.principal.user }, at: context.device.now() });
  context.device.act({ kind: 'provisioning-changed' });
  return { returnValue: R.success };
}
