/**
 * The device end of one redirection connection, sans-I/O: `receive(bytes)` returns the messages
 * to send (each its own write: amtterm swallows whatever follows some replies in the same read,
 * brief §4.2) and the events for the owner; `fromHost(bytes)` frames the host UART's output while
 * SOL is open. Order: StartRedirectionSession (admitted or refused by the owner) →
 * AuthenticateSession (query, user/password, digest with or without qop; one failure ends the
 * connection; the user needs the Redirection realm) → StartSOL (the owner opens or refuses it:
 * busy, disabled, no consent) → data both ways, keep-alives → EndSOL / EndRedirectionSession.
 * A KVM session (`KVMR`) instead sends StartKVM (0x40) after authentication; once the owner opens
 * it (`openKvm`) the device answers 0x41 and the connection carries raw RFB: every later byte,
 * and any that followed 0x40 in the same read, comes out as `kvm-data` (brief §4.5).
 * A malformed message or one out of order ends the connection with a typed error in the `close`
 * event; nothing is thrown.
 */
import type { RemoteEndpoint } from '../../amt/auth/index.js';
import type { RedirectionAuthenticator, RedirectionCredentials } from './auth.js';
import { AUTH_STATUS, AUTH_TYPE, OFFERED_AUTH_TYPES, REDIRECTION_LIMITS, REDIRECTION_REALM, SESSION_KIND, START_STATUS, type SessionKind } from './constants.js';
import { protocolError, RedirectionError } from './errors.js';
import { decodeElements, encodeElements, encodeFrame, readFrame, type RedirectionFrame } from './messages.js';
import { IderDevice, type IderEvent, type IderStep } from './ider-session.js';

/** What the console asked for in StartSOLRedirection (milliseconds and bytes as sent). */
export interface SolSettings {
  readonly maxTxBuffer: number;
  readonly txBufferTimeout: number;
  readonly txOverflowTimeout: number;
  readonly hostSessionRxTimeout: number;
  readonly hostFifoRxFlushTimeout: number;
  readonly heartbeatInterval: number;
}

export interface RedirectionPrincipal {
  readonly user: string;
  readonly realms: readonly string[];
}

export type RedirectionEvent =
  | { readonly kind: 'start-refused'; readonly session: string; readonly status: number }
  | { readonly kind: 'authenticated'; readonly user: string; readonly realms: readonly string[] }
  | { readonly kind: 'auth-failed'; readonly user: string; readonly authType: number; readonly reason: string }
  | { readonly kind: 'sol-open'; readonly user: string; readonly settings: SolSettings }
  | { readonly kind: 'sol-refused'; readonly user: string; readonly status: number }
  | { readonly kind: 'sol-data'; readonly bytes: Uint8Array }
  | { readonly kind: 'sol-close' }
  | { readonly kind: 'kvm-open'; readonly user: string }
  | { readonly kind: 'kvm-refused'; readonly user: string; readonly status: number }
  /** RFB bytes from the console, in order, once KVM is open. */
  | { readonly kind: 'kvm-data'; readonly bytes: Uint8Array }
  | { readonly kind: 'kvm-close' }
  /** IDER sessions (ider-session.ts): the console opened or enabled IDER, or a command ended. */
  | { readonly kind: 'ider'; readonly event: IderEvent }
  | { readonly kind: 'close'; readonly reason: 'ended' | 'refused' | 'auth-failed' | 'error'; readonly error?: RedirectionError };

export interface RedirectionStep {
  /** Messages to send, in order, each in its own write. */
  readonly output: readonly Uint8Array[];
  readonly events: readonly RedirectionEvent[];
  /** Close the connection after sending `output`. */
  readonly close: boolean;
}

export interface RedirectionSessionOptions {
  readonly authenticator: RedirectionAuthenticator;
  /** StartRedirectionSession of a known kind: a START_STATUS (0 admits). */
  admit(kind: SessionKind): number;
  /** StartSOL by an authenticated principal: 0 opens SOL, anything else is the refusing status. */
  openSol(principal: RedirectionPrincipal): number;
  /** StartKVM by an authenticated principal in a KVM session: 0 opens it; refused when absent. */
  openKvm?(principal: RedirectionPrincipal): number;
  readonly remote?: RemoteEndpoint;
}

