/** Public API of the kernel (see docs/design/0004-kernel-isolation.md); NVRAM lives in ./nvram/. */
export { Kernel, KERNEL_CALLER, type AppRegistry, type KernelEnvironment } from './kernel.js';
export type { AppSlot, AppState, AppStatus, AppModuleEntry } from './app-slot.js';
export { AppHostPool, sharedAppHostPool, type AppHostPoolOptions } from './app-host-pool.js';
export { Capability, CapabilitySet, mintCapabilities, type CapabilityGrant } from './capabilities.js';
export { KernelError, InstanceFaultError, AppError, kernelFail } from './errors.js';
export { AppMemory } from './app-memory.js';
export { defineInterface, checkCall, checkReply, checkFields, makeClient, type InterfaceSpec, type OperationSpec, type FieldSpec, type Client, type Handlers, type ArgsOf, type ReplyOf } from './interfaces.js';
export { SYSCALLS, parseCapabilityId } from './syscalls.js';
export { HOST_REQUESTS, type HostPorts, type AppServices } from './services.js';
export { PlatformFacts, type PlatformFactsView } from './platform-facts.js';
export { Trace, TraceRing, TRACE_COMPONENTS, type TraceEvent, type TraceRecord, type TraceSnapshot, type TraceComponent, type FaultKind, type WakeReason } from './trace.js';
export { Scheduler, sharedScheduler, type ScheduledTask } from './scheduler.js';
export { RestartBudget, type RestartPolicy, type RestartDecision } from './supervisor.js';
export { PowerGate, type PowerState } from './power.js';
export { KernelBootLog, formatEngineBootLog, formatEngineBootLogEntry, KERNEL_CHECKS, type KernelBootLogEntry, type EngineBootLogEntry, type KernelCheck } from './boot-log.js';
export { FlashPartitionStore } from './nvram-flash-store.js';
export type { HostConnectionEvent, PlatformInfo, RemoteAddress } from './protocol.js';
export { PlatformNetwork, AppNetwork, checkNetworkAddress, DEFAULT_NETWORK_LIMITS, MAX_DATAGRAM_BYTES, type NetworkOptions, type NetworkLimits, type NetworkListenerStatus } from './net/index.js';
