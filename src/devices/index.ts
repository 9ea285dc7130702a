/** Public API of the engine's devices: host DRAM, DMA, crypto engine, SRAM, UMA paging, pipeline. */
export * from './errors.js';
export * from './timing.js';
export * from './host-dram.js';
export { EngineBuffer, type OwnerId } from './engine-buffer.js';
export * from './sram.js';
export * from './uma.js';
export * from './engine-memory.js';
export { UntrustedHostRange, engineRange, type EngineRange, type CheckedHostRange } from './dma-ranges.js';
export * from './dma.js';
export * from './crypto-keys.js';
export * from './crypto-aes.js';
export * from './crypto-signatures.js';
export * from './crypto-engine.js';
export * from './modular-exponentiation.js';
export * from './pipeline.js';
