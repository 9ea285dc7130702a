/**
 * Handlers that read the engine's AMT provisioning state (src/amt-state): provisioning state and
 * mode, control mode, DNS suffix, certificate hash table, local system account, EHBC.
 */
import { CONTROL_MODE, PROVISIONING_STATE, hashAlgorithmNumber } from '../../amt-state/index.js';
import { AMT_STATUS } from './constants.js';
import { encodeAnsiString } from './fields.js';
import { concat, fail, ok, pad64, type PthiHandler } from './handler.js';
import * as m from './messages.js';

/** GetProvisioningState (0x04000011), brief §5.3/§6.1. Request: header only. Data: state u32 (0 PRE, 1 IN, 2 POST). */
export const getProvisioningState: PthiHandler = async (_body, { state }) =>
  ok(m.ProvisioningStateResponse.serialize({ provisioningState: PROVISIONING_STATE[(await state.provisioning()).state] }));

/** GetControlMode (0x0400006B), brief §5.3/§6.1. Request: header only. Data: mode u32 (0 none, 1 client, 2 admin). */
export const getControlMode: PthiHandler = async (_body, { state }) =>
  ok(m.ControlModeResponse.serialize({ controlMode: CONTROL_MODE[(await state.provisioning()).mode] }));

/**
 * GetProvisioningMode (0x04000008), brief §5.3 (MeshCentral amt-mei.js). Request: header only.
 * Data: mode u32 (0 none, 1 enterprise), legacy u32 (0). Provisioned engines report enterprise.
 */
export const getProvisioningMode: PthiHandler = async (_body, { state }) =>
  ok(m.ProvisioningModeResponse.serialize({ provisioningMode: (await state.provisioning()).state === 'post' ? 1 : 0, legacyMode: 0 }));

/** GetPKIFQDNSuffix (0x04000036), brief §5.3. Request: header only. Data: AMT_ANSI_STRING suffix. */
export const getPkiFqdnSuffix: PthiHandler = async (_body, { state }) => ok(encodeAnsiString(await state.dnsSuffix()));

/** EnumerateHashHandles (0x0400002C), brief §5.3. Request: header only. Data: count u32, handles u32[33]. */
export const enumerateHashHandles: PthiHandler = async (_body, { state }) => {
  const handles = (await state.certificateHashes()).map((entry) => entry.handle);
  return ok(m.HashHandlesResponse.serialize({ count: handles.length, handles: [...handles, ...new Array<number>(33 - handles.length).fill(0)] }));
};

/**
 * GetCertHashEntry (0x0400002D), brief §5.3. Request: handle u32. Data: IsDefault u32, IsActive
 * u32, CertificateHash[64], HashAlgorithm u8, Name AMT_ANSI_STRING. Unknown handle: INVALID_HANDLE.
 */
export const getCertHashEntry: PthiHandler = async (body, { state }) => {
  const entry = await state.certificateHash(m.CertHashEntryRequest.parse(body).handle);
  if (!entry) return fail(AMT_STATUS.invalidHandle);
  const fixed = m.CertHashEntryResponse.serialize({
    isDefault: entry.isDefault ? 1 : 0, isActive: entry.isActive ? 1 : 0, certificateHash: pad64(entry.hash), hashAlgorithm: hashAlgorithmNumber(entry.algorithm),
  });
  return ok(concat(fixed, encodeAnsiString(entry.name)));
};

/**
 * GetLocalSystemAccount (0x04000067), brief §5.3. Request: 40 zero bytes. Data: Username[33],
 * Password[33] NUL-padded, 2 reserved — exactly 68 bytes (MeshCentral checks the length).
 */
export const getLocalSystemAccount: PthiHandler = async (_body, { state }) => {
  const account = await state.localSystemAccount();
  return ok(m.LocalSystemAccountResponse.serialize({ username: account.username, password: account.password, reserved: new Uint8Array(2) }));
};

/**
 * GetEHBCState (0x04000084), brief §5.3. Request: header only. Data: u32, nonzero when embedded
 * host-based configuration is on. This engine models no EHBC: always 0.
 */
export const getEhbcState: PthiHandler = () => ok(m.EhbcStateResponse.serialize({ ehbcState: 0 }));
