/**
 * What the kernel does with a failed syscall besides handing the app its typed error:
 * - engine memory that failed integrity at page-in (`VME_ERR_UMA_INTEGRITY`, the host modified,
 *   swapped or replayed the page in UMA): a `uma` trace event with the app and page, and the error
 *   becomes an `InstanceFaultError`, so the instance is faulted after the app receives it — a
 *   careless app cannot go on with lost state;
 * - engine memory without UMA (`VME_ERR_UMA_UNAVAILABLE`, degraded mode before DRAM-init-done):
 *   a `uma` `memory-degraded` event;
 * - NVRAM used while the mount failed: an `nvram-refused` event naming the app and the code.
 */
import { VmeError } from '../common/errors.js';
import { InstanceFaultError } from './errors.js';
import type { CapabilityKind } from './syscalls.js';
import type { Trace } from './trace.js';

/** The failed syscall, as the kernel saw it. */
export interface FailedSyscall {
  readonly app: string;
  readonly incarnation: number;
  readonly kind: CapabilityKind;
  readonly operation: string;
  readonly args: unknown;
  /** True when this platform's NVRAM could not be mounted. */
  readonly nvramDown: boolean;
}

/** Records what the failure means and returns the error to deliver (an InstanceFaultError when the instance must fault). */
export function classifySyscallError(error: unknown, call: FailedSyscall, trace: Trace): unknown {
  if (!(error instanceof VmeError)) return error;
  const operation = String(call.operation).slice(0, 40);
  if (call.kind === 'memory' && error.code === 'VME_ERR_UMA_INTEGRITY') {
    const page = pageOf(call.args);
    trace.record('uma', { kind: 'page-integrity-fault', app: call.app, incarnation: call.incarnation, page, message: error.message.slice(0, 200) });
    return new InstanceFaultError(error.code, `${call.app} page ${page}: ${error.message}`, 'integrity', { app: call.app, page });
  }
  if (call.kind === 'memory' && error.code === 'VME_ERR_UMA_UNAVAILABLE') {
    trace.record('uma', { kind: 'memory-degraded', app: call.app, operation, code: error.code });
  } else if (call.kind === 'nvram' && call.nvramDown) {
    trace.record('nvram', { kind: 'nvram-refused', app: call.app, operation, code: error.code });
  }
  return error;
}

function pageOf(args: unknown): number {
  const page = (args as { page?: unknown } | null)?.page;
  return typeof page === 'number' ? page : 0;
}
