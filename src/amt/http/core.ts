/**
 * The AMT web server without I/O: routes each parsed request (unauthenticated `GET /` redirect,
 * Digest check, handler), serializes the reply as AMT does, and offers `inject()` so tests and
 * in-process callers (e.g. an APF channel over CIRA or LME) need no socket.
 */
import type { VmeError } from '../../common/errors.js';
import type { DigestAuthenticator } from '../auth/index.js';
import { AmtHttpConnection, type ConnectionContext, type ConnectionIo } from './connection.js';
import type { AmtHandler, AmtResponse } from './handler.js';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './limits.js';
import { DEFAULT_AMT_PROFILE, serverHeaderValue, type AmtHttpProfile } from './profile.js';
import type { HttpRequest } from './request-parser.js';
import { errorPageReply, redirectReply, unauthorizedReply, wsmanReply, type ReplyContext } from './response-writer.js';

export interface AmtHttpCoreOptions {
  readonly auth: DigestAuthenticator;
  readonly handler: AmtHandler;
  readonly profile?: AmtHttpProfile;
  readonly limits?: Partial<HttpLimits>;
  /** For the `Date` header; the real clock unless a test pins it. */
  readonly now?: () => Date;
}

export interface Reply {
  readonly bytes: Uint8Array;
  /** AMT closes the connection after this reply. */
  readonly close: boolean;
}

const LOCAL_CONTEXT: ConnectionContext = { transport: 'http', remote: { address: '127.0.0.1', port: 0 } };

export class AmtHttpCore {
  readonly limits: HttpLimits;
  readonly #auth: DigestAuthenticator;
  readonly #handler: AmtHandler;
  readonly #server: string;
  readonly #profile: AmtHttpProfile;
  readonly #now: () => Date;

  /** @throws VmeError VME_ERR_USAGE for a bad profile. */
  constructor(options: AmtHttpCoreOptions) {
    this.#auth = options.auth;
    this.#handler = options.handler;
    this.#profile = options.profile ?? DEFAULT_AMT_PROFILE;
    this.#server = serverHeaderValue(this.#profile);
    this.limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
    this.#now = options.now ?? ((): Date => new Date());
  }

  /** A connection whose output goes to `io`. */
  connect(context: ConnectionContext, io: ConnectionIo): AmtHttpConnection {
    return new AmtHttpConnection(this, context, io);
  }

  /** In-process round trip: feeds `bytes` to a new connection and returns everything it wrote. */
  async inject(bytes: string | Uint8Array, context: ConnectionContext = LOCAL_CONTEXT): Promise<{ bytes: Uint8Array; closed: boolean }> {
    const out: Uint8Array[] = [];
    let closed = false;
    const connection = this.connect(context, { write: (chunk) => out.push(chunk), end: () => (closed = true) });
    connection.receive(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
    await connection.settled();
    return { bytes: Buffer.concat(out), closed };
  }

  /** The reply to one complete request. Never rejects: any failure becomes AMT's 500 page. */
  async respond(request: HttpRequest, context: ConnectionContext): Promise<Reply> {
    try {
      return await this.#route(request, context);
    } catch {
      return this.#serialize({ kind: 'page', status: 500, message: 'Internal Server Error.' });
    }
  }

  async #route(request: HttpRequest, context: ConnectionContext): Promise<Reply> {
    const path = pathOf(request.target);
    if (request.method === 'GET' && path === '/') return { bytes: redirectReply('/logon.htm', this.#context()), close: false };
    const outcome = this.#auth.authenticate({
      method: request.method, target: request.target, authorization: request.headers.get('authorization'), body: request.body, remote: context.remote,
    });
    if (outcome.kind === 'challenge') return { bytes: unauthorizedReply(outcome.wwwAuthenticate, this.#context()), close: true };
    const response = await this.#handler({
      method: request.method, path, headers: request.headers, body: request.body, principal: outcome.principal, transport: context.transport, origin: context.origin ?? 'network', remote: context.remote,
    });
    return this.#serialize(response);
  }

  /** The 400 page for a request that could not be parsed. */
  badRequest(error: VmeError): Uint8Array {
    const detail = error.code === 'VME_ERR_HTTP_TOO_LARGE' ? 'Request too large.' : 'Malformed request.';
    return errorPageReply(400, `Bad Request. ${detail}`, this.#context());
  }

  #serialize(response: AmtResponse): Reply {
    if (response.kind === 'wsman') return { bytes: wsmanReply(response.status, response.body, this.#context()), close: response.status === 400 };
    return { bytes: errorPageReply(response.status, response.message, this.#context()), close: true };
  }

  #context(): ReplyContext {
    return { server: this.#server, now: this.#now(), maxChunkBytes: this.#profile.maxChunkBytes };
  }
}

/** Path and query of an origin-form or absolute-form target. */
export function pathOf(target: string): string {
  const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*(.*)$/.exec(target);
  return absolute ? absolute[1] || '/' : target;
}
