/**
 * The seam between the HTTP layer and the WS-Man layer above it: an authenticated request in, a
 * reply description out. The HTTP layer owns framing, authentication and the exact reply bytes;
 * the handler owns the SOAP. A handler that throws gets a 500 page, never a crash.
 */
import type { AmtPrincipal, RemoteEndpoint } from '../auth/index.js';

export type AmtTransport = 'http' | 'tls';
/** Where a connection came from: the network (16992/16993) or the host through LMS/LME (APF over HECI). */
export type AmtOrigin = 'network' | 'local';

export interface AmtRequest {
  readonly method: string;
  /** Path and query (the absolute form's host part removed), e.g. `/wsman`. */
  readonly path: string;
  /** Lower-cased names; repeated fields joined with ", ". */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Uint8Array;
  readonly principal: AmtPrincipal;
  readonly transport: AmtTransport;
  readonly origin: AmtOrigin;
  readonly remote: RemoteEndpoint;
}

export type AmtResponse =
  /** A SOAP envelope (or SOAP fault with 400), sent chunked. */
  | { readonly kind: 'wsman'; readonly status: 200 | 400; readonly body: string | Uint8Array }
  /** AMT's HTML error page with `message` as its warning line, then the connection closes. */
  | { readonly kind: 'page'; readonly status: 400 | 404 | 500; readonly message: string };

export type AmtHandler = (request: AmtRequest) => AmtResponse | Promise<AmtResponse>;

/** A handler that knows nothing yet: 404 for every path (the WS-Man layer replaces it). */
export const notFoundHandler: AmtHandler = () => ({ kind: 'page', status: 404, message: 'Not Found.' });
