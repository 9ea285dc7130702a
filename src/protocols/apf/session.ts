/**
 * What both ends of an APF session share: encoding out, the channel table (ids, limits, the
 * per-channel flow control of channel.ts), routing of CHANNEL_DATA / WINDOW_ADJUST / CLOSE,
 * keep-alive answers and the one DISCONNECT a failed session sends. The LME server (engine side)
 * and the LMS client (host side) build on it.
 */
import { ApfChannel, type ChannelSettings } from './channel.js';
import { APF_DISCONNECT_REASON, LME_WINDOW_SIZE } from './constants.js';
import { ApfError, protocolError } from './errors.js';
import { apf, CHANNEL_DATA_HEADER_BYTES, decodeApf, encodeApf, type ApfMessage } from './messages.js';

/** Limits common to both ends. */
export interface ApfLimits {
  /** Largest message either way: the LME HECI client's maximum (default 4096). */
  readonly maxMessageBytes?: number;
  /** Our receive window per channel (default 4096, LME_RX_WINDOW_SIZE). */
  readonly windowSize?: number;
  /** Channels open at once (default 32); more are refused with RESOURCE_SHORTAGE. */
  readonly maxChannels?: number;
  /** Bytes a channel queues for the peer before `write` answers false (default 64 KiB). */
  readonly highWaterBytes?: number;
  /** Bytes a channel queues before it is closed as overflowing (default 1 MiB). */
  readonly maxBufferedBytes?: number;
}

export const APF_DEFAULT_LIMITS: Required<ApfLimits> = {
  maxMessageBytes: 4096, windowSize: LME_WINDOW_SIZE, maxChannels: 32, highWaterBytes: 64 * 1024, maxBufferedBytes: 1024 * 1024,
};

export class ApfSessionCore {
  readonly limits: Required<ApfLimits>;
  readonly channels = new Map<number, ApfChannel>();
  /** A DISCONNECT went out and no new PROTOCOLVERSION came since: do not send another. */
  disconnectSent = false;
  readonly #settings: ChannelSettings;

  /** @throws RangeError for limits no message could respect */
  constructor(limits: ApfLimits, private readonly transmit: (bytes: Uint8Array) => void, onReleased: (channel: ApfChannel) => void) {
    this.limits = { ...APF_DEFAULT_LIMITS, ...limits };
    if (this.limits.maxMessageBytes <= CHANNEL_DATA_HEADER_BYTES + 1 || this.limits.windowSize < 1) throw new RangeError('APF limits leave no room for data');
    this.#settings = {
      maxData: this.limits.maxMessageBytes - CHANNEL_DATA_HEADER_BYTES, windowSize: this.limits.windowSize,
      highWaterBytes: this.limits.highWaterBytes, maxBufferedBytes: this.limits.maxBufferedBytes,
      send: (message) => this.send(message),
      released: (channel) => {
        if (this.channels.get(channel.localId) === channel) this.channels.delete(channel.localId);
        onReleased(channel);
      },
    };
  }

  /** @throws ApfError MALFORMED (see decodeApf), over `maxMessageBytes` included */
  decode(bytes: Uint8Array): ApfMessage {
    return decodeApf(bytes, this.limits.maxMessageBytes);
  }

  send(message: ApfMessage): void {
    this.transmit(encodeApf(message));
  }

  /** A new channel on the lowest free id, or undefined when `maxChannels` are open. */
  allocate(port: number): ApfChannel | undefined {
    for (let id = 0; id < this.limits.maxChannels; id++) {
      if (this.channels.has(id)) continue;
      const channel = new ApfChannel(id, port, this.#settings);
      this.channels.set(id, channel);
      return channel;
    }
    return undefined;
  }

  /** @throws ApfError PROTOCOL when `id` names no channel of ours */
  channel(id: number, label: string): ApfChannel {
    const channel = this.channels.get(id);
    if (!channel) throw protocolError(label, 'unknown channel', `recipient channel ${id}`);
    return channel;
  }

  /**
   * Handles the messages both ends treat alike. @returns false for the others
   * @throws ApfError PROTOCOL (unknown channel, beyond the window, …)
   */
  handleCommon(message: ApfMessage): boolean {
    switch (message.kind) {
      case 'channelData': this.channel(message.recipientChannel, 'CHANNEL_DATA').receiveData(message.data); return true;
      case 'channelWindowAdjust': this.channel(message.recipientChannel, 'CHANNEL_WINDOW_ADJUST').adjust(message.bytesToAdd); return true;
      case 'channelClose': this.channel(message.recipientChannel, 'CHANNEL_CLOSE').receiveClose(); return true;
      case 'keepaliveRequest': this.send(apf('keepaliveReply', { cookie: message.cookie })); return true;
      case 'keepaliveOptionsRequest': this.send(apf('keepaliveOptionsReply', { intervalSeconds: message.intervalSeconds, timeoutSeconds: message.timeoutSeconds })); return true;
      case 'keepaliveReply': case 'keepaliveOptionsReply': return true;
      default: return false;
    }
  }

  /** Sends DISCONNECT once per failed session (not again until a new PROTOCOLVERSION). */
  disconnect(reason: number = APF_DISCONNECT_REASON.protocolError): void {
    if (this.disconnectSent) return;
    this.disconnectSent = true;
    this.send(apf('disconnect', { reason, reserved: 0 }));
  }

  /** Ends every channel without messages (their users are told). */
  abortAll(): void {
    for (const channel of [...this.channels.values()]) channel.abort();
    this.channels.clear();
  }
}

/** What both ends expose to drive a session, over their own `restart` and message `handle`. */
export interface SessionControls {
  /** Sends the one DISCONNECT, ends every channel, restarts; reports `error` unless a DISCONNECT was already sent. */
  readonly fail: (error: ApfError, reason?: number) => void;
  /** One message from the peer; never throws (a bad one fails the session). */
  readonly receive: (message: Uint8Array) => void;
  /** The transport went away: forget everything, a new session may start. */
  readonly reset: () => void;
  /** Disconnects by application and restarts. */
  readonly close: () => void;
}

export function sessionControls(core: ApfSessionCore, restart: () => void, handle: (m: ApfMessage) => void, onError: (error: ApfError) => void): SessionControls {
  const fail = (error: ApfError, reason: number = APF_DISCONNECT_REASON.protocolError): void => {
    const quiet = core.disconnectSent;
    core.disconnect(reason);
    restart();
    if (!quiet) onError(error);
  };
  return {
    fail,
    receive: (message) => {
      try {
        handle(core.decode(message));
      } catch (error) {
        fail(error instanceof ApfError ? error : protocolError('APF', 'internal', String(error)));
      }
    },
    reset: () => {
      restart();
      core.disconnectSent = false;
    },
    close: () => {
      core.disconnect(APF_DISCONNECT_REASON.byApplication);
      restart();
    },
  };
}
