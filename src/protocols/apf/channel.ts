/**
 * One APF channel's flow control, the same at both ends (SSH rules, brief §5.5): data leaves only
 * within the peer's window, in CHANNEL_DATA pieces that fit one HECI message; received data is
 * checked against our window and acknowledged with WINDOW_ADJUST once half of it is used (as MPS
 * does); CHANNEL_CLOSE is a handshake — whoever closes first waits for the other's CLOSE before
 * the channel id is free again. Sans I/O: messages go out through `settings.send`.
 */
import { protocolError } from './errors.js';
import { apf, type ApfMessage } from './messages.js';

export interface ChannelSettings {
  /** Largest CHANNEL_DATA payload (the HECI maximum less the 9-byte header). */
  readonly maxData: number;
  /** Our receive window: what the peer may send before we adjust. */
  readonly windowSize: number;
  /** Bytes queued for the peer above which `write` answers false (pause the source). */
  readonly highWaterBytes: number;
  /** Bytes queued for the peer above which the channel is closed (a source that ignored `false`). */
  readonly maxBufferedBytes: number;
  send(message: ApfMessage): void;
  /** The close handshake finished (or the channel was aborted): the id may be reused. */
  released(channel: ApfChannel): void;
}

/** Where received data goes, and how the channel tells its user that it ended. */
export interface ChannelSink {
  data(bytes: Uint8Array): void;
  /** The peer closed the channel (or the session ended): no more data either way. */
  end(): void;
  /** The queue for the peer fell below the high-water mark again. */
  drain?(): void;
}

export type ChannelState = 'opening' | 'open' | 'closing' | 'closed';

const MAX_WINDOW = 0xffffffff;

export class ApfChannel {
  state: ChannelState = 'opening';
  remoteId = -1;
  txWindow = 0;
  rxWindow: number;
  sink: ChannelSink | undefined;
  #unacknowledged = 0;
  #queue: Uint8Array[] = [];
  #queued = 0;
  #endRequested = false;
  #aboveHighWater = false;

  constructor(readonly localId: number, readonly port: number, private readonly settings: ChannelSettings) {
    this.rxWindow = settings.windowSize;
  }

  /** Bytes waiting for window. */
  get queuedBytes(): number {
    return this.#queued;
  }

  /** The open was confirmed: the peer's id and window are known; queued data and a pending end go out. */
  open(remoteId: number, txWindow: number): void {
    if (this.state !== 'opening') return;
    this.remoteId = remoteId;
    this.txWindow = txWindow;
    this.state = 'open';
    this.#flush();
  }

  /** Data for the peer. @returns false when the source should pause until `sink.drain`. */
  write(bytes: Uint8Array): boolean {
    if (this.#endRequested || this.state === 'closing' || this.state === 'closed') return false;
    if (this.#queued + bytes.length > this.settings.maxBufferedBytes) {
      this.#overflow();
      return false;
    }
    if (bytes.length > 0) {
      this.#queue.push(bytes);
      this.#queued += bytes.length;
    }
    this.#flush();
    this.#aboveHighWater = this.#queued >= this.settings.highWaterBytes;
    return !this.#aboveHighWater;
  }

  /** Our side is done: CLOSE follows the queued data. */
  end(): void {
    if (this.#endRequested || this.state === 'closed') return;
    this.#endRequested = true;
    this.#flush();
  }

  /** CHANNEL_DATA from the peer. @throws ApfError PROTOCOL before the open or beyond our window */
  receiveData(bytes: Uint8Array): void {
    if (this.state === 'opening') throw protocolError('CHANNEL_DATA', 'out of order', `channel ${this.localId} is not open yet`);
    if (bytes.length > this.rxWindow) throw protocolError('CHANNEL_DATA', 'beyond the window', `${bytes.length} bytes, window ${this.rxWindow}`);
    this.rxWindow -= bytes.length;
    if (this.state !== 'open') return; // we already closed: in-flight data is dropped
    this.sink?.data(bytes);
    this.#unacknowledged += bytes.length;
    if (this.state === 'open' && this.#unacknowledged >= this.settings.windowSize / 2) {
      this.settings.send(apf('channelWindowAdjust', { recipientChannel: this.remoteId, bytesToAdd: this.#unacknowledged }));
      this.rxWindow += this.#unacknowledged;
      this.#unacknowledged = 0;
    }
  }

  /** CHANNEL_WINDOW_ADJUST from the peer. @throws ApfError PROTOCOL before the open or past 2^32-1 */
  adjust(bytesToAdd: number): void {
    if (this.state === 'opening') throw protocolError('CHANNEL_WINDOW_ADJUST', 'out of order', `channel ${this.localId} is not open yet`);
    if (this.txWindow + bytesToAdd > MAX_WINDOW) throw protocolError('CHANNEL_WINDOW_ADJUST', 'window overflow', `${this.txWindow} + ${bytesToAdd}`);
    this.txWindow += bytesToAdd;
    this.#flush();
  }

  /** CHANNEL_CLOSE from the peer: answer it unless it answers ours. @throws ApfError PROTOCOL before the open */
  receiveClose(): void {
    if (this.state === 'opening') throw protocolError('CHANNEL_CLOSE', 'out of order', `channel ${this.localId} is not open yet`);
    const peerFirst = this.state === 'open';
    if (peerFirst) this.settings.send(apf('channelClose', { recipientChannel: this.remoteId }));
    this.#finish(peerFirst);
  }

  /** The session ended (reset, DISCONNECT, open refused): no messages, the sink is told. */
  abort(): void {
    if (this.state === 'closed') return;
    this.#finish(true);
  }

  #flush(): void {
    if (this.state !== 'open') return;
    while (this.#queue.length > 0 && this.txWindow > 0) {
      const head = this.#queue[0] as Uint8Array;
      const size = Math.min(head.length, this.txWindow, this.settings.maxData);
      this.settings.send(apf('channelData', { recipientChannel: this.remoteId, data: head.subarray(0, size) }));
      this.txWindow -= size;
      this.#queued -= size;
      if (size === head.length) this.#queue.shift();
      else this.#queue[0] = head.subarray(size);
    }
    if (this.#aboveHighWater && this.#queued < this.settings.highWaterBytes) {
      this.#aboveHighWater = false;
      this.sink?.drain?.();
    }
    if (this.#endRequested && this.#queued === 0 && this.state === 'open') {
      this.state = 'closing';
      this.settings.send(apf('channelClose', { recipientChannel: this.remoteId }));
    }
  }

  /** The source wrote past the hard limit: close now, dropping what is queued. */
  #overflow(): void {
    this.#queue = [];
    this.#queued = 0;
    this.#endRequested = true;
    if (this.state === 'open') {
      this.state = 'closing';
      this.settings.send(apf('channelClose', { recipientChannel: this.remoteId }));
    }
    this.sink?.end();
  }

  #finish(tellSink: boolean): void {
    this.state = 'closed';
    this.#queue = [];
    this.#queued = 0;
    this.settings.released(this);
    if (tellSink) this.sink?.end();
  }
}
