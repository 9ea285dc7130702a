/** Whole-image operations used by the CLI: build a platform, boot it through the ROM, inspect it. */
export * from './files.js';
export * from './build.js';
export * from './boot.js';
export * from './inspect.js';
