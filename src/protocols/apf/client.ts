/**
 * The host (LMS) end of APF on the LME HECI client, sans I/O — what Intel's LMS does (brief §5.5;
 * Intel LMS Protocol.cpp): `start` sends PROTOCOLVERSION; AMT answers with its own, asks for the
 * pfwd@amt.intel.com service (accepted) and sends GLOBAL_REQUEST tcpip-forward per port it serves,
 * which `options.forward` decides (the socket adapter listens) and which are answered in order with
 * REQUEST_SUCCESS(port) or REQUEST_FAILURE. Each local TCP connection to a forwarded port becomes
 * a `forwarded-tcpip` channel (`connect`), with the flow control of channel.ts.
 *
 * Malformed input or a broken rule sends DISCONNECT (protocol error), ends every connection and
 * returns to `idle` (call `start` again); `receive` never throws.
 */
import type { ApfChannel } from './channel.js';
import { APF_CHANNEL_TYPE, APF_DISCONNECT_REASON, APF_GLOBAL_REQUEST, APF_OPEN_FAILURE, APF_RESERVED, APF_SERVICE, APF_VERSION } from './constants.js';
import { ApfError, protocolError } from './errors.js';
import { apf, APF_MESSAGES, type ApfMessage, type ApfMessageOf } from './messages.js';
import { ApfSessionCore, sessionControls, type ApfLimits } from './session.js';

/** Where a connection's data from AMT goes (the local TCP socket). */
export interface LmsConnectionIo {
  write(bytes: Uint8Array): void;
  /** AMT closed the channel, refused it, or the session ended. */
  end(): void;
  /** The channel can take more data again (resume a paused socket). */
  drain?(): void;
}

/** A local connection's channel to AMT. */
export interface LmsConnection {
  readonly channel: number;
  /** Bytes from the local client. @returns false: pause the source until `io.drain` */
  write(bytes: Uint8Array): boolean;
  /** The local client is done: CLOSE follows the queued bytes. */
  end(): void;
}

export interface LmsForwardRequest {
  /** What AMT put in the request (Intel LMS reads it as AMT's FQDN). */
  readonly address: string;
  readonly port: number;
}

export interface LmsEndpoint {
  readonly address: string;
  readonly port: number;
}

export type LmsClientEvent =
  | { readonly type: 'handshake'; readonly major: number; readonly minor: number; readonly triggerReason: number; readonly uuid: Uint8Array }
  | { readonly type: 'service'; readonly service: string }
  | { readonly type: 'forward'; readonly address: string; readonly port: number; readonly ok: boolean }
  | { readonly type: 'forward-cancelled'; readonly address: string; readonly port: number }
  | { readonly type: 'channel-opened'; readonly port: number; readonly channel: number }
  | { readonly type: 'channel-refused'; readonly port: number; readonly reason: number }
  | { readonly type: 'channel-closed'; readonly port: number; readonly channel: number }
  | { readonly type: 'disconnected'; readonly reason: number }
  | { readonly type: 'error'; readonly error: ApfError };

export interface LmsClientOptions extends ApfLimits {
  /** One APF message for AMT (send it as one HECI message). */
  readonly send: (message: Uint8Array) => void;
  /** AMT asks the host to listen on a port: true once listening (false or a rejection: REQUEST_FAILURE). */
  readonly forward: (request: LmsForwardRequest) => boolean | Promise<boolean>;
  /** AMT cancelled a forward. */
  readonly cancelForward?: (request: LmsForwardRequest) => void;
  readonly onEvent?: (event: LmsClientEvent) => void;
  /** PROTOCOLVERSION trigger reason (default 0, as Intel LMS's zeroed message). */
  readonly triggerReason?: number;
}

export type LmsClientState = 'idle' | 'awaiting-version' | 'agreed' | 'ready';

