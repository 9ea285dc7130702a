/**
 * KVM of one platform (issue 6 §1, §2): the host's screen and keyboard as RFB, two ways, over one
 * shared ScreenFeed (the `host:framebuffer` snapshot/key syscalls):
 * - port 5900 (standard VNC): served only while IPS_KVMRedirectionSettingData Is5900PortEnabled
 *   (with its RFBPassword as the VNC password), else the connection is closed at once;
 * - inside a redirection session (16994/16995, brief §4.5): RFB without a VNC password, the
 *   redirection login having authenticated the user.
 * Both need KVM enabled (CIM_KVMRedirectionSAP, the MEBx KVM switch, AMT_RedirectionService's
 * listener) and, when IPS_OptInService requires consent for KVM (always in client control mode),
 * a received consent code, which the session then holds "in session" until it ends. One KVM
 * session at a time on the platform, whichever way it came (a second is busy). Sessions are
 * audited as KVM Session Started / Ended (1808/1809; initiator "KVM default port" on 5900).
 */
import type { Duplex } from 'node:stream';
import { recordAudit } from '../../amt/accounts/index.js';
import type { AuditInitiator } from '../../amt/accounts/audit-record.js';
import type { RemoteEndpoint } from '../../amt/auth/index.js';
import { engineScreenSource, ScreenFeed, serveRfbStream } from '../../amt/kvm/index.js';
import { KVM_SETTINGS } from '../../amt/wsman/classes/kvm-settings.js';
import { currentOptInPhase, OPT_IN_PHASE, optInRequiredFor, setOptInSession } from '../../amt/wsman/classes/opt-in.js';
import { redirectionFeatures } from '../../amt/wsman/classes/redirection.js';
import { START_STATUS } from '../../protocols/redirection/index.js';
import type { AmtRuntime } from './runtime.js';
import { commit, serialized } from './transaction.js';

export const KVM_PORT = 5900;
/** A KVM start refused for want of user consent (as StartSOL's) [status unverified]. */
export const KVM_NO_CONSENT_STATUS = START_STATUS.unsupported;

export type KvmVia = 'port-5900' | 'redirection';

export class KvmService {
  #feed: ScreenFeed | undefined;
  /** The owner of the one KVM session (a connection), claimed before it starts. */
  #owner: object | undefined;

  constructor(readonly runtime: AmtRuntime) {}

  /** The host's rendered screen, shared by every session. */
  get feed(): ScreenFeed {
    this.#feed ??= new ScreenFeed(engineScreenSource((capability, operation, args) => this.runtime.context.invoke(capability, operation, args)));
    return this.#feed;
  }

  /** Whether the MEBx KVM switch is on (false when the settings cannot be read). */
  mebxKvm(): Promise<boolean> {
    return this.runtime.store.mebx().then((settings) => settings.features.kvm, () => false);
  }

  /** A START_STATUS for a KVM session by `owner` now: disabled (3), busy (2), no consent (3), or 0. */
  admission(mebxKvm: boolean, via: KvmVia, owner: object): number {
    const { committed, device } = this.runtime;
    const settings = committed.get(KVM_SETTINGS);
    if (!mebxKvm || !redirectionFeatures(committed).kvm) return START_STATUS.unsupported;
    if (via === 'port-5900' && !(settings.is5900PortEnabled && settings.rfbPassword !== '')) return START_STATUS.unsupported;
    if (this.#owner !== undefined && this.#owner !== owner) return START_STATUS.busy;
    if (optInRequiredFor(committed, 'kvm') && currentOptInPhase(committed, device.now(), device.powerState) !== OPT_IN_PHASE.received) return KVM_NO_CONSENT_STATUS;
    return START_STATUS.success;
  }

  /** Admits and claims the one session for `owner`: the admission status (0: claimed). */
  claim(mebxKvm: boolean, via: KvmVia, owner: object): number {
    const status = this.admission(mebxKvm, via, owner);
    if (status === START_STATUS.success) this.#owner = owner;
    return status;
  }

  /** The session of `owner` starts: the consent goes in session, the start is audited. */
  started(owner: object, by: AuditInitiator, remote: RemoteEndpoint): void {
    if (this.#owner === owner) this.#record(by, remote, true);
  }

  /** The session of `owner` is over (`started`: it had started); frees the slot. */
  released(owner: object, started: boolean, by: AuditInitiator, remote: RemoteEndpoint): void {
    if (this.#owner !== owner) return;
    this.#owner = undefined;
    if (started) this.#record(by, remote, false);
  }

  /** A connection to port 5900: VNC with the RFBPassword while allowed, else closed at once. */
  async accept(stream: Duplex, remote: RemoteEndpoint): Promise<void> {
    const owner = {};
    const mebxKvm = await this.mebxKvm();
    if (stream.destroyed || this.claim(mebxKvm, 'port-5900', owner) !== START_STATUS.success) {
      stream.destroy();
      return;
    }
    stream.on('end', () => stream.end()); // engine connections are half-open: finish ours at the viewer's FIN
    const by: AuditInitiator = { kind: 'kvm-default-port' };
    let started = false;
    await serveRfbStream(stream, this.feed, {
      password: this.runtime.committed.get(KVM_SETTINGS).rfbPassword,
      onEvent: (kind) => {
        if (kind !== 'authenticated') return;
        started = true;
        this.started(owner, by, remote);
      },
    });
    this.released(owner, started, by, remote);
  }

  /** RFB on the rest of a redirection socket whose KVM session `owner` claimed and started. */
  async serveRedirected(stream: Duplex, owner: object, user: string, remote: RemoteEndpoint): Promise<void> {
    const by: AuditInitiator = { kind: 'digest', user };
    this.started(owner, by, remote);
    await serveRfbStream(stream, this.feed);
    this.released(owner, true, by, remote);
  }

  #record(by: AuditInitiator, remote: RemoteEndpoint, opened: boolean): void {
    const runtime = this.runtime;
    void serialized(runtime, async () => {
      setOptInSession(runtime.state, runtime.device.now(), opened);
      recordAudit(runtime.state, { kind: opened ? 'kvm-session-started' : 'kvm-session-ended', by, at: runtime.device.now(), address: remote.address });
      await commit(runtime);
    }).catch(() => undefined);
  }
}
