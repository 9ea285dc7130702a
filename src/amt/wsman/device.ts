/**
 * The device seam of the WS-Man layer: what a class handler may observe of the platform beyond
 * its state slots (host power, the clock) and the actions it may ask for (power the host, commit
 * staged settings). Class code stays synchronous: `act` only queues; whoever owns the handler
 * (the AMT app) performs the queued actions after the request's state is persisted and before the
 * reply is sent (`WsmanHandlerOptions.afterDispatch`). `RecordingDevice` is the in-memory
 * implementation for tests and for running the layer alone.
 */

/** Host power requests the engine's `host:power` line understands (src/kernel/services.ts HOST_REQUESTS). */
export type HostPowerRequest = 'on' | 'off' | 'reset' | 'cycle' | 'sleep' | 'hibernate' | 'nmi' | 'off-graceful' | 'reset-graceful';

/** Devices the `host:boot` line can make the next POST boot from once (src/host/boot-order.ts names); 'none' clears. */
export type BootTarget = 'none' | 'disk' | 'pxe' | 'cd' | 'ider-cd' | 'ider-floppy';

/** Something a handler asks the device to do once the request's state is safe in NVRAM. */
export type DeviceAction =
  | { readonly kind: 'power'; readonly request: HostPowerRequest }
  /** The next host boot (only) uses this device: AMT_BootSettingData / boot-config role applied at the power action. */
  | { readonly kind: 'boot-override'; readonly target: BootTarget }
  /** AMT_SetupAndConfigurationService.CommitChanges: staged settings (TLS, ...) take effect. */
  | { readonly kind: 'commit' }
  /** Provisioning changed (activated or unprovisioned): accounts, TLS identity and listeners follow. */
  | { readonly kind: 'provisioning-changed' };

export interface DevicePort {
  /** The host's power state as last observed, a CIM PowerState number (2 on, 4 sleep, 7 hibernate, 8 off; brief §3.3). */
  hostPowerState(): number;
  /** Queues `action`; performed after state is persisted, in the order queued. */
  act(action: DeviceAction): void;
  /** Engine clock, ms since the epoch (injectable in tests). */
  now(): number;
}

/** Records actions instead of performing them; power state and clock settable by the test. */
export class RecordingDevice implements DevicePort {
  readonly actions: DeviceAction[] = [];
  powerState = 2;
  clock: () => number = Date.now;

  hostPowerState(): number {
    return this.powerState;
  }

  act(action: DeviceAction): void {
    this.actions.push(action);
  }

  now(): number {
    return this.clock();
  }
}
