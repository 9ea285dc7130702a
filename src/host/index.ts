/**
 * The host PC model's public API: the `Host` interface and its simulated implementation, the
 * power-state tables AMT serves from, the engine port, the serial/framebuffer/keyboard seams and
 * the clocks. Test fakes live in ./testing.js.
 */
export type { Host, HostPhase, HostSnapshot, HostState } from './host.js';
export { SimulatedHost, type HostFaults, type SimulatedHostOptions } from './simulated-host.js';
export { createRealTimeHost, RealTimeClock } from './real-time.js';
export { ManualClock, type Cancel, type HostClock } from './clock.js';
export {
  availableRequestedPowerStates,
  CIM_POWER_STATE,
  POWER_REQUESTS,
  POWER_TRANSITIONS,
  powerRequest,
  PowerStateMachine,
  REPORTED_POWER_STATE,
  type PowerAction,
  type PowerChange,
  type PowerReason,
  type PowerRequestSpec,
  type PowerState,
} from './power.js';
export { BIOS_STEPS, DEFAULT_UMA_SIZE, umaPlacement, type BiosFaults, type BiosOptions, type BiosStep, type MebxHandler, type MebxSession } from './bios.js';
export { BOOT_DEVICES, BootOrder, DEFAULT_BOOT_ORDER, DEFAULT_MEDIA, type BootDeviceName, type BootMedia, type BootSelection, type MediaBlocks } from './boot-order.js';
export { readBootRecord, type BootMediaReport } from './boot-media.js';
export { ABSENT_ENGINE, type EndOfPostReply, type EngineHostPort, type UmaPlacement } from './engine-port.js';
export { HostError } from './errors.js';
export { DEFAULT_ATTRIBUTE, TEXT_COLUMNS, TEXT_ROWS, TextFramebuffer, type CursorPosition, type DirtyRectangle, type TextScreen } from './framebuffer.js';
export { CONTROL_P, Keyboard } from './keyboard.js';
export { HOST_CONTROL_POWER, serveHostControl, type HostControlLine } from './host-control.js';
export type { OsEvent, OsState } from './os.js';
export { Uart, type SerialCounters, type SerialLine, type SerialSettings, type UartOptions } from './serial.js';
export type { HostEvent, HostEventBody, HostEventKind } from './trace.js';
