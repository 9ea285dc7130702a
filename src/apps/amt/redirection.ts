/**
 * The AMT redirection service of one platform (TCP 16994, TLS 16995 terminated here): each
 * connection runs a RedirectionSession (src/protocols/redirection) that logs in through the
 * network interface's Digest authenticator (same realm, accounts and lock-out as WS-Man). The
 * service decides what the session may do, from the committed state:
 * - StartRedirectionSession: SOL needs AMT_RedirectionService ListenerEnabled and SOL enabled
 *   (EnabledState 32770/32771) and SOL enabled in MEBx, else status 3; a SOL session already open
 *   answers 2 (busy); KVM (`KVMR`) is admitted by the KvmService (kvm.ts: enabled, one session,
 *   consent) and, after StartKVM, the rest of the socket is its RFB stream; IDER (`IDER`) by the
 *   IderService (ider.ts: enabled, one session), the drives it serves attached to the host's IDE-R devices.
 * - StartSOL: busy again (2), and user consent when IPS_OptInService requires it (client control
 *   mode: always): the code must have been accepted (OptInState 3), else status 3
 *   [status for "no consent" unverified]. The consent is then in session; it ends with the session.
 * - The open session is bridged to the host UART (`host:serial` open/write/close and the kernel's
 *   `onHostSerial` deliveries). Openings and closings go to the audit log (1804/1805).
 * Port 16994 follows the TLS policy (closed when the remote TLS setup refuses plain connections).
 */
import { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { recordAudit } from '../../amt/accounts/index.js';
import type { DigestAuthenticator, RemoteEndpoint } from '../../amt/auth/index.js';
import { tlsTerminator } from '../../amt/http/tls-accept.js';
import { currentOptInPhase, OPT_IN_PHASE, optInRequiredFor, setOptInSession } from '../../amt/wsman/classes/opt-in.js';
import { redirectionFeatures } from '../../amt/wsman/classes/redirection.js';
import { acceptsNonSecure } from '../../amt/wsman/classes/tls-state.js';
import { digestRedirectionAuthenticator, RedirectionSession, START_STATUS, type RedirectionAuthenticator, type IderEvent, type RedirectionStep, type SessionKind } from '../../protocols/redirection/index.js';
import { KvmService } from './kvm.js';
import { IderChannel, IderService } from './ider.js';
import type { AmtRuntime } from './runtime.js';
import { commit, serialized } from './transaction.js';

export const REDIRECTION_PORT = 16994;
export const REDIRECTION_TLS_PORT = 16995;
export const isRedirectionPort = (port: number): boolean => port === REDIRECTION_PORT || port === REDIRECTION_TLS_PORT;

/** StartSOL refused for want of user consent [status unverified]. */
export const NO_CONSENT_STATUS = START_STATUS.unsupported;
/** A connection that has not logged in within this time is closed. */
const LOGIN_TIMEOUT_MS = 60_000;
/** Host data waits this long after StartSOL's reply: amtterm drops whatever shares a read with it (brief §4.2). */
const SOL_SETTLE_MS = 100;
/** `host:serial` write syscall limit. */
const SERIAL_WRITE_BYTES = 4096;

export class RedirectionService {
  readonly #authenticator: RedirectionAuthenticator;
  #sol: RedirectionConnection | undefined;
  /** KVM on port 5900 and inside redirection sessions. */
  readonly kvm: KvmService;
  /** IDE redirection (ider.ts). */
  readonly ider: IderService;

  constructor(readonly runtime: AmtRuntime, auth: DigestAuthenticator) {
    this.#authenticator = digestRedirectionAuthenticator(auth);
    this.kvm = new KvmService(runtime);
    this.ider = new IderService(runtime);
  }

  /** A connection to 16994 (plain) or 16995 (TLS). */
  accept(port: number, stream: Duplex, remote: RemoteEndpoint): void {
    this.ider.refresh();
    if (port === REDIRECTION_PORT) {
      if (acceptsNonSecure(this.runtime.committed, 'network')) this.#attach(stream, remote);
      else stream.destroy();
      return;
    }
    let secure = false;
    stream.once('end', () => setImmediate(() => secure || stream.destroy())); // node:tls ignores a FIN mid-handshake
    this.runtime.identity.tls().then((active) => tlsTerminator(active, (socket: TLSSocket) => {
      secure = true;
      this.#attach(socket, remote);
    }).emit('connection', stream), () => stream.destroy());
  }

  /** The host UART's output (kernel `onHostSerial`): to the open SOL session, if any. */
  fromHost(bytes: Uint8Array): void {
    this.#sol?.fromHost(bytes);
  }

  /** Whether a SOL session is open now. */
  get solOpen(): boolean {
    return this.#sol !== undefined;
  }

  #attach(stream: Duplex, remote: RemoteEndpoint): void {
    void this.runtime.store.mebx().then((settings) => settings.features, () => ({ sol: false, kvm: false })).then((mebx) => {
      if (!stream.destroyed) new RedirectionConnection(this, stream, remote, mebx.sol, mebx.kvm);
    });
  }

  /** @internal StartRedirectionSession. */
  admit(kind: SessionKind, mebxSol: boolean, mebxKvm = false, connection: object = {}): number {
    if (kind === 'ider') return this.ider.admission();
    if (kind === 'kvm') return this.kvm.admission(mebxKvm, 'redirection', connection);
    if (kind !== 'sol' || !mebxSol || !redirectionFeatures(this.runtime.committed).sol) return START_STATUS.unsupported;
    return this.#sol === undefined ? START_STATUS.success : START_STATUS.busy;
  }

  /** @internal StartSOL by an authenticated user. */
  openSol(connection: RedirectionConnection): number {
    if (this.#sol !== undefined && this.#sol !== connection) return START_STATUS.busy;
    const { committed, device } = this.runtime;
    if (!redirectionFeatures(committed).sol) return START_STATUS.unsupported;
    if (optInRequiredFor(committed, 'sol') && currentOptInPhase(committed, device.now(), device.powerState) !== OPT_IN_PHASE.received) return NO_CONSENT_STATUS;
    this.#sol = connection;
    return START_STATUS.success;
  }

  /** @internal The SOL session opened: the serial line, the consent in session, the audit record. */
  solOpened(user: string, remote: RemoteEndpoint): void {
    void this.runtime.context.hostRequest('serial', 'open').catch(() => false);
    this.#record(user, remote, true);
  }

  /** @internal The SOL session of `connection` ended. */
  solClosed(connection: RedirectionConnection, user: string, remote: RemoteEndpoint): void {
    if (this.#sol !== connection) return;
    this.#sol = undefined;
    void this.runtime.context.hostRequest('serial', 'close').catch(() => false);
    this.#record(user, remote, false);
  }

  /** @internal Console keystrokes into the host UART. */
  toHost(bytes: Uint8Array): void {
    for (let offset = 0; offset < bytes.length; offset += SERIAL_WRITE_BYTES) {
      void this.runtime.context.invoke('host:serial', 'write', { bytes: bytes.slice(offset, offset + SERIAL_WRITE_BYTES) }).catch(() => undefined);
    }
  }

  get authenticator(): RedirectionAuthenticator {
    return this.#authenticator;
  }

  #record(user: string, remote: RemoteEndpoint, opened: boolean): void {
    const runtime = this.runtime;
    void serialized(runtime, async () => {
      setOptInSession(runtime.state, runtime.device.now(), opened);
      recordAudit(runtime.state, { kind: opened ? 'sol-session-opened' : 'sol-session-closed', by: { kind: 'digest', user }, at: runtime.device.now(), address: remote.address });
      await commit(runtime);
    }).catch(() => undefined);
  }
}

/** One console connection: bytes in → the session → bytes out, events to the service. */
class RedirectionConnection {
  readonly #session: RedirectionSession;
  #user = '';
  #settledAt = 0;
  #held: Uint8Array[] = [];
  #heldTimer: NodeJS.Timeout | undefined;
  readonly #loginTimer: NodeJS.Timeout;
  /** The RFB side of the socket once KVM is open. */
  #rfb: Duplex | undefined;
  /** The IDER side once the console opened IDER. */
  #ider: IderChannel | undefined;

  constructor(private readonly service: RedirectionService, private readonly stream: Duplex, private readonly remote: RemoteEndpoint, mebxSol: boolean, mebxKvm = false) {
    this.#session = new RedirectionSession({
      authenticator: service.authenticator, remote,
      admit: (kind) => service.admit(kind, mebxSol, mebxKvm, this),
      openSol: () => service.openSol(this),
      openKvm: () => service.kvm.claim(mebxKvm, 'redirection', this),
    });
    this.#loginTimer = setTimeout(() => stream.destroy(), LOGIN_TIMEOUT_MS);
    this.#loginTimer.unref?.();
    stream.on('data', (bytes: Buffer) => this.#apply(this.#session.receive(bytes)));
    stream.on('end', () => stream.end());
    stream.on('error', () => stream.destroy());
    stream.on('close', () => this.#closed());
  }

  fromHost(bytes: Uint8Array): void {
    const frames = this.#session.fromHost(bytes);
    if (frames.length === 0) return;
    const wait = this.#settledAt - Date.now();
    if (wait <= 0 && this.#held.length === 0) {
      for (const frame of frames) this.#write(frame);
      return;
    }
    this.#held.push(...frames);
    this.#heldTimer ??= setTimeout(() => {
      this.#heldTimer = undefined;
      const held = this.#held;
      this.#held = [];
      for (const frame of held) this.#write(frame);
    }, Math.max(0, wait));
  }

  #write(frame: Uint8Array): void {
    if (!this.stream.destroyed && this.stream.writable) this.stream.write(frame);
  }

  #apply(step: RedirectionStep): void {
    for (const frame of step.output) this.#write(frame);
    for (const event of step.events) {
      if (event.kind === 'authenticated') {
        this.#user = event.user;
        clearTimeout(this.#loginTimer);
      } else if (event.kind === 'sol-open') {
        this.#settledAt = Date.now() + SOL_SETTLE_MS;
        this.service.solOpened(event.user, this.remote);
      } else if (event.kind === 'sol-data') {
        this.service.toHost(event.bytes);
      } else if (event.kind === 'sol-close') {
        this.service.solClosed(this, this.#user, this.remote);
      } else if (event.kind === 'kvm-open') {
        this.#rfb = rfbSide(this.stream);
        void this.service.kvm.serveRedirected(this.#rfb, this, event.user, this.remote);
      } else if (event.kind === 'ider') {
        this.#iderEvent(event.event);
      } else if (event.kind === 'kvm-data') {
        this.#rfb?.push(event.bytes);
      }
    }
    if (step.close) this.stream.end();
  }

  #iderEvent(event: IderEvent): void {
    if (event.kind === 'ider-open') {
      clearTimeout(this.#loginTimer);
      this.#ider = new IderChannel(() => this.#session.ider, (frame) => this.#write(frame), this.#user, this.remote);
      if (!this.service.ider.opened(this.#ider)) this.stream.end(); // busy, or the consent went meanwhile
    } else if (event.kind === 'ider-enabled' && this.#ider) {
      void this.service.ider.enabled(this.#ider);
    } else if (event.kind === 'ider-disabled' && this.#ider) {
      void this.service.ider.disabled(this.#ider);
    } else {
      this.#ider?.onEvent(event);
    }
  }

  #closed(): void {
    if (this.#ider) void this.service.ider.ended(this.#ider);
    clearTimeout(this.#loginTimer);
    if (this.#heldTimer !== undefined) clearTimeout(this.#heldTimer);
    for (const event of this.#session.end()) if (event.kind === 'sol-close') this.service.solClosed(this, this.#user, this.remote);
    if (this.#rfb) this.#rfb.destroy(); // serveRedirected then ends the KVM session
    else this.service.kvm.released(this, false, { kind: 'digest', user: this.#user }, this.remote); // claimed, never started
  }
}

/** A Duplex for the RFB session over the rest of a redirection socket: its writes go to the socket, the owner pushes what arrives. */
function rfbSide(socket: Duplex): Duplex {
  return new Duplex({
    read: () => undefined,
    write: (chunk: Buffer, _encoding, done) => (socket.destroyed ? done() : socket.write(chunk, () => done())),
    final: (done) => {
      socket.end();
      done();
    },
  });
}
