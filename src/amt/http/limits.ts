/**
 * Hard limits on what one AMT HTTP connection may send. Real AMT firmware has small fixed buffers
 * (and two remote HTTP-parser CVEs: SA-00112, CVE-2020-8758); these caps keep every allocation
 * bounded. Anything over a limit gets a 400 page and a closed connection.
 */

export interface HttpLimits {
  /** Request line, bytes without CRLF. */
  readonly maxRequestLineBytes: number;
  /** Whole request head (request line + headers), and separately the trailers of a chunked body. */
  readonly maxHeadBytes: number;
  readonly maxHeaderCount: number;
  /** Decoded body size (Content-Length or the sum of chunks). */
  readonly maxBodyBytes: number;
  /** A chunk-size line, bytes without CRLF (size plus extensions). */
  readonly maxChunkLineBytes: number;
  /** Requests parsed but not yet answered on one connection (pipelining). */
  readonly maxPipelinedRequests: number;
  /** An idle connection is closed after this long (ms); adapters only. */
  readonly idleTimeoutMs: number;
  /**
   * From a request's first byte until it is complete (ms); adapters only. Without it a client that
   * trickles one byte per idle period (slowloris) would hold a connection for days.
   */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxRequestLineBytes: 4096,
  maxHeadBytes: 16 * 1024,
  maxHeaderCount: 64,
  maxBodyBytes: 512 * 1024,
  maxChunkLineBytes: 128,
  maxPipelinedRequests: 16,
  idleTimeoutMs: 30_000,
  requestTimeoutMs: 20_000,
};
