/**
 * The firmware side of the HECI bus, sans I/O: fragments from the host go in through `receive`,
 * fragments to the host come out through `transmit`. It answers host bus messages, keeps the
 * client registry and the connections, and hands complete messages to client handlers. Nothing the
 * host sends can throw out of `receive`: a malformed frame gets the protocol's answer (a status, an
 * engine-initiated disconnect, or silence) and is counted. [brief me-internals §3.2–3.3]
 */
import { DecodeError } from '../codec/index.js';
import { BusConnection, type HostViolation } from './bus-connection.js';
import { ClientRegistry, type HeciClientRegistration, type RegisteredClient } from './bus-registry.js';
import { decodeFragment, encodeFragment, MEI_HEADER_MAX_LENGTH, type MeiHeader } from './header.js';
import { decodeHbm, encodeHbm, type HbmFields, type HbmName } from './hbm.js';
import { handleHbm } from './bus-hbm.js';

/** Counted events: what the host got wrong, and what the bus did. */
export const BUS_COUNTERS = [
  'framesReceived', 'messagesDelivered', 'malformedFrames', 'malformedHbm', 'unexpectedHbm', 'hbmBeforeStart',
  'unknownConnection', 'writeWithoutCredit', 'overLength', 'creditOverflow', 'clientFaults', 'connectRefused',
  'engineDisconnects',
] as const;
export type BusCounter = (typeof BUS_COUNTERS)[number];

export interface HeciBusOptions {
  /** Where fragments for the host go (the ME→host circular buffer). */
  readonly transmit: (frame: Uint8Array) => void;
  /** Largest fragment payload either way (the circular buffer's depth×4 − 4); default 508. */
  readonly fragmentBytes?: number;
  /** HBM version the engine speaks at most; default 2.2 (what current Linux asks for). */
  readonly version?: { readonly major: number; readonly minor: number };
  /** Messages a client may queue per connection before `send` refuses; default 8. */
  readonly outgoingLimit?: number;
  /** Bytes of firmware-initiated messages (`sendToClient`) a connection may queue for the host; default 1 MiB. */
  readonly unsolicitedBytes?: number;
}

export interface ConnectionInfo {
  readonly client: string;
  readonly meAddress: number;
  readonly hostAddress: number;
}

const pairKey = (meAddress: number, hostAddress: number): number => (meAddress << 8) | hostAddress;

export class HeciBus {
  readonly registry = new ClientRegistry();
  readonly version: { readonly major: number; readonly minor: number };
  readonly fragmentBytes: number;
  /** Negotiated HBM version once HOST_START succeeded, else undefined. */
  negotiated: { major: number; minor: number } | undefined;
  readonly #connections = new Map<number, BusConnection>();
  readonly #counters = Object.fromEntries(BUS_COUNTERS.map((name) => [name, 0])) as Record<BusCounter, number>;

  constructor(private readonly options: HeciBusOptions) {
    this.version = options.version ?? { major: 2, minor: 2 };
    this.fragmentBytes = Math.min(options.fragmentBytes ?? 508, MEI_HEADER_MAX_LENGTH);
  }

