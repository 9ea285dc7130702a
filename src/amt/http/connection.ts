/**
 * One HTTP connection to the AMT web server, without sockets: `receive(bytes)` in, bytes out through
 * `io.write`, `io.end` when AMT would close (after a 401, a 400, an error page, or `Connection:
 * close`). Pipelined requests are answered one at a time, in order.
 */
import type { VmeError } from '../../common/errors.js';
import type { RemoteEndpoint } from '../auth/index.js';
import type { AmtHttpCore } from './core.js';
import type { AmtOrigin, AmtTransport } from './handler.js';
import { HttpRequestParser, type HttpRequest } from './request-parser.js';
import { CONTINUE_BYTES } from './response-writer.js';
import { tooLarge } from './request-head.js';

export interface ConnectionIo {
  write(bytes: Uint8Array): void;
  /** Flush what was written, then close. */
  end(): void;
}

export interface ConnectionContext {
  readonly transport: AmtTransport;
  readonly remote: RemoteEndpoint;
  /** Default 'network'; 'local' for channels tunnelled from the host (LME). */
  readonly origin?: AmtOrigin;
}

export class AmtHttpConnection {
  readonly #core: AmtHttpCore;
  readonly #context: ConnectionContext;
  readonly #io: ConnectionIo;
  readonly #parser: HttpRequestParser;
  readonly #queue: HttpRequest[] = [];
  #error: VmeError | undefined;
  #busy = false;
  #closed = false;
  #idle: Promise<void> = Promise.resolve();

  constructor(core: AmtHttpCore, context: ConnectionContext, io: ConnectionIo) {
    this.#core = core;
    this.#context = context;
    this.#io = io;
    this.#parser = new HttpRequestParser(core.limits);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** A request has begun arriving and is not complete yet (adapters time this). */
  get receivingRequest(): boolean {
    return !this.#closed && this.#parser.midRequest;
  }

  /** Bytes from the peer. */
  receive(bytes: Uint8Array): void {
    if (this.#closed || this.#error !== undefined) return;
    for (const event of this.#parser.push(bytes)) {
      if (event.kind === 'request') this.#enqueue(event.request);
      else if (event.kind === 'error') this.#error = event.error;
      else if (!this.#busy && this.#queue.length === 0) this.#io.write(CONTINUE_BYTES);
    }
    if (!this.#busy) this.#idle = this.#pump();
  }

  /** Resolves when every received request has been answered (for in-process callers and tests). */
  settled(): Promise<void> {
    return this.#idle;
  }

  /** The peer went away: drop what is queued. */
  abort(): void {
    this.#closed = true;
    this.#queue.length = 0;
  }

  #enqueue(request: HttpRequest): void {
    if (this.#queue.length >= this.#core.limits.maxPipelinedRequests) this.#error ??= tooLarge('pipelined requests');
    else this.#queue.push(request);
  }

  async #pump(): Promise<void> {
    this.#busy = true;
    try {
      for (let request = this.#queue.shift(); request !== undefined && !this.#closed; request = this.#queue.shift()) {
        const reply = await this.#core.respond(request, this.#context);
        if (this.#closed) return;
        this.#io.write(reply.bytes);
        if (reply.close || !request.keepAlive) return this.#close();
      }
      if (this.#error !== undefined && !this.#closed) {
        this.#io.write(this.#core.badRequest(this.#error));
        this.#close();
      }
    } finally {
      this.#busy = false;
    }
  }

  #close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.#io.end();
  }
}
