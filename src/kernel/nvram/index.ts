/** Public API of the engine's NVRAM file system (see docs/design/0002-nvram.md). */
export { NvramFileSystem, type NvramMountOptions, type NamespaceOptions } from './fs.js';
export { NvramNamespace, type NamespaceUsage } from './namespace.js';
export type { NvramStats } from './engine.js';
export type { NvramEvent, NvramEventListener } from './events.js';
export type { TransactionOperation } from './validate.js';
export { NvramError, SimulatedPowerLoss, isNvramError, type NvramErrorCode } from './errors.js';
export { MemoryPartitionStore, ERASED_BYTE, DEFAULT_SECTOR_SIZE, type PartitionStore, type MemoryStoreOptions } from './store.js';
export { FaultInjectingStore, type FaultPlan } from './fault-store.js';
export { MemoryCounter, JsonFileCounter, type MonotonicCounter } from './counter.js';
export { AreaHeader, RecordHeader, OperationHeader, RecordKind, OperationType, LIMITS } from './format.js';
