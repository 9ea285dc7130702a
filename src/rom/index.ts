/** Public API of the ROM: partition verification, the boot decision, the boot log. */
export * from './boot-log.js';
export * from './verify.js';
export * from './boot.js';
export * from './region-boot.js';
