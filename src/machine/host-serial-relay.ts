/**
 * The host serial line for engine apps (`host:serial`): an app that opens it hears everything the
 * host UART transmits, delivered to the engine one batch at a time and in order (what arrives
 * while a delivery is in flight is coalesced into the next; a backlog beyond `maxBacklogBytes`
 * loses its oldest bytes, counted), and may write into the UART's receive FIFO. This is the
 * Serial-over-LAN seam between the AMT app and the simulated host's COM1.
 */
import type { SerialLine } from '../host/index.js';

interface Subscription {
  readonly unsubscribe: () => void;
  pending: Uint8Array[];
  pendingBytes: number;
  inFlight: boolean;
}

export class HostSerialRelay {
  readonly #subscriptions = new Map<string, Subscription>();
  /** Bytes dropped because an app's backlog was full. */
  droppedBytes = 0;

  constructor(
    private readonly deliver: (app: string, bytes: Uint8Array) => Promise<void>,
    private readonly maxBacklogBytes = 64 * 1024,
  ) {}

  /** Subscribes `app` to the line's output (again: no change). */
  open(app: string, line: SerialLine): boolean {
    if (this.#subscriptions.has(app)) return true;
    const subscription: Subscription = { unsubscribe: () => undefined, pending: [], pendingBytes: 0, inFlight: false };
    this.#subscriptions.set(app, { ...subscription, unsubscribe: line.onOutput((bytes) => this.#queue(app, bytes)) });
    return true;
  }

  close(app: string): boolean {
    const subscription = this.#subscriptions.get(app);
    subscription?.unsubscribe();
    this.#subscriptions.delete(app);
    return true;
  }

  closeAll(): void {
    for (const app of [...this.#subscriptions.keys()]) this.close(app);
  }

  isOpen(app: string): boolean {
    return this.#subscriptions.has(app);
  }

  #queue(app: string, bytes: Uint8Array): void {
    const subscription = this.#subscriptions.get(app);
    if (subscription === undefined) return;
    subscription.pending.push(Uint8Array.from(bytes));
    subscription.pendingBytes += bytes.length;
    while (subscription.pendingBytes > this.maxBacklogBytes && subscription.pending.length > 1) {
      const oldest = subscription.pending.shift() as Uint8Array;
      subscription.pendingBytes -= oldest.length;
      this.droppedBytes += oldest.length;
    }
    this.#flush(app, subscription);
  }

  #flush(app: string, subscription: Subscription): void {
    if (subscription.inFlight || subscription.pending.length === 0) return;
    const bytes = Uint8Array.from(Buffer.concat(subscription.pending));
    subscription.pending = [];
    subscription.pendingBytes = 0;
    subscription.inFlight = true;
    void this.deliver(app, bytes).catch(() => undefined).finally(() => {
      subscription.inFlight = false;
      if (this.#subscriptions.get(app) === subscription) this.#flush(app, subscription);
    });
  }
}
