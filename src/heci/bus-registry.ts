/**
 * The firmware client registry: each client the engine serves (one per HECI client an app's
 * manifest grants) gets a firmware address (me_addr 1..255) and the properties HOST_CLIENT_PROPERTIES
 * reports. [brief me-internals §3.3 "Client properties"]
 */
import { VmeError } from '../common/errors.js';
import type { HeciConnection } from './bus-connection.js';
import { isUuid } from './uuid.js';

/** How a firmware client serves its connections. Errors it throws fault only that connection. */
export interface HeciClientHandler {
  /** One complete message; the host gets its next credit when the returned promise settles. */
  onMessage(connection: HeciConnection, message: Uint8Array): void | Promise<void>;
  onConnect?(connection: HeciConnection): void;
  onDisconnect?(connection: HeciConnection): void;
}

export interface HeciClientRegistration {
  readonly uuid: string;
  readonly name: string;
  readonly protocolVersion: number;
  /** 1..255 simultaneous connections (the properties' max_number_of_connections). */
  readonly maxConnections: number;
  /** Largest message either way, 1..65536 bytes (the properties' max_msg_length). */
  readonly maxMessageBytes: number;
  readonly handler: HeciClientHandler;
}

export interface RegisteredClient extends HeciClientRegistration {
  readonly uuid: string; // canonical lower case
  readonly meAddress: number;
}

/** Messages are small; bulk data goes by DMA (issue 4 §1). */
export const MAX_CLIENT_MESSAGE_BYTES = 0x10000;

const registrationError = (message: string): VmeError => new VmeError('VME_ERR_HECI_REGISTRATION', message);

function validate(registration: HeciClientRegistration): void {
  const { uuid, name, protocolVersion, maxConnections, maxMessageBytes } = registration;
  const integerIn = (value: number, low: number, high: number): boolean => Number.isInteger(value) && value >= low && value <= high;
  if (!isUuid(uuid)) throw registrationError(`client UUID ${JSON.stringify(uuid)} is not a UUID`);
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) throw registrationError(`client ${uuid}: name must be 1..64 characters`);
  if (!integerIn(protocolVersion, 0, 255)) throw registrationError(`client ${uuid}: protocolVersion ${protocolVersion} is not 0..255`);
  if (!integerIn(maxConnections, 1, 255)) throw registrationError(`client ${uuid}: maxConnections ${maxConnections} is not 1..255`);
  if (!integerIn(maxMessageBytes, 1, MAX_CLIENT_MESSAGE_BYTES)) {
    throw registrationError(`client ${uuid}: maxMessageBytes ${maxMessageBytes} is not 1..${MAX_CLIENT_MESSAGE_BYTES}`);
  }
  if (typeof registration.handler?.onMessage !== 'function') throw registrationError(`client ${uuid}: handler has no onMessage`);
}

export class ClientRegistry {
  readonly #byAddress = new Map<number, RegisteredClient>();
  readonly #byUuid = new Map<string, RegisteredClient>();

  /** @throws VmeError VME_ERR_HECI_REGISTRATION for an invalid or duplicate client, or when all 255 addresses are taken */
  add(registration: HeciClientRegistration): RegisteredClient {
    validate(registration);
    const uuid = registration.uuid.toLowerCase();
    if (this.#byUuid.has(uuid)) throw registrationError(`client ${uuid} is already registered`);
    const meAddress = this.#freeAddress();
    const client: RegisteredClient = { ...registration, uuid, meAddress };
    this.#byAddress.set(meAddress, client);
    this.#byUuid.set(uuid, client);
    return client;
  }

  remove(uuid: string): RegisteredClient | undefined {
    const client = this.#byUuid.get(uuid.toLowerCase());
    if (client === undefined) return undefined;
    this.#byUuid.delete(client.uuid);
    this.#byAddress.delete(client.meAddress);
    return client;
  }

  byAddress(meAddress: number): RegisteredClient | undefined {
    return this.#byAddress.get(meAddress);
  }

  byUuid(uuid: string): RegisteredClient | undefined {
    return this.#byUuid.get(uuid.toLowerCase());
  }

  all(): RegisteredClient[] {
    return [...this.#byAddress.values()].sort((a, b) => a.meAddress - b.meAddress);
  }

  /** The HOST_ENUM bitmap: bit n of byte n/8 set when me_addr n is a client. */
  addressBitmap(): Uint8Array {
    const bitmap = new Uint8Array(32);
    for (const address of this.#byAddress.keys()) bitmap[address >> 3] = (bitmap[address >> 3] ?? 0) | (1 << (address & 7));
    return bitmap;
  }

  #freeAddress(): number {
    for (let address = 1; address <= 255; address++) if (!this.#byAddress.has(address)) return address;
    throw registrationError('all 255 firmware client addresses are in use');
  }
}
