/** Public API of the ME formats: $FPT, $CPD, $MN2 + extensions, code partitions, the ME region, app manifests. */
export * from './fpt.js';
export * from './cpd.js';
export * from './manifest.js';
export * from './extensions.js';
export * from './code-partition.js';
export * from './me-region.js';
export * from './app-manifest.js';
export * from './firmware-build.js';
