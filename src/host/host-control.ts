/**
 * The host-control capability's requests, served by a `Host`. The kernel (src/kernel/services.ts)
 * lets an app with grant `host:power` ask for on/off/reset/cycle/sleep (and hibernate, nmi,
 * off-graceful, reset-graceful: every RequestPowerStateChange value the host serves) and with `host:boot` set the
 * next POST's one-time boot device; the platform wires that port here. Each power word maps to its RequestPowerStateChange number, declared once.
 */
import { VmeError } from '../common/errors.js';
import type { Host } from './host.js';
import { CIM_POWER_STATE } from './power.js';

/** Power words of the `host:power` capability → CIM RequestPowerStateChange values. */
export const HOST_CONTROL_POWER = {
  on: CIM_POWER_STATE.on,
  off: CIM_POWER_STATE.offSoft,
  reset: CIM_POWER_STATE.masterBusReset,
  cycle: CIM_POWER_STATE.powerCycleOffSoft,
  sleep: CIM_POWER_STATE.sleepDeep,
  hibernate: CIM_POWER_STATE.hibernate,
  nmi: CIM_POWER_STATE.diagnosticInterrupt,
  'off-graceful': CIM_POWER_STATE.offSoftGraceful,
  'reset-graceful': CIM_POWER_STATE.masterBusResetGraceful,
} as const;

export type HostControlLine = 'power' | 'boot' | 'serial' | 'framebuffer';

/**
 * Serves one host-control request; true when the host accepted it. Serial open/close and
 * framebuffer attach/detach are accepted (the SOL and KVM sessions use the host's seams directly).
 * @throws VmeError only for errors other than the host's own refusals (a bug).
 */
export function serveHostControl(host: Host, line: HostControlLine, request: string): boolean {
  if (line === 'boot') return setOneTimeBoot(host, request);
  if (line !== 'power') return line === 'serial' ? request === 'open' || request === 'close' : request === 'attach' || request === 'detach';
  const value = (HOST_CONTROL_POWER as Record<string, number>)[request];
  if (value === undefined) return false;
  try {
    host.requestPowerState(value, 'management');
    return true;
  } catch (error) {
    if (error instanceof VmeError && error.code.startsWith('VME_ERR_HOST_')) return false;
    throw error;
  }
}

/** `host:boot`: the next POST boots once from `request` ('none' clears); false for a device the host refuses. */
function setOneTimeBoot(host: Host, request: string): boolean {
  try {
    host.setOneTimeBoot(request === 'none' ? undefined : request);
    return true;
  } catch (error) {
    if (error instanceof VmeError && error.code.startsWith('VME_ERR_HOST_')) return false;
    throw error;
  }
}
