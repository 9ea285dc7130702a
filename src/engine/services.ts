/**
 * Wiring between a platform's devices and the kernel's per-app services: each app gets its own
 * crypto session (owner = app name), its NVRAM namespace with the granted quota (or the mount
 * error), the platform's host ports, its facts (End-of-POST) and, when granted `memory`, its page
 * table over the platform's engine memory. Default host ports only record requests in the trace
 * until the host model exists.
 */
import type { VmeError } from '../common/errors.js';
import type { AppManifest } from '../me/app-manifest.js';
import { AppMemory, type AppServices, type HostPorts, type PlatformFacts, type Trace } from '../kernel/index.js';
import type { NvramFileSystem } from '../kernel/nvram/index.js';
import type { PlatformDevices } from './devices.js';

export function createKernelServices(devices: PlatformDevices, nvram: NvramFileSystem | VmeError, ports: HostPorts, facts: PlatformFacts): (app: AppManifest) => AppServices {
  return (app) => {
    const grant = app.grants.nvram;
    const namespace = !grant ? undefined : nvram instanceof Error ? nvram : nvram.namespace(grant.namespace, { quotaBytes: grant.quotaBytes });
    const memory = app.grants.memory ? new AppMemory(app.name, devices.memory, app.grants.memory.maxPages) : undefined;
    return { app: app.name, nvram: namespace, crypto: devices.crypto.session(app.name), hmacKeys: new Map(), dma: devices.dma, sram: devices.sram, ports, facts, ...(memory ? { memory } : {}) };
  };
}

/** Host ports that accept every well-formed request and record it (the host model replaces them). */
export function defaultHostPorts(trace: Trace): HostPorts {
  return {
    hostControl: (app, control, request) => {
      trace.record('host', { kind: 'host-control', app, control, request });
      return true;
    },
    heciNotify: () => trace.count('host.heci-notifications'),
  };
}
