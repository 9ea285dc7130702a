/**
 * The AMT app's LME HECI client: APF (src/protocols/apf) between the host's LMS and AMT's web
 * pipeline. One `createLmeServer` per host connection: its messages leave as engine-initiated HECI
 * messages (the `heci:<LME uuid>` `send` syscall, posted in order, never awaited in between), each
 * channel is a local connection of the pipeline (`openLocalConnection`: 16992 plain, 16993 TLS
 * terminated here, origin `local`). The kernel's connection events reset the session: when LMS goes
 * away its channels end, and the next LMS starts a new handshake. A message the host can no longer
 * get (`sent: false`, or a refused send) ends the session the same way; a host that goes on talking
 * is answered DISCONNECT and starts again. Nothing here takes the app's mutex: requests on the
 * channels take it themselves.
 */
import { createLmeServer, LME_CLIENT_UUID, type LmeServer } from '../../protocols/apf/index.js';
import type { AppContext, HostConnectionEvent } from '../../kernel/app-api.js';
import type { Amt } from './amt.js';

export { LME_CLIENT_UUID };

/** The grant's maximum message size (manifests/default.json): one APF message per HECI message. */
export const LME_MAX_MESSAGE_BYTES = 4096;

export const isLmeClient = (client: string): boolean => client.toLowerCase() === LME_CLIENT_UUID;

/** The LME session of one AMT app instance (one host connection at a time, as granted). */
export class LmeEndpoint {
  #server: LmeServer | undefined;
  readonly #capability = `heci:${LME_CLIENT_UUID}`;

  /** `amt`: the platform's AMT, opened on first use (rejects while the state cannot be opened). */
  constructor(private readonly context: AppContext, private readonly amt: () => Promise<Amt>) {}

  /** The session now (undefined: no host connected, or none since this instance started). */
  get server(): LmeServer | undefined {
    return this.#server;
  }

  /** A kernel connection event for the LME client: the old session ends; a connect starts a new one. */
  async onConnection(event: HostConnectionEvent): Promise<void> {
    this.end();
    if (event === 'connected') await this.#open();
  }

  /** One HECI message from LMS (no reply: answers leave as engine-initiated messages). */
  async receive(bytes: Uint8Array): Promise<Uint8Array> {
    const server = this.#server ?? (await this.#open()); // an instance started while LMS was connected
    server.receive(bytes);
    return new Uint8Array(0);
  }

  /** Ends the session without a word to the host (it is gone, or this instance stops). */
  end(): void {
    this.#server?.reset();
    this.#server = undefined;
  }

  async #open(): Promise<LmeServer> {
    const { runtime, pipeline } = await this.amt();
    if (this.#server) return this.#server;
    const server: LmeServer = createLmeServer({
      uuid: runtime.wsmanFacts.uuid, maxMessageBytes: LME_MAX_MESSAGE_BYTES,
      send: (message) => this.#send(server, message),
      openChannel: (port, io) => pipeline.openLocalConnection(port, io),
    });
    this.#server = server;
    return server;
  }

  /**
   * Posts one message now (so they leave in order); a message the host cannot get ends that session.
   * An ended session's late output (a channel torn down after the host left) is dropped here; the
   * kernel drops what was already on its way (a new connection takes none before 'connected').
   */
  #send(server: LmeServer, message: Uint8Array): void {
    if (this.#server !== server) return;
    const lost = (): void => {
      if (this.#server === server) this.end();
    };
    this.context.invoke(this.#capability, 'send', { bytes: message }).then((reply) => {
      if ((reply as { sent?: unknown }).sent !== true) lost();
    }, lost);
  }
}
