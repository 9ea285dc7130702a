/** Public API of the engine's devices: host DRAM, DMA, crypto engine, SRAM, UMA paging, pipeline. */
export * from './errors.js';
export * from './timing.js';
export * from './host-dram.js';
export { EngineBuffer, type OwnerId } from './engine-buffer.js';
export * from './sram.js';
export * from './uma.js';
export * from './engine-memory.js';
export { UntrustedHostRange, engineRange, type EngineRange } from './dma-ranges.js';
export { DmaEngine, DmaChannel, type DmaGrant, type DmaEngineOptions, type DmaEndpoint, type DmaCounters, type HostWindow, type HostDirection } from './dma.js';
export type { KeyHandle, KeyKind, KeySnapshot } from './crypto-keys.js';
export { type AesMode, type AesParameters, AES_THREAD_POOL_THRESHOLD, GCM_TAG_BYTES } from './crypto-aes.js';
export type { SignatureAlgorithm } from './crypto-signatures.js';
export * from './crypto-engine.js';
export * from './modular-exponentiation.js';
export * from './pipeline.js';