  get counters(): Readonly<Record<BusCounter, number>> {
    return { ...this.#counters };
  }

  count(counter: BusCounter): void {
    this.#counters[counter] += 1;
  }

  /** Registers a firmware client (the engine does this for each granted client). @throws VmeError VME_ERR_HECI_REGISTRATION */
  registerClient(registration: HeciClientRegistration): RegisteredClient {
    return this.registry.add(registration);
  }

  /** Removes a client (its app stopped): its connections are disconnected by the engine. */
  unregisterClient(uuid: string): boolean {
    const client = this.registry.remove(uuid);
    if (client === undefined) return false;
    for (const connection of this.#connectionsOf(client)) this.disconnectByEngine(connection);
    return true;
  }

  /** Sends the notification event on every connection of `uuid` that enabled it; returns how many. */
  notifyClient(uuid: string): number {
    const client = this.registry.byUuid(uuid);
    if (client === undefined) return 0;
    return this.#connectionsOf(client).filter((connection) => connection.notify()).length;
  }

  /**
   * Sends `message` (firmware-initiated) on every open connection of `uuid` that accepts such
   * messages; returns how many. Queued until the host grants credits, bounded in bytes (`unsolicitedBytes`).
   * @throws VmeError VME_ERR_HECI_SEND over the client's maximum length or the byte bound
   */
  sendToClient(uuid: string, message: Uint8Array): number {
    const client = this.registry.byUuid(uuid);
    if (client === undefined) return 0;
    const open = this.#connectionsOf(client).filter((connection) => connection.isOpen && connection.acceptsFirmwareMessages);
    for (const connection of open) connection.sendUnsolicited(message);
    return open.length;
  }

  connections(): ConnectionInfo[] {
    return [...this.#connections.values()].map((c) => ({ client: c.clientUuid, meAddress: c.meAddress, hostAddress: c.hostAddress }));
  }

  /** One fragment from the host. Never throws. */
  receive(frame: Uint8Array): void {
    this.count('framesReceived');
    let header: MeiHeader;
    let payload: Uint8Array;
    try {
      ({ header, payload } = decodeFragment(frame));
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.count('malformedFrames');
      return;
    }
    if (header.length > this.fragmentBytes || header.dmaRing || header.reserved !== 0) {
      this.#malformedClientFrame(header);
      return;
    }
    if (header.meAddress === 0 && header.hostAddress === 0) this.#receiveHbm(header, payload);
    else this.#receiveClientFragment(header, payload);
  }

  /** Link reset (H_RST/ME_RST): every connection and the HBM handshake are forgotten. */
  reset(): void {
    for (const connection of [...this.#connections.values()]) this.closeConnection(connection);
    this.negotiated = undefined;
  }

  // ---- used by the HBM handlers (bus-hbm.ts) ----

  sendHbm<K extends HbmName>(name: K, fields: Partial<Omit<HbmFields<K>, 'command'>>): void {
    this.options.transmit(encodeFragment(0, 0, encodeHbm(name, fields), true));
  }

  connection(meAddress: number, hostAddress: number): BusConnection | undefined {
    return this.#connections.get(pairKey(meAddress, hostAddress));
  }

  openConnection(client: RegisteredClient, hostAddress: number): BusConnection {
    const connection = new BusConnection(client, client.meAddress, hostAddress, {
      transmit: this.options.transmit,
      fragmentBytes: this.fragmentBytes,
      outgoingLimit: this.options.outgoingLimit ?? 8,
      unsolicitedBytes: this.options.unsolicitedBytes ?? 1024 * 1024,
      deliver: (target, message) => this.#deliver(client, target, message),
    });
    this.#connections.set(pairKey(client.meAddress, hostAddress), connection);
    return connection;
  }

  connectionCount(client: RegisteredClient): number {
    return this.#connectionsOf(client).length;
  }

  /** Removes a connection and tells its client (a handler that throws is counted, nothing more). */
  closeConnection(connection: BusConnection): void {
    if (!connection.isOpen) return;
    connection.close();
    this.#connections.delete(pairKey(connection.meAddress, connection.hostAddress));
    this.guard(() => connection.client.handler.onDisconnect?.(connection));
  }

  /** Engine-initiated disconnect (CLIENT_DISCONNECT request to the host); the connection is freed at once. */
  disconnectByEngine(connection: BusConnection): void {
    if (!connection.isOpen) return;
    this.count('engineDisconnects');
    this.sendHbm('clientDisconnectRequest', { meAddress: connection.meAddress, hostAddress: connection.hostAddress });
    this.closeConnection(connection);
  }

  /** Runs client code; a throw is counted as a client fault and swallowed. Returns false on a throw. */
  guard(run: () => void): boolean {
    try {
      run();
      return true;
    } catch {
      this.count('clientFaults');
      return false;
    }
  }

  // ---- internals ----

  #receiveHbm(header: MeiHeader, payload: Uint8Array): void {
    if (!header.messageComplete) {
      this.count('malformedHbm'); // HBM messages always fit one fragment
      return;
    }
    try {
      handleHbm(this, decodeHbm(payload));
    } catch (error) {
      if (!(error instanceof DecodeError)) throw error;
      this.count('malformedHbm');
    }
  }

  #receiveClientFragment(header: MeiHeader, payload: Uint8Array): void {
    const connection = this.connection(header.meAddress, header.hostAddress);
    if (connection === undefined) {
      this.count('unknownConnection');
      return;
    }
    const violation: HostViolation | undefined = connection.receiveFragment(header, payload);
    if (violation !== undefined) {
      this.count(violation);
      this.disconnectByEngine(connection);
    }
  }

  #malformedClientFrame(header: MeiHeader): void {
    this.count('malformedFrames');
    const connection = this.connection(header.meAddress, header.hostAddress);
    if (connection !== undefined) this.disconnectByEngine(connection);
  }

  /** Runs the handler; returns a promise only when the handler's work is still going on. */
  #deliver(client: RegisteredClient, connection: BusConnection, message: Uint8Array): Promise<void> | undefined {
    this.count('messagesDelivered');
    const fault = (): void => {
      this.count('clientFaults');
      this.disconnectByEngine(connection);
    };
    try {
      const pending = client.handler.onMessage(connection, message);
      return pending instanceof Promise ? pending.catch(fault) : undefined;
    } catch {
      fault();
      return undefined;
    }
  }

  #connectionsOf(client: RegisteredClient): BusConnection[] {
    return [...this.#connections.values()].filter((connection) => connection.meAddress === client.meAddress);
  }
}
