/** Public API of the flash layer: descriptor, FMAP, UEFI volume, GbE, image assembly, backings, controller. */
export * from './regions.js';
export * from './errors.js';
export * from './descriptor.js';
export * from './fmap.js';
export * from './guid.js';
export * from './uefi-volume.js';
export * from './gbe.js';
export * from './image.js';
export * from './backing.js';
export * from './controller.js';
