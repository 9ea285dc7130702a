/** Public API of the codec library: declare-once binary structures and register bit fields. */
export * from './struct.js';
export * from './bits.js';
export * from './errors.js';
export * from './checksum.js';
