/** The QEMU host adapter: `QemuHost` (a `Host` that is a QEMU VM), its QMP client and helpers. */
export { QemuHost, type QemuHostOptions, type QemuMedia } from './qemu-host.js';
export { QmpClient, QMP_DEFAULT_TIMEOUT_MS } from './qmp-client.js';
export { QmpSession, QMP_MAX_LINE, type QmpEvent, type QmpOutput, type QmpPhase, type QmpVersion } from './qmp-protocol.js';
export { checkQemu, DEFAULT_QEMU_BINARY } from './qemu-process.js';
export { qemuArgs, QEMU_DEVICE_IDS, type DriveImage, type QemuLaunch } from './qemu-args.js';
export { parsePpm, type RgbFrame } from './qemu-screen.js';
export { qcodesFor } from './qemu-keys.js';
export { NbdSession, NBD_STRUCTS, type NbdExport, type NbdOutput } from './nbd-protocol.js';
export { serveNbd, type NbdServer, type NbdServerOptions } from './nbd-server.js';
