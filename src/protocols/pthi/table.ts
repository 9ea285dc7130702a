/**
 * One row per PTHI command of brief §5.3: its request body layouts, its response data layout and
 * whether this engine answers it. Dispatch, size checks and the reference doc all derive from it.
 */
import type { FieldCodec, Struct } from '../../codec/index.js';
import type { PthiCommandName } from './constants.js';
import * as m from './messages.js';

export type AnyStruct = Struct<Record<string, FieldCodec<unknown>>>;

export interface PthiMessageSpec {
  /** Accepted request bodies (first is canonical); none = the header alone. */
  readonly requests: readonly AnyStruct[];
  /** Response data after the status; none = status only. */
  readonly response?: AnyStruct;
  /** Name of an AMT_ANSI_STRING that ends the response. */
  readonly trailingString?: string;
  /** False: declared by the brief without a layout; answered AMT_STATUS_UNSUPPORTED. */
  readonly answered: boolean;
}

const none: readonly AnyStruct[] = [];
const only = (...requests: AnyStruct[]): readonly AnyStruct[] => requests;
const unanswered: PthiMessageSpec = { requests: none, answered: false };

export const PTHI_MESSAGES: Readonly<Record<PthiCommandName, PthiMessageSpec>> = {
  getAmtState: unanswered,
  getProvisioningMode: { requests: none, response: m.ProvisioningModeResponse, answered: true },
  unprovision: { requests: only(m.UnprovisionRequest), response: m.UnprovisionResponse, answered: true },
  getProvisioningState: { requests: none, response: m.ProvisioningStateResponse, answered: true },
  getCodeVersions: { requests: none, response: m.CodeVersionsResponse, answered: true },
  getSecurityParameters: unanswered,
  getMacAddresses: { requests: none, response: m.MacAddressesResponse, answered: true },
  generateRngSeed: { requests: none, answered: true },
  startConfiguration: unanswered,
  setProvisioningServerOtp: unanswered,
  getProvisioningTlsMode: unanswered,
  enumerateHashHandles: { requests: none, response: m.HashHandlesResponse, answered: true },
  getCertHashEntry: { requests: only(m.CertHashEntryRequest), response: m.CertHashEntryResponse, trailingString: 'name', answered: true },
  getRngSeedStatus: { requests: none, answered: true },
  setDnsSuffix: unanswered,
  getZeroTouchEnabled: unanswered,
  getPkiFqdnSuffix: { requests: none, trailingString: 'suffix', answered: true },
  getDnsSuffixList: unanswered,
  setEnterpriseAccess: unanswered,
  openUserInitiatedConnection: unanswered,
  closeUserInitiatedConnection: unanswered,
  getRemoteAccessConnectionStatus: { requests: none, response: m.RemoteAccessStatusResponse, trailingString: 'mpsHostname', answered: true },
  getCurrentPowerPolicy: unanswered,
  getLanInterfaceSettings: { requests: only(m.LanInterfaceSettingsRequest), response: m.LanInterfaceSettingsResponse, answered: true },
  getFeaturesState: unanswered,
  getLastHostResetReason: unanswered,
  getFqdn: unanswered,
  setHostFqdn: unanswered,
  getUuid: { requests: none, response: m.UuidResponse, answered: true },
  stopConfiguration: { requests: none, answered: true },
  getLocalSystemAccount: { requests: only(m.LocalSystemAccountRequest), response: m.LocalSystemAccountResponse, answered: true },
  getControlMode: { requests: none, response: m.ControlModeResponse, answered: true },
  getEhbcState: { requests: none, response: m.EhbcStateResponse, answered: true },
  startConfigurationHBased: {
    requests: only(m.StartConfigurationHBasedRequest, m.StartConfigurationHBasedShortRequest, m.StartConfigurationHBasedLongRequest),
    response: m.StartConfigurationHBasedResponse, answered: true,
  },
  getCiraLog: unanswered,
};
