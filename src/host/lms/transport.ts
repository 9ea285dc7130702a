/**
 * The LME HECI client as LMS opens it: the MEI device (src/heci/host-library.ts) connected to the
 * LME UUID, one APF message per write, a read loop that waits for the engine's messages (poll
 * timeouts are not errors), writes kept in order and retried while the driver has no credit
 * (EAGAIN). `LmeTransport` is the seam: tests give `startLms` an in-process one.
 */
import { LME_CLIENT_UUID } from '../../protocols/apf/index.js';
import { MeiDevice, MeiErrnoError, type ConnectResult } from '../../heci/index.js';

/** What the LMS needs from an LME connection. */
export interface LmeTransport {
  /** The client's maximum message length (from IOCTL_MEI_CONNECT_CLIENT). */
  readonly maxMessageBytes: number;
  /** Sends one message after those sent before it. Rejects when the device is gone. */
  send(message: Uint8Array): Promise<void>;
  /** Starts delivering the engine's messages; `closed` follows once when the connection ends. */
  start(receiver: LmeReceiver): void;
  /** Disconnects (after the queued sends, at most a second). */
  close(): Promise<void>;
}

export interface LmeReceiver {
  message(bytes: Uint8Array): void;
  closed(error?: Error): void;
}

/** The part of MeiDevice the transport uses (a fake in tests). */
export interface MeiLike {
  connect(uuid: string): Promise<ConnectResult>;
  send(message: Uint8Array): Promise<number>;
  receive(timeoutMs?: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

export interface MeiTransportOptions {
  /** Read poll interval (a timeout just polls again); default 1000 ms. */
  readonly pollMs?: number;
  /** Connect attempts while the client is busy (EBUSY), as rpc-go retries; default 8. */
  readonly connectAttempts?: number;
  /** Pause between EAGAIN write retries; default 5 ms, for at most `sendRetryMs` (default 5000). */
  readonly retryDelayMs?: number;
  readonly sendRetryMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const errnoOf = (error: unknown): string | undefined => (error instanceof MeiErrnoError ? error.errno : undefined);

/**
 * Opens the MEI device at `device` (a socket path, or an opened device) and connects the LME client.
 * @throws MeiErrnoError ENOENT no device, ENOTTY no LME client, EBUSY another LMS holds it, ENODEV engine down
 */
export async function openMeiTransport(device: string | MeiLike, options: MeiTransportOptions = {}): Promise<LmeTransport> {
  const mei = typeof device === 'string' ? await MeiDevice.open(device) : device;
  const attempts = options.connectAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    try {
      const { maxMessageLength } = await mei.connect(LME_CLIENT_UUID);
      return new MeiTransport(mei, maxMessageLength, options);
    } catch (error) {
      if (errnoOf(error) !== 'EBUSY' || attempt >= attempts) {
        await mei.close();
        throw error;
      }
      await sleep(250);
    }
  }
}

class MeiTransport implements LmeTransport {
  #sending: Promise<void> = Promise.resolve();
  #closed = false;
  #receiver: LmeReceiver | undefined;

  constructor(private readonly mei: MeiLike, readonly maxMessageBytes: number, private readonly options: MeiTransportOptions) {}

  send(message: Uint8Array): Promise<void> {
    const next = this.#sending.then(() => this.#write(message));
    this.#sending = next.catch(() => undefined);
    return next;
  }

  start(receiver: LmeReceiver): void {
    this.#receiver = receiver;
    void this.#readLoop();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await Promise.race([this.#sending, sleep(1000)]);
    this.#closed = true;
    await this.mei.close();
  }

  async #write(message: Uint8Array): Promise<void> {
    const deadline = Date.now() + (this.options.sendRetryMs ?? 5000);
    for (;;) {
      if (this.#closed) throw new MeiErrnoError('EBADF', 'the LME connection is closed');
      try {
        await this.mei.send(message);
        return;
      } catch (error) {
        if (errnoOf(error) !== 'EAGAIN' || Date.now() > deadline) throw error;
        await sleep(this.options.retryDelayMs ?? 5);
      }
    }
  }

  async #readLoop(): Promise<void> {
    let failure: Error | undefined;
    while (!this.#closed) {
      let message: Uint8Array;
      try {
        message = await this.mei.receive(this.options.pollMs ?? 1000);
      } catch (error) {
        const errno = errnoOf(error);
        if (errno === 'ETIMEDOUT' || errno === 'EAGAIN') continue;
        failure = error instanceof Error ? error : new Error(String(error));
        break;
      }
      this.#receiver?.message(message);
    }
    const wasOpen = !this.#closed;
    this.#closed = true;
    if (wasOpen) await this.mei.close().catch(() => undefined);
    this.#receiver?.closed(wasOpen ? failure : undefined);
  }
}
