/**
 * The QEMU guest's COM1 as a `SerialLine` (the SOL seam): bytes from the VM's serial chardev socket
 * go to a bounded history and to subscribers; `inject` writes to the socket. The line outlives each
 * QEMU process: a power-on attaches the new socket, power-off detaches it (input then goes nowhere
 * and is counted as overrun, as a UART with no one reading it would lose it).
 */
import type { Socket } from 'node:net';
import { ByteRing } from '../byte-ring.js';
import { toBytes, type SerialCounters, type SerialLine, type SerialSettings } from '../serial.js';

const decoder = new TextDecoder();

export class QemuSerialLine implements SerialLine {
  readonly settings: SerialSettings = { baudRate: 115_200, dataBits: 8, parity: 'none', stopBits: 1 };
  readonly #history: ByteRing;
  readonly #listeners = new Set<(bytes: Uint8Array) => void>();
  #socket: Socket | undefined;
  #transmitted = 0;
  #received = 0;
  #overrun = 0;

  constructor(historyCapacity = 64 * 1024) {
    this.#history = new ByteRing(historyCapacity, 'drop-oldest');
  }

  onOutput(listener: (bytes: Uint8Array) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Writes to the guest's COM1; 0 (all counted as overrun) while no VM runs. */
  inject(data: Uint8Array | string): number {
    const bytes = toBytes(data);
    const socket = this.#socket;
    if (!socket || socket.destroyed) {
      this.#overrun += bytes.length;
      return 0;
    }
    socket.write(bytes);
    this.#received += bytes.length;
    return bytes.length;
  }

  outputText(): string {
    return decoder.decode(this.#history.peek());
  }

  /** Bridges a new VM's COM1 socket. */
  attach(socket: Socket): void {
    this.detach();
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#output(new Uint8Array(chunk)));
    socket.on('error', () => undefined); // the VM going away ends the line; the host notices by the process exit
  }

  detach(): void {
    this.#socket?.destroy();
    this.#socket = undefined;
  }

  get counters(): SerialCounters {
    return { transmittedBytes: this.#transmitted, receivedBytes: this.#received, overrunBytes: this.#overrun, historyDroppedBytes: this.#history.dropped };
  }

  #output(bytes: Uint8Array): void {
    this.#transmitted += bytes.length;
    this.#history.push(bytes);
    for (const listener of [...this.#listeners]) listener(bytes);
  }
}
