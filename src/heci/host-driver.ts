/**
 * The host side of the bus, sans I/O: a model of the Linux MEI driver. It runs the HBM start-up
 * (HOST_START → HOST_ENUM → HOST_CLIENT_PROPERTIES per address), owns host addresses, and gives
 * out `MeiFile`s — one per open of `/dev/mei0` — that connect, write, read and wait for
 * notifications with the driver's errno semantics. [brief me-internals §3.3–3.4; Linux
 * drivers/misc/mei/hbm.c, main.c]
 */
import { DecodeError } from '../codec/index.js';
import { MeiErrnoError, fail } from './errno.js';
import { decodeFragment, encodeFragment, MEI_HEADER_MAX_LENGTH } from './header.js';
import { decodeHbm, encodeHbm, type HbmFields, type HbmMessage, type HbmName } from './hbm.js';
import { MeiFile } from './driver-file.js';

export interface EnumeratedClient {
  readonly uuid: string;
  readonly meAddress: number;
  readonly protocolVersion: number;
  readonly maxConnections: number;
  readonly maxMessageLength: number;
}

export interface MeiHostDriverOptions {
  /** Where fragments for the engine go (the host→ME circular buffer). */
  readonly transmit: (frame: Uint8Array) => void;
  readonly fragmentBytes?: number;
  /** Messages a file may queue while it has no credit (Linux `tx_queue_limit`, default 50). */
  readonly transmitQueueLimit?: number;
  /** Messages a file holds unread before it stops granting the engine credits; default 8. */
  readonly receiveQueueLimit?: number;
  /** HBM version to ask for; default 2.2. */
  readonly version?: { readonly major: number; readonly minor: number };
}

export type DriverState = 'down' | 'starting' | 'ready';

interface HbmWaiter {
  readonly match: (message: HbmMessage) => boolean;
  readonly resolve: (message: HbmMessage) => void;
  readonly reject: (error: Error) => void;
}

export class MeiHostDriver {
  state: DriverState = 'down';
  negotiated: { major: number; minor: number } | undefined;
  readonly fragmentBytes: number;
  readonly transmitQueueLimit: number;
  readonly receiveQueueLimit: number;
  /** Frames from the engine that were malformed or addressed to no connection. */
  discardedFrames = 0;
  readonly #clients = new Map<string, EnumeratedClient>();
  readonly #files = new Map<number, MeiFile>();
  #waiters: HbmWaiter[] = [];

  constructor(private readonly options: MeiHostDriverOptions) {
    this.fragmentBytes = Math.min(options.fragmentBytes ?? 508, MEI_HEADER_MAX_LENGTH);
    this.transmitQueueLimit = options.transmitQueueLimit ?? 50;
    this.receiveQueueLimit = options.receiveQueueLimit ?? 8;
  }

