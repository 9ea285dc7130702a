/**
 * Test helpers: an LMS client wired to an LME server in-process (each side's messages queued and
 * delivered on demand, so tests can hold one direction back), an echoing `openChannel`, and a
 * seeded PRNG for the fuzz tests.
 */
import { createLmsClient, type LmsClient, type LmsClientEvent, type LmsClientOptions, type LmsConnectionIo } from './client.js';
import { decodeApf, type ApfMessage } from './messages.js';
import { createLmeServer, type LmeChannelHandle, type LmeChannelIo, type LmeServer, type LmeServerEvent, type LmeServerOptions } from './server.js';

export const TEST_UUID = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

/** Small deterministic PRNG (xorshift32): failures reproduce from the seed. */
export function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state / 0x1_0000_0000;
  };
}

/** An engine connection that sends back what it receives. */
export const echoChannel = (port: number, io: LmeChannelIo): LmeChannelHandle => {
  void port;
  return { receive: (bytes) => io.write(bytes), close: () => undefined };
};

/** A local connection that records what AMT sent and whether it ended. */
export class Sink implements LmsConnectionIo {
  readonly chunks: Uint8Array[] = [];
  ended = false;
  drained = 0;
  write(bytes: Uint8Array): void { this.chunks.push(Uint8Array.from(bytes)); }
  end(): void { this.ended = true; }
  drain(): void { this.drained += 1; }
  get text(): string { return Buffer.concat(this.chunks).toString('latin1'); }
  get length(): number { return this.chunks.reduce((n, c) => n + c.length, 0); }
}

export interface PairOptions {
  readonly server?: Partial<Omit<LmeServerOptions, 'send' | 'onEvent'>>;
  readonly client?: Partial<Omit<LmsClientOptions, 'send' | 'onEvent'>>;
}

/** A client and a server joined by two queues. */
export class LmePair {
  readonly toServer: Uint8Array[] = [];
  readonly toClient: Uint8Array[] = [];
  readonly serverEvents: LmeServerEvent[] = [];
  readonly clientEvents: LmsClientEvent[] = [];
  readonly server: LmeServer;
  readonly client: LmsClient;
  /** Every message that went each way, decoded (for window and size checks). */
  readonly log: { readonly to: 'server' | 'client'; readonly message: ApfMessage }[] = [];

  constructor(options: PairOptions = {}) {
    this.server = createLmeServer({
      uuid: TEST_UUID, openChannel: echoChannel, ...options.server,
      send: (m) => this.toClient.push(m), onEvent: (e) => this.serverEvents.push(e),
    });
    this.client = createLmsClient({
      forward: () => true, ...options.client,
      send: (m) => this.toServer.push(m), onEvent: (e) => this.clientEvents.push(e),
    });
  }

  /** Delivers up to `limit` queued messages to the server. @returns how many */
  deliverToServer(limit = Infinity): number {
    let n = 0;
    for (; n < limit && this.toServer.length > 0; n++) this.#deliver('server', this.toServer.shift() as Uint8Array);
    return n;
  }

  deliverToClient(limit = Infinity): number {
    let n = 0;
    for (; n < limit && this.toClient.length > 0; n++) this.#deliver('client', this.toClient.shift() as Uint8Array);
    return n;
  }

  /** Both ways until nothing moves. */
  pump(): void {
    for (let rounds = 0; rounds < 100_000; rounds++) {
      if (this.deliverToServer() + this.deliverToClient() === 0) return;
    }
    throw new Error('the pair kept talking for 100000 rounds');
  }

  /** Starts the client and runs the handshake. */
  handshake(): this {
    this.client.start();
    this.pump();
    return this;
  }

  #deliver(to: 'server' | 'client', bytes: Uint8Array): void {
    try {
      this.log.push({ to, message: decodeApf(bytes) });
    } catch {
      // malformed on purpose: the receiver reports it
    }
    if (to === 'server') this.server.receive(bytes);
    else this.client.receive(bytes);
  }
}
