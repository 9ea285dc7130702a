/** Public API of "manufacturing": development keys and the fuse file. */
export * from './keys.js';
export * from './fuses.js';
