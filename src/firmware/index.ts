/** Public API of firmware updates: the package container, packing, verification, applying. */
export * from './package.js';
export * from './pack.js';
export * from './verify-package.js';
export * from './slot-writer.js';
export * from './update.js';
