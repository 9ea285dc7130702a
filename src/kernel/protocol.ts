/**
 * The messages between the kernel and an app-host worker, over the worker's MessagePort. Every
 * message names the app instance it is about; instances of many platforms share one worker. The
 * kernel never trusts what a worker sends: the `checkWorkerMessage` guard rejects anything
 * malformed before it is routed (a malformed message faults the worker, not the kernel).
 */
import type { WireError } from './errors.js';

/** Non-secret facts about the platform every app may read at start. */
export interface PlatformInfo {
  readonly platformId: string;
  readonly firmwareVersion: string;
  readonly svn: number;
  readonly partition: 'NFTP' | 'FTPR';
  /** 'operational' or 'recovery' as booted; 'degraded' when NVRAM is unusable. */
  readonly engineState: string;
  readonly apps: readonly string[];
  /** Stable per platform, derived at boot from the device secret (never the secret itself). */
  readonly platformUuid: string;
  /** `aa:bb:cc:dd:ee:ff`: from the GbE region, or derived like the UUID (`macSource`). */
  readonly macAddress: string;
  readonly macSource: 'gbe' | 'derived';
  /** Corporate when the firmware carries the AMT host interface, else consumer. */
  readonly sku: 'corporate' | 'consumer';
}

/** What an instance is asked to do. */
export type RequestBody =
  | { readonly kind: 'start'; readonly app: string; readonly capabilities: readonly string[]; readonly platform: PlatformInfo }
  | { readonly kind: 'call'; readonly caller: string; readonly operation: string; readonly args: unknown }
  | { readonly kind: 'host-message'; readonly client: string; readonly bytes: Uint8Array };

export type KernelToWorker =
  | { readonly t: 'request'; readonly instance: number; readonly request: number; readonly body: RequestBody }
  | { readonly t: 'syscall-reply'; readonly instance: number; readonly call: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'syscall-reply'; readonly instance: number; readonly call: number; readonly ok: false; readonly error: WireError }
  | { readonly t: 'stop'; readonly instance: number }
  | { readonly t: 'ping'; readonly nonce: number };

export type WorkerToKernel =
  | { readonly t: 'reply'; readonly instance: number; readonly request: number; readonly ok: true; readonly value: unknown }
  /** `fault: true` when the app threw something other than an AppError: the instance is broken. */
  | { readonly t: 'reply'; readonly instance: number; readonly request: number; readonly ok: false; readonly fault: boolean; readonly error: WireError }
  | { readonly t: 'syscall'; readonly instance: number; readonly call: number; readonly capability: string; readonly operation: string; readonly args: unknown }
  | { readonly t: 'pong'; readonly nonce: number };

const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isShortString = (value: unknown): value is string => typeof value === 'string' && value.length <= 128;

/** True when `message` has the shape of a `WorkerToKernel` message (contents are checked later). */
export function checkWorkerMessage(message: unknown): message is WorkerToKernel {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  switch (m.t) {
    case 'reply':
      return isId(m.instance) && isId(m.request) && typeof m.ok === 'boolean' && (m.ok || (typeof m.fault === 'boolean' && typeof m.error === 'object'));
    case 'syscall':
      return isId(m.instance) && isId(m.call) && isShortString(m.capability) && isShortString(m.operation);
    case 'pong':
      return isId(m.nonce);
    default:
      return false;
  }
}