  /** The firmware clients found by enumeration. */
  clients(): EnumeratedClient[] {
    return [...this.#clients.values()];
  }

  client(uuid: string): EnumeratedClient | undefined {
    return this.#clients.get(uuid.toLowerCase());
  }

  /**
   * Link up: HBM version handshake, enumeration and client properties.
   * @throws MeiErrnoError ENODEV when the engine refuses every version or the link goes down meanwhile
   */
  async start(): Promise<void> {
    this.state = 'starting';
    this.#clients.clear();
    const wanted = this.options.version ?? { major: 2, minor: 2 };
    let response = await this.#startWith(wanted);
    if (!response.hostVersionSupported && response.majorVersion >= 1) response = await this.#startWith({ major: response.majorVersion, minor: response.minorVersion });
    if (!response.hostVersionSupported) fail('ENODEV', 'the engine supports no HBM version this driver speaks');
    const enumeration = await this.request('hostEnumerationRequest', { flags: 0 }, (m) => m.name === 'hostEnumerationResponse');
    for (const meAddress of addressesOf((enumeration.fields as HbmFields<'hostEnumerationResponse'>).validAddresses)) {
      const answer = await this.request('clientPropertiesRequest', { meAddress }, (m) => m.name === 'clientPropertiesResponse' && m.fields.meAddress === meAddress);
      const properties = answer.fields as HbmFields<'clientPropertiesResponse'>;
      if (properties.status !== 0) continue;
      this.#clients.set(properties.protocolName, {
        uuid: properties.protocolName, meAddress, protocolVersion: properties.protocolVersion,
        maxConnections: properties.maxConnections, maxMessageLength: properties.maxMessageLength,
      });
    }
    this.state = 'ready';
  }

  /** The engine went away (reset, power loss): every file is disconnected, waits end with ENODEV. */
  linkDown(): void {
    this.state = 'down';
    this.negotiated = undefined;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(new MeiErrnoError('ENODEV', 'the engine went down'));
    for (const file of [...this.#files.values()]) file.engineDisconnected();
    this.#files.clear();
  }

  /** open("/dev/mei0"): a new file, not yet connected. */
  open(): MeiFile {
    return new MeiFile(this);
  }

  /** One fragment from the engine. Never throws. */
  receive(frame: Uint8Array): void {
    try {
      const { header, payload } = decodeFragment(frame);
      if (header.meAddress === 0 && header.hostAddress === 0) this.#receiveHbm(decodeHbm(payload));
      else if (!this.#files.get(header.hostAddress)?.receiveFragment(header, payload)) this.discardedFrames += 1;
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.discardedFrames += 1;
    }
  }

  // ---- used by MeiFile ----

  /** Sends an HBM request and waits for the first message `match` accepts. */
  request<K extends HbmName>(name: K, fields: Partial<Omit<HbmFields<K>, 'command'>>, match: (message: HbmMessage) => boolean): Promise<HbmMessage> {
    return new Promise((resolve, reject) => {
      this.#waiters.push({ match, resolve, reject });
      this.sendHbm(name, fields);
    });
  }

  sendHbm<K extends HbmName>(name: K, fields: Partial<Omit<HbmFields<K>, 'command'>>): void {
    this.options.transmit(encodeFragment(0, 0, encodeHbm(name, fields), true));
  }

  transmit(frame: Uint8Array): void {
    this.options.transmit(frame);
  }

  /** Claims the lowest free host address for `file`. @throws MeiErrnoError EMFILE when all 255 are in use */
  claimHostAddress(file: MeiFile): number {
    for (let address = 1; address <= 255; address++) {
      if (!this.#files.has(address)) {
        this.#files.set(address, file);
        return address;
      }
    }
    return fail('EMFILE', 'no free host address');
  }

  releaseHostAddress(address: number, file: MeiFile): void {
    if (this.#files.get(address) === file) this.#files.delete(address);
  }

  // ---- internals ----

  async #startWith(version: { major: number; minor: number }): Promise<HbmFields<'hostStartResponse'>> {
    const answer = await this.request('hostStartRequest', { majorVersion: version.major, minorVersion: version.minor }, (m) => m.name === 'hostStartResponse');
    const fields = answer.fields as HbmFields<'hostStartResponse'>;
    if (fields.hostVersionSupported) this.negotiated = { major: version.major, minor: version.minor };
    return fields;
  }

  #receiveHbm(message: HbmMessage): void {
    const index = this.#waiters.findIndex((waiter) => waiter.match(message));
    const waiter = this.#waiters[index];
    if (waiter !== undefined) {
      this.#waiters.splice(index, 1);
      waiter.resolve(message);
      return;
    }
    const fields = message.fields as { meAddress?: number; hostAddress?: number };
    const file = fields.hostAddress === undefined ? undefined : this.#files.get(fields.hostAddress);
    if (message.name === 'meStopRequest') this.linkDown();
    else if (file === undefined || file.meAddress !== fields.meAddress) this.discardedFrames += 1;
    else if (message.name === 'flowControl') file.engineCredit();
    else if (message.name === 'notification') file.engineNotification();
    else if (message.name === 'clientDisconnectRequest') {
      this.sendHbm('clientDisconnectResponse', { meAddress: file.meAddress, hostAddress: file.hostAddress, status: 0 });
      file.engineDisconnected();
    } else this.discardedFrames += 1;
  }
}

function addressesOf(bitmap: Uint8Array): number[] {
  const addresses: number[] = [];
  for (let address = 1; address < 256; address++) if (((bitmap[address >> 3] ?? 0) >> (address & 7)) & 1) addresses.push(address);
  return addresses;
}
