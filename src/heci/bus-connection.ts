/**
 * One firmware-side connection (me_addr, host_addr) on the HECI bus: flow-control credits in both
 * directions, reassembly of the host's fragments up to the client's maximum message length, and a
 * bounded outgoing queue of the client's replies (by count) and firmware-initiated messages (by
 * bytes). [brief me-internals §3.3 "Flow
 * control"; Linux client.c `mei_cl_tx_flow_ctrl_creds`]
 */
import { VmeError } from '../common/errors.js';
import { copyBytes, MessageAssembly } from './bytes.js';
import { encodeFragment, type MeiHeader } from './header.js';
import { encodeHbm } from './hbm.js';

/** What a firmware client sees of one connection. */
export interface HeciConnection {
  readonly clientUuid: string;
  readonly meAddress: number;
  readonly hostAddress: number;
  readonly isOpen: boolean;
  /**
   * Whether firmware-initiated messages (`HeciBus.sendToClient`) may go out on this connection.
   * The engine seam holds them (false) until the client's owner has handled the connection's
   * 'connected' event, so a message an old session sends late cannot reach a new host. Replies
   * (`send`) are not affected. Default true.
   */
  acceptsFirmwareMessages: boolean;
  /**
   * Queues one whole message for the host; it leaves when the host grants a credit.
   * @throws VmeError VME_ERR_HECI_SEND when closed, over the client's maximum length, or the queue is full
   */
  send(message: Uint8Array): void;
  /** Sends the HBM notification event if the host enabled notifications; returns whether it did. */
  notify(): boolean;
}

/** The client properties a connection needs. */
export interface ConnectionClient {
  readonly uuid: string;
  readonly maxMessageBytes: number;
  readonly handler: { onDisconnect?(connection: HeciConnection): void };
}

export interface ConnectionOptions {
  readonly transmit: (frame: Uint8Array) => void;
  readonly fragmentBytes: number;
  readonly outgoingLimit: number;
  /** Bytes of firmware-initiated messages (`sendUnsolicited`) the queue may hold. */
  readonly unsolicitedBytes: number;
  /** Called with each complete message while no other message of this connection is in service. */
  readonly deliver: (connection: BusConnection, message: Uint8Array) => Promise<void> | undefined;
}

/** Why the bus must drop a connection because of what the host sent. */
export type HostViolation = 'writeWithoutCredit' | 'overLength';

/** The most credits a host may bank on one connection; more are counted and dropped. */
export const MAX_HOST_CREDITS = 8;

export class BusConnection implements HeciConnection {
  notificationsEnabled = false;
  acceptsFirmwareMessages = true;
  #open = true;
  #creditGranted = false;
  #busy = false;
  #hostCredits = 0;
  readonly #assembly: MessageAssembly;
  readonly #outgoing: Uint8Array[] = [];
  #outgoingBytes = 0;
  readonly #flowControlFrame: Uint8Array;

  constructor(
    readonly client: ConnectionClient,
    readonly meAddress: number,
    readonly hostAddress: number,
    private readonly options: ConnectionOptions,
  ) {
    this.#assembly = new MessageAssembly(client.maxMessageBytes);
    this.#flowControlFrame = encodeFragment(0, 0, encodeHbm('flowControl', { meAddress, hostAddress }), true);
  }

  get clientUuid(): string {
    return this.client.uuid;
  }

  get isOpen(): boolean {
    return this.#open;
  }

  /** Grants the host one credit (FLOW_CONTROL) when the client can take another message. */
  grantCredit(): void {
    if (!this.#open || this.#creditGranted || this.#busy) return;
    this.#creditGranted = true;
    this.options.transmit(this.#flowControlFrame); // frames are copied into the circular buffer, so one can be reused
  }

  /** One fragment from the host; returns the violation that must end the connection, if any. */
  receiveFragment(header: MeiHeader, payload: Uint8Array): HostViolation | undefined {
    if (!this.#creditGranted) return 'writeWithoutCredit';
    if (this.#assembly.length + payload.length > this.client.maxMessageBytes) return 'overLength';
    this.#assembly.append(payload);
    if (header.messageComplete) this.#complete();
    return undefined;
  }

  /** The host granted one credit; returns false when it banked more than MAX_HOST_CREDITS. */
  addHostCredit(): boolean {
    if (this.#hostCredits >= MAX_HOST_CREDITS) return false;
    this.#hostCredits += 1;
    this.#flush();
    return true;
  }

  send(message: Uint8Array): void {
    this.#checkSendable(message);
    if (this.#outgoing.length >= this.options.outgoingLimit) {
      throw new VmeError('VME_ERR_HECI_SEND', `outgoing queue of ${this.options.outgoingLimit} messages is full (the host is not reading)`);
    }
    this.#enqueue(message);
  }

  /**
   * Queues one firmware-initiated message (not a reply): in order with replies, bounded by bytes
   * rather than by count, since a client protocol's own flow control (APF windows on LME) decides
   * how much it sends ahead of the host's credits; the bound is a safety net.
   * @throws VmeError VME_ERR_HECI_SEND when closed, over the client's maximum length, or over the byte bound
   */
  sendUnsolicited(message: Uint8Array): void {
    this.#checkSendable(message);
    if (this.#outgoingBytes + message.length > this.options.unsolicitedBytes) {
      throw new VmeError('VME_ERR_HECI_SEND', `outgoing queue holds ${this.#outgoingBytes} bytes, at most ${this.options.unsolicitedBytes} (the host is not reading)`);
    }
    this.#enqueue(message);
  }

  notify(): boolean {
    if (!this.#open || !this.notificationsEnabled) return false;
    this.#transmitHbm(encodeHbm('notification', { meAddress: this.meAddress, hostAddress: this.hostAddress }));
    return true;
  }

  /** Ends the connection: drops partial input and queued output (bounded state is freed at once). */
  close(): void {
    this.#open = false;
    this.#assembly.clear(true);
    this.#outgoing.length = 0;
    this.#outgoingBytes = 0;
  }

  #checkSendable(message: Uint8Array): void {
    if (!this.#open) throw new VmeError('VME_ERR_HECI_SEND', `connection ${this.meAddress}/${this.hostAddress} is closed`);
    if (message.length > this.client.maxMessageBytes) {
      throw new VmeError('VME_ERR_HECI_SEND', `message of ${message.length} bytes exceeds the client's maximum ${this.client.maxMessageBytes}`);
    }
  }

  #enqueue(message: Uint8Array): void {
    this.#outgoing.push(copyBytes(message));
    this.#outgoingBytes += message.length;
    this.#flush();
  }

  #complete(): void {
    const message = this.#assembly.take();
    this.#creditGranted = false;
    this.#busy = true;
    const served = (): void => {
      this.#busy = false;
      this.grantCredit();
    };
    const pending = this.options.deliver(this, message);
    if (pending === undefined) served();
    else void pending.finally(served);
  }

  #flush(): void {
    while (this.#open && this.#hostCredits > 0) {
      const message = this.#outgoing.shift();
      if (message === undefined) return;
      this.#outgoingBytes -= message.length;
      this.#hostCredits -= 1;
      this.#transmitMessage(message);
    }
  }

  #transmitMessage(message: Uint8Array): void {
    const size = this.options.fragmentBytes;
    let offset = 0;
    do {
      const end = Math.min(offset + size, message.length);
      this.options.transmit(encodeFragment(this.meAddress, this.hostAddress, message.subarray(offset, end), end === message.length));
      offset = end;
    } while (offset < message.length);
  }

  #transmitHbm(payload: Uint8Array): void {
    this.options.transmit(encodeFragment(0, 0, payload, true));
  }
}
