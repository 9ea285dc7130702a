/**
 * Client control mode activation as rpc-go and RPS perform it (brief §6.2), for `vme up` and
 * tests: read the Digest realm (AMT_GeneralSettings), check the host-based setup service allows
 * client control, then IPS_HostBasedSetupService.Setup with type 2 and the lower-case hex
 * MD5("admin:" + realm + ":" + password). Must run over the local interface (LMS) with the local
 * system account, as the device refuses it from the network.
 */
import { VmeError } from '../common/errors.js';
import { md5Hex } from '../amt/auth/md5.js';
import type { WsmanClient } from './wsman-client.js';

export interface ActivationResult {
  readonly realm: string;
  /** Control mode after the call: 1 client control. */
  readonly controlMode: number;
}

const text = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

/** @throws VmeError VME_ERR_AMT_ACTIVATION with the device's ReturnValue, or VME_ERR_AMT_CLIENT */
export async function activateClientControlMode(client: WsmanClient, password: string): Promise<ActivationResult> {
  const realm = text((await client.get('AMT_GeneralSettings')).DigestRealm);
  if (realm === undefined) throw new VmeError('VME_ERR_AMT_ACTIVATION', 'AMT_GeneralSettings has no DigestRealm');
  const setup = await client.get('IPS_HostBasedSetupService');
  const allowed = ([] as string[]).concat(setup.AllowedControlModes ?? []);
  if (text(setup.CurrentControlMode) !== '0') throw new VmeError('VME_ERR_AMT_ACTIVATION', `the device is already activated (control mode ${text(setup.CurrentControlMode) ?? '?'})`);
  if (!allowed.includes('1')) throw new VmeError('VME_ERR_AMT_ACTIVATION', `host-based setup does not allow client control mode (allowed: ${allowed.join(', ') || 'none'})`);
  const reply = await client.invoke('IPS_HostBasedSetupService', 'Setup', { NetAdminPassEncryptionType: 2, NetworkAdminPassword: md5Hex(`admin:${realm}:${password}`) });
  const code = text(reply.ReturnValue);
  if (code !== '0') throw new VmeError('VME_ERR_AMT_ACTIVATION', `IPS_HostBasedSetupService.Setup returned ${code ?? '(nothing)'}`, { returnValue: code ?? '' });
  return { realm, controlMode: 1 };
}