export type RedirectionPhase = 'start' | 'auth' | 'ready' | 'sol' | 'kvm' | 'ider' | 'closed';

const KIND_BY_TAG = new Map<string, SessionKind>(Object.entries(SESSION_KIND).map(([kind, tag]) => [tag, kind as SessionKind]));
/** A failed SOL start (the reply's status when the owner gives none). */
const SOL_REFUSED = 1;

export class RedirectionSession {
  #phase: RedirectionPhase = 'start';
  #buffer: Uint8Array = new Uint8Array(0);
  #principal: RedirectionPrincipal | undefined;
  #kind: SessionKind | undefined;
  #ider: IderDevice | undefined;
  #sequence = 0;
  #chunk: number = REDIRECTION_LIMITS.solChunkBytes;
  #output: Uint8Array[] = [];
  #events: RedirectionEvent[] = [];
  #close = false;

  constructor(private readonly options: RedirectionSessionOptions) {}

  get phase(): RedirectionPhase {
    return this.#phase;
  }

  /** Bytes from the console. Never throws. */
  receive(bytes: Uint8Array): RedirectionStep {
    if (this.#phase === 'closed') return { output: [], events: [], close: true };
    if (this.#phase === 'kvm') {
      if (bytes.length > 0) this.#events.push({ kind: 'kvm-data', bytes });
      return this.#take();
    }
    if (this.#phase === 'ider') return this.#iderReceive(bytes);
    this.#buffer = this.#buffer.length === 0 ? bytes : concat(this.#buffer, bytes);
    try {
      for (;;) {
        const next = readFrame(this.#buffer, 'console');
        if (next === undefined) break;
        this.#buffer = this.#buffer.subarray(next.size);
        this.#handle(next.frame);
        if (this.#close) break;
        if (this.phase === 'kvm') { // 0x40 was answered: the rest is RFB
          if (this.#buffer.length > 0) this.#events.push({ kind: 'kvm-data', bytes: this.#buffer });
          this.#buffer = new Uint8Array(0);
          break;
        }
        if (this.phase === 'ider') { // logged in to an IDER session: the rest is IDER messages
          const rest = this.#buffer;
          this.#buffer = new Uint8Array(0);
          if (rest.length > 0) this.#iderApply(this.#ider?.receive(rest));
          break;
        }
      }
    } catch (error) {
      if (!(error instanceof RedirectionError)) throw error;
      this.#end('error', error);
    }
    return this.#take();
  }

  /** The host UART's output, framed for the console while SOL is open (nothing otherwise). */
  fromHost(bytes: Uint8Array): Uint8Array[] {
    if (this.#phase !== 'sol') return [];
    const frames: Uint8Array[] = [];
    for (let offset = 0; offset < bytes.length; offset += this.#chunk) {
      frames.push(encodeFrame('solDataFromHost', { sequence: this.#nextSequence() }, bytes.subarray(offset, offset + this.#chunk)));
    }
    return frames;
  }

  /** The owner ends the session (e.g. the connection closed): a `sol-close` if SOL was open. */
  end(): RedirectionEvent[] {
    if (this.#phase === 'closed') return [];
    this.#end('ended');
    return this.#take().events as RedirectionEvent[];
  }

  /** The IDER side of a logged-in IDER session (the owner writes the host's ATAPI commands through it). */
  get ider(): IderDevice | undefined {
    return this.#phase === 'ider' ? this.#ider : undefined;
  }

  #iderReceive(bytes: Uint8Array): RedirectionStep {
    try {
      this.#iderApply(this.#ider?.receive(bytes));
    } catch (error) {
      if (!(error instanceof RedirectionError)) throw error;
      this.#end('error', error);
    }
    return this.#take();
  }

  #iderApply(step: IderStep | undefined): void {
    if (step === undefined) return;
    this.#output.push(...step.output);
    for (const event of step.events) this.#events.push({ kind: 'ider', event });
    if (step.close) this.#end('ended');
  }

  #take(): RedirectionStep {
    const step = { output: this.#output, events: this.#events, close: this.#close };
    this.#output = [];
    this.#events = [];
    return step;
  }

  #send(frame: Uint8Array): void {
    this.#output.push(frame);
  }

  #end(reason: 'ended' | 'refused' | 'auth-failed' | 'error', error?: RedirectionError): void {
    if (this.#phase === 'sol') this.#events.push({ kind: 'sol-close' });
    if (this.#phase === 'kvm') this.#events.push({ kind: 'kvm-close' });
    if (this.#ider) for (const event of this.#ider.end()) this.#events.push({ kind: 'ider', event });
    this.#phase = 'closed';
    this.#close = true;
    this.#events.push({ kind: 'close', reason, ...(error ? { error } : {}) });
  }

  #nextSequence(): number {
    this.#sequence = (this.#sequence + 1) >>> 0;
    return this.#sequence;
  }

  #handle(frame: RedirectionFrame): void {
    switch (frame.name) {
      case 'startRedirectionSession':
        return this.#start(frame);
      case 'authenticateSession':
        return this.#authenticate(frame);
      case 'endRedirectionSession':
        return this.#end('ended');
      default:
        return this.#afterAuth(frame);
    }
  }

  #start(frame: RedirectionFrame): void {
    if (this.#phase !== 'start') throw protocolError('StartRedirectionSession', 'out of order', `in phase ${this.#phase}`);
    const tag = frame.fields['sessionType'] as string;
    const kind = KIND_BY_TAG.get(tag);
    const status = kind === undefined ? START_STATUS.unknownType : this.options.admit(kind);
    this.#send(encodeFrame('startRedirectionSessionReply', { status }));
    if (status === START_STATUS.success) {
      this.#phase = 'auth';
      this.#kind = kind;
      return;
    }
    this.#events.push({ kind: 'start-refused', session: tag, status });
    this.#end('refused');
  }

  #authenticate(frame: RedirectionFrame): void {
    if (this.#phase !== 'auth') throw protocolError('AuthenticateSession', 'out of order', `in phase ${this.#phase}`);
    const authType = frame.fields['authType'] as number;
    const reply = (status: number, payload?: Uint8Array): void => this.#send(encodeFrame('authenticateSessionReply', { status, authType }, payload));
    if (authType === AUTH_TYPE.query) return reply(AUTH_STATUS.success, Uint8Array.from(OFFERED_AUTH_TYPES));
    if (authType !== AUTH_TYPE.plain && authType !== AUTH_TYPE.digest && authType !== AUTH_TYPE.digestQop) return reply(AUTH_STATUS.notSupported);
    const elements = decodeElements(frame.payload);
    const credentials = this.#credentials(authType, elements);
    if (credentials === 'challenge') {
      const { realm } = this.options.authenticator;
      return reply(AUTH_STATUS.failure, encodeElements(authType === AUTH_TYPE.digestQop ? [realm, this.options.authenticator.nonce(), 'auth'] : [realm, this.options.authenticator.nonce()]));
    }
    const verdict = this.options.authenticator.verify(credentials, this.options.remote);
    const reason = !verdict.ok ? verdict.reason : verdict.realms.includes(REDIRECTION_REALM) ? undefined : 'no-redirection-realm';
    if (verdict.ok && reason === undefined) {
      this.#principal = { user: verdict.user, realms: verdict.realms };
      this.#phase = 'ready';
      if (this.#kind === 'ider') {
        this.#phase = 'ider';
        this.#ider = new IderDevice();
      }
      this.#events.push({ kind: 'authenticated', user: verdict.user, realms: verdict.realms });
      return reply(AUTH_STATUS.success);
    }
    reply(AUTH_STATUS.failure);
    this.#events.push({ kind: 'auth-failed', user: credentials.user.slice(0, 64), authType, reason: reason ?? 'unknown' });
    this.#end('auth-failed');
  }

  /** The credentials of a type 1/3/4 message, or 'challenge' for a digest request without a response. */
  #credentials(authType: number, e: string[]): RedirectionCredentials | 'challenge' {
    if (authType === AUTH_TYPE.plain) {
      if (e.length !== 2) throw protocolError('AuthenticateSession', 'malformed credentials', `user/password needs 2 strings, got ${e.length}`);
      return { kind: 'plain', user: e[0] as string, password: e[1] as string };
    }
    const qopPresent = authType === AUTH_TYPE.digestQop;
    if (e.length < 7 || e.length > 8 || (qopPresent && e.length !== 8)) throw protocolError('AuthenticateSession', 'malformed credentials', `digest type ${authType} with ${e.length} strings`);
    const [user = '', realm = '', nonce = '', uri = '', cnonce = '', nc = '', response = '', qop = ''] = e;
    if (nonce === '' && response === '') return 'challenge';
    return { kind: 'digest', user, realm, nonce, uri, cnonce, nc, response, ...(qopPresent ? { qop } : {}) };
  }

  #afterAuth(frame: RedirectionFrame): void {
    const principal = this.#principal;
    if (principal === undefined) throw protocolError(frame.name, 'out of order', 'before authentication');
    switch (frame.name) {
      case 'startSol':
        if (this.#kind !== 'sol') throw protocolError('StartSOLRedirection', 'out of order', `in a ${this.#kind ?? 'unknown'} session`);
        return this.#startSol(principal, frame);
      case 'kvmStart':
        return this.#startKvm(principal);
      case 'solDataToHost':
        if (this.#phase === 'sol' && frame.payload.length > 0) this.#events.push({ kind: 'sol-data', bytes: frame.payload });
        return;
      case 'endSol':
        if (this.#phase === 'sol') {
          this.#phase = 'ready';
          this.#events.push({ kind: 'sol-close' });
        }
        return this.#send(encodeFrame('endSolReply', { sequence: this.#nextSequence() }));
      case 'solKeepAlivePing':
        return this.#send(encodeFrame('solKeepAlivePong', { sequence: this.#nextSequence() }));
      default: // heartbeat, controls to host: nothing to do
        return;
    }
  }

  #startKvm(principal: RedirectionPrincipal): void {
    if (this.#kind !== 'kvm' || this.#phase !== 'ready') throw protocolError('StartKVM', 'out of order', `in phase ${this.#phase} of a ${this.#kind ?? 'unknown'} session`);
    const status = this.options.openKvm?.(principal) ?? START_STATUS.unsupported;
    if (status === 0) {
      this.#send(encodeFrame('kvmStartReply'));
      this.#phase = 'kvm';
      this.#events.push({ kind: 'kvm-open', user: principal.user });
      return;
    }
    this.#events.push({ kind: 'kvm-refused', user: principal.user, status });
    this.#end('refused');
  }

  #startSol(principal: RedirectionPrincipal, frame: RedirectionFrame): void {
    if (this.#phase !== 'ready') throw protocolError('StartSOLRedirection', 'out of order', `in phase ${this.#phase}`);
    const f = frame.fields as Record<keyof SolSettings, number>;
    const settings: SolSettings = {
      maxTxBuffer: f.maxTxBuffer, txBufferTimeout: f.txBufferTimeout, txOverflowTimeout: f.txOverflowTimeout,
      hostSessionRxTimeout: f.hostSessionRxTimeout, hostFifoRxFlushTimeout: f.hostFifoRxFlushTimeout, heartbeatInterval: f.heartbeatInterval,
    };
    const status = this.options.openSol(principal);
    this.#send(encodeFrame('startSolReply', { status: status === 0 ? 0 : status & 0xff || SOL_REFUSED, sequence: this.#nextSequence(), ...settings }));
    if (status === 0) {
      this.#phase = 'sol';
      this.#chunk = settings.maxTxBuffer > 0 ? Math.min(settings.maxTxBuffer, REDIRECTION_LIMITS.solDataBytes) : REDIRECTION_LIMITS.solChunkBytes;
      this.#events.push({ kind: 'sol-open', user: principal.user, settings });
      return;
    }
    this.#events.push({ kind: 'sol-refused', user: principal.user, status });
    this.#end('refused');
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