export interface LmsClient {
  /** Sends PROTOCOLVERSION: the handshake starts (again after a reset). */
  start(): void;
  /** One HECI message from AMT. Never throws. */
  receive(message: Uint8Array): void;
  /** A channel for a local connection to a forwarded `port`; undefined when not ready, not forwarded or full. */
  connect(port: number, originator: LmsEndpoint, io: LmsConnectionIo): LmsConnection | undefined;
  /** The HECI connection is gone: end every connection, back to idle (nothing sent). */
  reset(): void;
  /** Ends the session from the host: DISCONNECT (by application), connections ended. */
  close(): void;
  readonly state: LmsClientState;
  readonly channelCount: number;
  /** Ports AMT forwarded and the host accepted, with AMT's address. */
  readonly forwards: readonly LmsForwardRequest[];
}

export function createLmsClient(options: LmsClientOptions): LmsClient {
  const emit = (event: LmsClientEvent): void => options.onEvent?.(event);
  const core = new ApfSessionCore(options, options.send, (channel) => {
    if (channel.remoteId >= 0) emit({ type: 'channel-closed', port: channel.port, channel: channel.localId });
  });
  let state: LmsClientState = 'idle';
  let generation = 0;
  let replies: Promise<void> | undefined;
  const forwards = new Map<number, string>();

  const restart = (): void => {
    generation += 1;
    core.abortAll();
    forwards.clear();
    replies = undefined;
    state = 'idle';
  };

  const controls = sessionControls(core, restart, (m) => handle(m), (error) => emit({ type: 'error', error }));
  const fail = controls.fail;

  const sendVersion = (): void => {
    core.send(apf('protocolVersion', { major: APF_VERSION.major, minor: APF_VERSION.minor, triggerReason: options.triggerReason ?? 0 }));
  };

  const onVersion = (m: ApfMessageOf<'protocolVersion'>): void => {
    if (state === 'agreed' || state === 'ready') return;
    if (m.major !== APF_VERSION.major) {
      fail(protocolError('PROTOCOLVERSION', 'version not supported', `${m.major}.${m.minor}`), APF_DISCONNECT_REASON.protocolVersionNotSupported);
      return;
    }
    if (state === 'idle') sendVersion(); // AMT spoke first: answer, as LMS does when not initiated
    core.disconnectSent = false;
    state = 'agreed';
    emit({ type: 'handshake', major: m.major, minor: m.minor, triggerReason: m.triggerReason, uuid: m.uuid });
  };

  const onServiceRequest = (service: string): void => {
    if (service !== APF_SERVICE.pfwd && service !== APF_SERVICE.auth) {
      fail(protocolError('SERVICE_REQUEST', 'service not available', service), APF_DISCONNECT_REASON.serviceNotAvailable);
      return;
    }
    core.send(apf('serviceAccept', { service }));
    if (service === APF_SERVICE.pfwd) state = 'ready';
    emit({ type: 'service', service });
  };

  /** REQUEST_SUCCESS(port) or REQUEST_FAILURE, in request order even when `forward` answers asynchronously. */
  const reply = (wantReply: boolean, port: number | undefined, decide: () => boolean | Promise<boolean>, done: (ok: boolean) => void): void => {
    const finish = (ok: boolean): void => {
      if (wantReply) core.send(ok ? apf('requestSuccess', { port }) : apf('requestFailure'));
      done(ok);
    };
    let decided: boolean | Promise<boolean>;
    try {
      decided = decide();
    } catch {
      decided = false;
    }
    if (typeof decided === 'boolean' && replies === undefined) return finish(decided);
    const session = generation;
    const previous = replies ?? Promise.resolve();
    const mine = previous.then(() => decided).catch(() => false).then((ok) => {
      if (session === generation) finish(ok);
      if (replies === mine) replies = undefined;
    });
    replies = mine;
  };

  const onGlobalRequest = (m: ApfMessageOf<'globalRequest'>): void => {
    const forward = m.forward;
    const wantReply = m.wantReply !== 0;
    const isForward = m.request === APF_GLOBAL_REQUEST.tcpipForward, isCancel = m.request === APF_GLOBAL_REQUEST.cancelTcpipForward;
    if ((isForward || isCancel) && forward === undefined) throw protocolError('GLOBAL_REQUEST', 'missing address and port', m.request);
    if (!forward || (!isForward && !isCancel)) return reply(wantReply, undefined, () => false, () => undefined);
    if (isCancel) {
      const known = forwards.delete(forward.port);
      if (known) {
        options.cancelForward?.(forward);
        emit({ type: 'forward-cancelled', ...forward });
      }
      return reply(wantReply, undefined, () => known, () => undefined);
    }
    reply(wantReply, forward.port, () => options.forward(forward), (ok) => {
      if (ok) forwards.set(forward.port, forward.address);
      emit({ type: 'forward', ...forward, ok });
    });
  };

  const onConfirmation = (m: ApfMessageOf<'channelOpenConfirmation'>): void => {
    const channel = core.channel(m.recipientChannel, 'CHANNEL_OPEN_CONFIRMATION');
    if (channel.state !== 'opening') throw protocolError('CHANNEL_OPEN_CONFIRMATION', 'out of order', `channel ${channel.localId} is already open`);
    emit({ type: 'channel-opened', port: channel.port, channel: channel.localId });
    channel.open(m.senderChannel, m.initialWindow);
  };

  const onOpenFailure = (m: ApfMessageOf<'channelOpenFailure'>): void => {
    const channel = core.channel(m.recipientChannel, 'CHANNEL_OPEN_FAILURE');
    if (channel.state !== 'opening') throw protocolError('CHANNEL_OPEN_FAILURE', 'out of order', `channel ${channel.localId} is already open`);
    channel.abort();
    emit({ type: 'channel-refused', port: channel.port, reason: m.reason });
  };

  const handle = (m: ApfMessage): void => {
    if (m.kind === 'protocolVersion') return onVersion(m);
    if (m.kind === 'disconnect') {
      restart();
      core.disconnectSent = false;
      return emit({ type: 'disconnected', reason: m.reason });
    }
    if (state === 'idle' || state === 'awaiting-version') throw protocolError(APF_MESSAGES[m.kind].label, 'out of order', 'no PROTOCOLVERSION agreed');
    if (m.kind === 'serviceRequest') return onServiceRequest(m.service);
    if (m.kind === 'userauthRequest') return core.send(apf('userauthSuccess'));
    if (state !== 'ready') throw protocolError(APF_MESSAGES[m.kind].label, 'out of order', 'port forwarding service not started');
    if (core.handleCommon(m)) return;
    switch (m.kind) {
      case 'globalRequest': return onGlobalRequest(m);
      case 'channelOpenConfirmation': return onConfirmation(m);
      case 'channelOpenFailure': return onOpenFailure(m);
      // AMT-initiated channels (LMS would connect out for AMT) are not offered by this host
      case 'channelOpen': return core.send(apf('channelOpenFailure', { recipientChannel: m.senderChannel, reason: APF_OPEN_FAILURE.administrativelyProhibited, reserved: 0, reserved2: 0 }));
      default: throw protocolError(APF_MESSAGES[m.kind].label, 'unexpected', 'the host never receives this message');
    }
  };

  const connect = (port: number, originator: LmsEndpoint, io: LmsConnectionIo): LmsConnection | undefined => {
    const address = forwards.get(port);
    if (state !== 'ready' || address === undefined) return undefined;
    const channel: ApfChannel | undefined = core.allocate(port);
    if (!channel) {
      emit({ type: 'channel-refused', port, reason: APF_OPEN_FAILURE.resourceShortage });
      return undefined;
    }
    channel.sink = { data: (bytes) => io.write(bytes), end: () => io.end(), drain: () => io.drain?.() };
    core.send(apf('channelOpen', {
      channelType: APF_CHANNEL_TYPE.forwarded, senderChannel: channel.localId, initialWindow: core.limits.windowSize, reserved: APF_RESERVED,
      connectedAddress: address, connectedPort: port, originatorAddress: originator.address, originatorPort: originator.port,
    }));
    return { channel: channel.localId, write: (bytes) => channel.write(bytes), end: () => channel.end() };
  };

  return {
    start: () => {
      restart();
      core.disconnectSent = false;
      state = 'awaiting-version';
      sendVersion();
    },
    receive: controls.receive,
    connect,
    reset: controls.reset,
    close: controls.close,
    get state() { return state; },
    get channelCount() { return core.channels.size; },
    get forwards() { return [...forwards].map(([port, address]) => ({ address, port })); },
  };
}
