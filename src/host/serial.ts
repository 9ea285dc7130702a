/**
 * The host's serial port (a 16550-style UART, COM1/ttyS0), modelled as two byte streams. The host
 * side (BIOS, OS) transmits into a bounded history and to output subscribers, and takes what
 * arrived from a bounded receive FIFO. The outside (a terminal, a test, later an AMT SOL session)
 * subscribes to output and injects input: that pair is the Serial-over-LAN seam.
 */
import { ByteRing } from './byte-ring.js';

/** Line settings; metadata only (no bit timing is modelled). */
export interface SerialSettings {
  readonly baudRate: number;
  readonly dataBits: 8;
  readonly parity: 'none';
  readonly stopBits: 1;
}

/** UART counters for status and tests. */
export interface SerialCounters {
  readonly transmittedBytes: number;
  readonly receivedBytes: number;
  /** Input bytes refused because the receive FIFO was full. */
  readonly overrunBytes: number;
  /** Output bytes forgotten by the bounded history (subscribers still saw them). */
  readonly historyDroppedBytes: number;
}

/** The outside view of a serial line: what SOL or a terminal uses (a QEMU chardev can offer it too). */
export interface SerialLine {
  readonly settings: SerialSettings;
  /** Subscribes to every byte the host transmits; returns the unsubscribe function. */
  onOutput(listener: (bytes: Uint8Array) => void): () => void;
  /** Sends bytes to the host; returns how many fit in the receive FIFO (the rest are an overrun). */
  inject(data: Uint8Array | string): number;
  /** The retained transmit history as text. */
  outputText(): string;
}

export interface UartOptions {
  readonly baudRate?: number;
  /** Receive FIFO bytes (default 4096). */
  readonly receiveCapacity?: number;
  /** Transmit history bytes kept for `outputText()` (default 64 KiB). */
  readonly historyCapacity?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bytes of a string (UTF-8) or the bytes themselves. */
export function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? encoder.encode(data) : data;
}

export class Uart implements SerialLine {
  readonly settings: SerialSettings;
  readonly #receive: ByteRing;
  readonly #history: ByteRing;
  readonly #outputListeners = new Set<(bytes: Uint8Array) => void>();
  readonly #receiveListeners = new Set<() => void>();
  #transmitted = 0;
  #received = 0;

  constructor(options: UartOptions = {}) {
    this.settings = { baudRate: options.baudRate ?? 115_200, dataBits: 8, parity: 'none', stopBits: 1 };
    this.#receive = new ByteRing(options.receiveCapacity ?? 4096, 'drop-newest');
    this.#history = new ByteRing(options.historyCapacity ?? 64 * 1024, 'drop-oldest');
  }

  onOutput(listener: (bytes: Uint8Array) => void): () => void {
    this.#outputListeners.add(listener);
    return () => this.#outputListeners.delete(listener);
  }

  inject(data: Uint8Array | string): number {
    const accepted = this.#receive.push(toBytes(data));
    this.#received += accepted;
    if (accepted > 0) for (const listener of [...this.#receiveListeners]) listener();
    return accepted;
  }

  outputText(): string {
    return decoder.decode(this.#history.peek());
  }

  /** Host side: transmits bytes (to the history and every output subscriber). */
  transmit(data: Uint8Array | string): void {
    const bytes = toBytes(data);
    if (bytes.length === 0) return;
    this.#transmitted += bytes.length;
    this.#history.push(bytes);
    for (const listener of [...this.#outputListeners]) listener(bytes);
  }

  /** Host side: subscribes to "bytes arrived" notifications; returns the unsubscribe function. */
  onReceive(listener: () => void): () => void {
    this.#receiveListeners.add(listener);
    return () => this.#receiveListeners.delete(listener);
  }

  /** Host side: takes up to `max` received bytes. */
  receive(max?: number): Uint8Array {
    return this.#receive.take(max);
  }

  /** Bytes waiting in the receive FIFO. */
  get receivePending(): number {
    return this.#receive.length;
  }

  /** Power loss: the receive FIFO empties (the history is the observer's, so it stays). */
  reset(): void {
    this.#receive.clear();
  }

  get counters(): SerialCounters {
    return {
      transmittedBytes: this.#transmitted,
      receivedBytes: this.#received,
      overrunBytes: this.#receive.dropped,
      historyDroppedBytes: this.#history.dropped,
    };
  }
}
