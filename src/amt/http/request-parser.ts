/**
 * Sans-I/O HTTP/1.1 request parser: push bytes, get complete requests (pipelined ones in order),
 * a `continue` event for `Expect: 100-continue`, or one typed error after which it stops.
 * Bodies are framed by Content-Length or chunked transfer coding (RPS sends chunked bodies).
 */
import { VmeError } from '../../common/errors.js';
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from './limits.js';
import { malformed, parseFields, parseRequestHead, tooLarge, type HttpRequestHead } from './request-head.js';

export interface HttpRequest extends HttpRequestHead {
  readonly body: Uint8Array;
}

export type ParserEvent =
  | { readonly kind: 'request'; readonly request: HttpRequest }
  | { readonly kind: 'continue' }
  | { readonly kind: 'error'; readonly error: VmeError };

type State =
  | { readonly kind: 'head' }
  | { readonly kind: 'length'; readonly head: HttpRequestHead; readonly remaining: number }
  | { readonly kind: 'chunk-size'; readonly head: HttpRequestHead }
  | { readonly kind: 'chunk-data'; readonly head: HttpRequestHead; readonly remaining: number }
  | { readonly kind: 'chunk-end'; readonly head: HttpRequestHead }
  | { readonly kind: 'trailers'; readonly head: HttpRequestHead }
  | { readonly kind: 'failed' };

const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');

export class HttpRequestParser {
  readonly #limits: HttpLimits;
  #buffer: Buffer = Buffer.alloc(0);
  #state: State = { kind: 'head' };
  #body: Buffer[] = [];
  #bodyBytes = 0;

  constructor(limits: HttpLimits = DEFAULT_HTTP_LIMITS) {
    this.#limits = limits;
  }

  get failed(): boolean {
    return this.#state.kind === 'failed';
  }

  /** Part of a request has arrived and the rest has not. */
  get midRequest(): boolean {
    return this.#state.kind !== 'failed' && (this.#state.kind !== 'head' || this.#buffer.length > 0);
  }

