/**
 * The provisioning state both AMT_SetupAndConfigurationService and IPS_HostBasedSetupService
 * report (brief §3.1, §6.1). Activation (IPS_HostBasedSetupService.Setup/AdminSetup) will change
 * it; until then it is what the state holds: pre-provisioning by default.
 */
import type { StateSlot } from '../state.js';

export interface ProvisioningStatus {
  /** 0 pre-provisioning, 1 in provisioning, 2 post-provisioning. */
  readonly state: 0 | 1 | 2;
  /** AMT_SetupAndConfigurationService.ProvisioningMode as AMT reports it (1 in the recorded reply). */
  readonly mode: number;
  /** IPS_HostBasedSetupService.CurrentControlMode: 0 none, 1 client (CCM), 2 admin (ACM). */
  readonly controlMode: 0 | 1 | 2;
  /** Control modes host-based setup may still reach (both while unprovisioned; MeshCentral needs length 2). */
  readonly allowedControlModes: readonly number[];
  readonly zeroTouchEnabled: boolean;
}

export const PROVISIONING: StateSlot<ProvisioningStatus> = {
  name: 'wsman/provisioning',
  initial: () => ({ state: 0, mode: 1, controlMode: 0, allowedControlModes: [2, 1], zeroTouchEnabled: true }),
};
