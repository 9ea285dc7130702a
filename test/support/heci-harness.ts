/** Test helpers for the HECI bus: a bus driven frame by frame from the test, and test clients. */
import {
  decodeFragment, decodeHbm, encodeFragment, encodeHbm, HeciBus, type HbmFields, type HbmMessage, type HbmName,
  type HeciClientHandler, type HeciConnection,
} from '../../src/heci/index.js';

export const ECHO_UUID = 'e0e0e0e0-0001-4000-8000-000000000001';
export const SLOW_UUID = 'e0e0e0e0-0002-4000-8000-000000000002';
export const FAULTY_UUID = 'e0e0e0e0-0003-4000-8000-000000000003';

/** Replies with the message itself. */
export const echoHandler: HeciClientHandler = { onMessage: (connection, message) => connection.send(message) };

/** Replies with the message after `delayMs` (holding the host's next credit meanwhile). */
export const slowHandler = (delayMs: number): HeciClientHandler => ({
  onMessage: async (connection: HeciConnection, message: Uint8Array) => {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (connection.isOpen) connection.send(message);
  },
});

/** Throws on every message (an app that faults). */
export const faultyHandler: HeciClientHandler = {
  onMessage: () => {
    throw new Error('app fault');
  },
};

export type Output = HbmMessage | { readonly name: 'data'; readonly meAddress: number; readonly hostAddress: number; readonly complete: boolean; readonly payload: Uint8Array };

/** A bus whose output the test reads back decoded, and helpers to send it HBM and data frames. */
export class BusHarness {
  readonly sent: Uint8Array[] = [];
  readonly bus: HeciBus;

  constructor(options: { fragmentBytes?: number; version?: { major: number; minor: number }; outgoingLimit?: number } = {}) {
    this.bus = new HeciBus({ ...options, transmit: (frame) => this.sent.push(frame) });
  }

  hbm<K extends HbmName>(name: K, fields: Partial<Omit<HbmFields<K>, 'command'>>): Output[] {
    this.bus.receive(encodeFragment(0, 0, encodeHbm(name, fields), true));
    return this.take();
  }

  data(meAddress: number, hostAddress: number, payload: Uint8Array, complete = true): Output[] {
    this.bus.receive(encodeFragment(meAddress, hostAddress, payload, complete));
    return this.take();
  }

  /** Decodes and clears what the bus sent so far. */
  take(): Output[] {
    return this.sent.splice(0).map((frame) => {
      const { header, payload } = decodeFragment(frame);
      if (header.meAddress === 0 && header.hostAddress === 0) return decodeHbm(payload);
      return { name: 'data', meAddress: header.meAddress, hostAddress: header.hostAddress, complete: header.messageComplete, payload: payload.slice() };
    });
  }

  start(): void {
    this.hbm('hostStartRequest', { majorVersion: 2, minorVersion: 2 });
  }

  /** Connects and returns the outputs (connect response, then the engine's first credit). */
  connect(meAddress: number, hostAddress: number): Output[] {
    return this.hbm('clientConnectRequest', { meAddress, hostAddress });
  }
}

/** Waits for queued microtasks and timers of 0 ms (client handlers are async). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export const names = (outputs: Output[]): string[] => outputs.map((output) => output.name);
