/** A whole virtual PC: engine + HECI + host, wired as on a real board. */
export { Machine, type MachineHost, type MachineHostWiring, type MachineOptions } from './machine.js';
export { biosEnginePort, sendEndOfPost, endOfPostRequest, heciMebxTransport, MKHI_CLIENT_UUID } from './bios-engine-port.js';