  /** Feeds bytes; returns what they completed. Never throws for any input. */
  push(bytes: Uint8Array): ParserEvent[] {
    if (this.#state.kind === 'failed') return [];
    this.#buffer = this.#buffer.length === 0 ? Buffer.from(bytes) : Buffer.concat([this.#buffer, bytes]);
    const events: ParserEvent[] = [];
    try {
      while (this.#step(events));
    } catch (error) {
      this.#state = { kind: 'failed' };
      this.#buffer = Buffer.alloc(0);
      events.push({ kind: 'error', error: error instanceof VmeError ? error : malformed(String(error)) });
    }
    return events;
  }

  /** One state transition; false when more bytes are needed. */
  #step(events: ParserEvent[]): boolean {
    const state = this.#state;
    switch (state.kind) {
      case 'head': return this.#readHead(events);
      case 'length': return this.#readBody(state.head, state.remaining, events);
      case 'chunk-size': return this.#readChunkSize(state.head);
      case 'chunk-data': return this.#readChunkData(state.head, state.remaining);
      case 'chunk-end': return this.#expectCrlf(state.head);
      case 'trailers': return this.#readTrailers(state.head, events);
      case 'failed': return false;
    }
  }

  #readHead(events: ParserEvent[]): boolean {
    while (this.#buffer.subarray(0, 2).equals(CRLF)) this.#buffer = this.#buffer.subarray(2);
    const end = this.#buffer.indexOf(HEAD_END);
    if (end < 0) {
      const firstLineEnd = this.#buffer.indexOf(CRLF);
      if (firstLineEnd < 0 && this.#buffer.length > this.#limits.maxRequestLineBytes) throw tooLarge('request line');
      if (this.#buffer.length > this.#limits.maxHeadBytes) throw tooLarge('request head');
      return false;
    }
    if (end > this.#limits.maxHeadBytes) throw tooLarge('request head');
    const head = parseRequestHead(this.#buffer.toString('latin1', 0, end), this.#limits);
    this.#buffer = this.#buffer.subarray(end + 4);
    this.#body = [];
    this.#bodyBytes = 0;
    const framing = head.framing;
    if (framing.kind === 'length' && framing.length > this.#limits.maxBodyBytes) throw tooLarge('body');
    const bodyFollows = framing.kind === 'chunked' || (framing.kind === 'length' && framing.length > 0);
    if (head.expectContinue && bodyFollows && this.#buffer.length === 0) events.push({ kind: 'continue' });
    if (framing.kind === 'chunked') this.#state = { kind: 'chunk-size', head };
    else this.#state = { kind: 'length', head, remaining: framing.kind === 'length' ? framing.length : 0 };
    return true;
  }

  #readBody(head: HttpRequestHead, remaining: number, events: ParserEvent[]): boolean {
    const take = Math.min(remaining, this.#buffer.length);
    if (take > 0) this.#takeBody(take);
    if (remaining - take > 0) {
      this.#state = { kind: 'length', head, remaining: remaining - take };
      return false;
    }
    this.#finish(head, events);
    return true;
  }

  #readChunkSize(head: HttpRequestHead): boolean {
    const end = this.#buffer.indexOf(CRLF);
    if (end < 0) {
      if (this.#buffer.length > this.#limits.maxChunkLineBytes) throw tooLarge('chunk-size line');
      return false;
    }
    if (end > this.#limits.maxChunkLineBytes) throw tooLarge('chunk-size line');
    const line = this.#buffer.toString('latin1', 0, end);
    const size = /^([0-9A-Fa-f]{1,8})[ \t]*(;.*)?$/.exec(line)?.[1];
    if (size === undefined) throw malformed('chunk size');
    const length = Number.parseInt(size, 16);
    this.#buffer = this.#buffer.subarray(end + 2);
    if (length === 0) {
      this.#state = { kind: 'trailers', head };
      return true;
    }
    if (this.#bodyBytes + length > this.#limits.maxBodyBytes) throw tooLarge('body');
    this.#state = { kind: 'chunk-data', head, remaining: length };
    return true;
  }

  #readChunkData(head: HttpRequestHead, remaining: number): boolean {
    const take = Math.min(remaining, this.#buffer.length);
    if (take > 0) this.#takeBody(take);
    this.#state = remaining - take > 0 ? { kind: 'chunk-data', head, remaining: remaining - take } : { kind: 'chunk-end', head };
    return remaining - take === 0;
  }

  #expectCrlf(head: HttpRequestHead): boolean {
    if (this.#buffer.length < 2) return false;
    if (!this.#buffer.subarray(0, 2).equals(CRLF)) throw malformed('chunk not followed by CRLF');
    this.#buffer = this.#buffer.subarray(2);
    this.#state = { kind: 'chunk-size', head };
    return true;
  }

  #readTrailers(head: HttpRequestHead, events: ParserEvent[]): boolean {
    if (this.#buffer.subarray(0, 2).equals(CRLF)) {
      this.#buffer = this.#buffer.subarray(2);
      this.#finish(head, events);
      return true;
    }
    const end = this.#buffer.indexOf(HEAD_END);
    if (end < 0) {
      if (this.#buffer.length > this.#limits.maxHeadBytes) throw tooLarge('trailers');
      return false;
    }
    if (end > this.#limits.maxHeadBytes) throw tooLarge('trailers');
    parseFields(this.#buffer.toString('latin1', 0, end).split('\r\n'));
    this.#buffer = this.#buffer.subarray(end + 4);
    this.#finish(head, events);
    return true;
  }

  #takeBody(length: number): void {
    this.#body.push(Buffer.from(this.#buffer.subarray(0, length)));
    this.#bodyBytes += length;
    this.#buffer = this.#buffer.subarray(length);
  }

  #finish(head: HttpRequestHead, events: ParserEvent[]): void {
    const body = this.#body.length === 1 ? (this.#body[0] ?? Buffer.alloc(0)) : Buffer.concat(this.#body);
    events.push({ kind: 'request', request: { ...head, body: new Uint8Array(body.buffer, body.byteOffset, body.length) } });
    this.#body = [];
    this.#bodyBytes = 0;
    this.#state = { kind: 'head' };
  }
}
