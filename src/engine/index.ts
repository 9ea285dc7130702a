/** Public API of the engine: boot one platform's engine from a flash backing and its fuses. */
export { bootEngine, type BootEngineInput, type EngineOptions } from './boot.js';
export { Engine, type EngineState, type EngineStatus } from './engine.js';
export { CopyOnWriteBacking, SharedImage, COW_PAGE_SIZE } from './copy-on-write-backing.js';
export type { PlatformDevices } from './devices.js';
