/**
 * The engine (AMT) end of APF on the LME HECI client, sans I/O: HECI messages from the host in
 * (`receive`), messages for the host out (`options.send`, one APF message per HECI message) and
 * events. It answers as AMT does in the LMS exchange (brief §5.5; Intel LMS Protocol.cpp):
 *
 *   host PROTOCOLVERSION → AMT PROTOCOLVERSION, then SERVICE_REQUEST pfwd@amt.intel.com
 *   host SERVICE_ACCEPT  → AMT GLOBAL_REQUEST tcpip-forward for each served port (want reply)
 *   host REQUEST_SUCCESS/FAILURE per forward (in order)
 *   host CHANNEL_OPEN forwarded-tcpip (or direct-tcpip) to a served port → `openChannel(port, io)`
 *     → CHANNEL_OPEN_CONFIRMATION (or OPEN_FAILURE), then CHANNEL_DATA both ways within the
 *     windows, WINDOW_ADJUST, CHANNEL_CLOSE from either end.
 *
 * A second PROTOCOLVERSION is ignored (rpc-go echoes AMT's). Malformed input or a broken rule
 * sends DISCONNECT (protocol error), ends every channel and waits for a new PROTOCOLVERSION;
 * `receive` never throws.
 */
import type { ApfChannel } from './channel.js';
import { AMT_HTTP_PORT, AMT_TLS_PORT, APF_CHANNEL_TYPE, APF_DISCONNECT_REASON, APF_GLOBAL_REQUEST, APF_OPEN_FAILURE, APF_RESERVED, APF_SERVICE, APF_TRIGGER, APF_VERSION } from './constants.js';
import { ApfError, protocolError } from './errors.js';
import { apf, APF_MESSAGES, type ApfMessage, type ApfMessageOf } from './messages.js';
import { ApfSessionCore, sessionControls, type ApfLimits } from './session.js';

/** What the engine's HTTP side gives the channel: where its output goes. */
export interface LmeChannelIo {
  /** Bytes for the host's TCP client. @returns false above the high-water mark (optional to honour). */
  write(bytes: Uint8Array): boolean;
  /** The connection is done: CLOSE follows the written bytes. */
  end(): void;
}

/** The engine's connection behind one channel. */
export interface LmeChannelHandle {
  /** Bytes from the host's TCP client. */
  receive(bytes: Uint8Array): void;
  /** The host closed the channel or the session ended. */
  close(): void;
}

export type LmeServerEvent =
  | { readonly type: 'handshake'; readonly major: number; readonly minor: number; readonly triggerReason: number }
  | { readonly type: 'forwarded'; readonly port: number; readonly ok: boolean }
  | { readonly type: 'channel-opened'; readonly port: number; readonly channel: number }
  | { readonly type: 'channel-refused'; readonly port: number; readonly reason: number }
  | { readonly type: 'channel-closed'; readonly port: number; readonly channel: number }
  | { readonly type: 'disconnected'; readonly reason: number }
  | { readonly type: 'error'; readonly error: ApfError };

export interface LmeServerOptions extends ApfLimits {
  /** System UUID for PROTOCOLVERSION: 16 bytes in PTHI GetUUID order. */
  readonly uuid: Uint8Array;
  /** Accepts a channel to `port`; undefined (or a throw) refuses it with CONNECT_FAILED. */
  readonly openChannel: (port: number, io: LmeChannelIo) => LmeChannelHandle | undefined;
  /** One APF message for the host (send it as one HECI message). */
  readonly send: (message: Uint8Array) => void;
  readonly onEvent?: (event: LmeServerEvent) => void;
  /** Ports AMT asks the host to forward, in order (default 16992, 16993). */
  readonly forwardPorts?: readonly number[];
  /** Address in each tcpip-forward; Intel LMS reads it as AMT's FQDN (default ''). */
  readonly forwardAddress?: string;
}

export type LmeServerState = 'awaiting-version' | 'awaiting-service' | 'ready';

export interface LmeServer {
  /** One HECI message from the host. Never throws. */
  receive(message: Uint8Array): void;
  /** The HECI connection is gone: end every channel, wait for a new PROTOCOLVERSION (nothing sent). */
  reset(): void;
  /** Ends the session from the engine side: DISCONNECT (by application), channels ended. */
  close(): void;
  readonly state: LmeServerState;
  readonly channelCount: number;
  /** Ports the host confirmed (REQUEST_SUCCESS). */
  readonly forwardedPorts: readonly number[];
}

export function createLmeServer(options: LmeServerOptions): LmeServer {
  if (options.uuid.length !== 16) throw new RangeError('the PROTOCOLVERSION UUID is 16 bytes');
  const ports = options.forwardPorts ?? [AMT_HTTP_PORT, AMT_TLS_PORT];
  const emit = (event: LmeServerEvent): void => options.onEvent?.(event);
  const core = new ApfSessionCore(options, options.send, (channel) => {
    if (channel.remoteId >= 0) emit({ type: 'channel-closed', port: channel.port, channel: channel.localId });
  });
  let state: LmeServerState = 'awaiting-version';
  let pending: number[] = [];
  let forwarded: number[] = [];

  const restart = (): void => {
    core.abortAll();
    state = 'awaiting-version';
    pending = [];
    forwarded = [];
  };

  const controls = sessionControls(core, restart, (m) => handle(m), (error) => emit({ type: 'error', error }));
  const fail = controls.fail;

  const onVersion = (m: ApfMessageOf<'protocolVersion'>): void => {
    if (state !== 'awaiting-version') return; // rpc-go echoes AMT's version: not answered again
    if (m.major !== APF_VERSION.major) {
      fail(protocolError('PROTOCOLVERSION', 'version not supported', `${m.major}.${m.minor}`), APF_DISCONNECT_REASON.protocolVersionNotSupported);
      return;
    }
    core.disconnectSent = false;
    core.send(apf('protocolVersion', { major: APF_VERSION.major, minor: APF_VERSION.minor, triggerReason: APF_TRIGGER.lme, uuid: options.uuid, reserved: new Uint8Array(64) }));
    core.send(apf('serviceRequest', { service: APF_SERVICE.pfwd }));
    state = 'awaiting-service';
    emit({ type: 'handshake', major: m.major, minor: m.minor, triggerReason: m.triggerReason });
  };

  const onServiceAccept = (m: ApfMessageOf<'serviceAccept'>): void => {
    if (state !== 'awaiting-service' || m.service !== APF_SERVICE.pfwd) throw protocolError('SERVICE_ACCEPT', 'out of order', m.service);
    state = 'ready';
    for (const port of ports) {
      pending.push(port);
      core.send(apf('globalRequest', { request: APF_GLOBAL_REQUEST.tcpipForward, wantReply: 1, forward: { address: options.forwardAddress ?? '', port } }));
    }
  };

  const onForwardReply = (ok: boolean): void => {
    const port = pending.shift();
    if (port === undefined) throw protocolError(ok ? 'REQUEST_SUCCESS' : 'REQUEST_FAILURE', 'out of order', 'no global request is waiting');
    if (ok) forwarded.push(port);
    emit({ type: 'forwarded', port, ok });
  };

  const refuse = (m: ApfMessageOf<'channelOpen'>, reason: number): void => {
    core.send(apf('channelOpenFailure', { recipientChannel: m.senderChannel, reason, reserved: 0, reserved2: 0 }));
    emit({ type: 'channel-refused', port: m.connectedPort, reason });
  };

  const onChannelOpen = (m: ApfMessageOf<'channelOpen'>): void => {
    if (state !== 'ready') throw protocolError('CHANNEL_OPEN', 'out of order', 'port forwarding service not started');
    if (m.channelType !== APF_CHANNEL_TYPE.forwarded && m.channelType !== APF_CHANNEL_TYPE.direct) return refuse(m, APF_OPEN_FAILURE.unknownChannelType);
    if (!ports.includes(m.connectedPort)) return refuse(m, APF_OPEN_FAILURE.administrativelyProhibited);
    const channel = core.allocate(m.connectedPort);
    if (!channel) return refuse(m, APF_OPEN_FAILURE.resourceShortage);
    const handle = openHandle(channel);
    if (!handle) {
      channel.abort();
      return refuse(m, APF_OPEN_FAILURE.connectFailed);
    }
    channel.sink = { data: (bytes) => guard(() => handle.receive(bytes), channel), end: () => guard(() => handle.close()) };
    core.send(apf('channelOpenConfirmation', { recipientChannel: m.senderChannel, senderChannel: channel.localId, initialWindow: core.limits.windowSize, reserved: APF_RESERVED }));
    emit({ type: 'channel-opened', port: channel.port, channel: channel.localId });
    channel.open(m.senderChannel, m.initialWindow);
  };

  const openHandle = (channel: ApfChannel): LmeChannelHandle | undefined => {
    try {
      return options.openChannel(channel.port, { write: (bytes) => channel.write(bytes), end: () => channel.end() });
    } catch {
      return undefined;
    }
  };

  /** A throwing connection is the engine's fault, not the host's: its channel closes, the session lives. */
  const guard = (call: () => void, channel?: ApfChannel): void => {
    try {
      call();
    } catch {
      channel?.end();
    }
  };

  const handle = (m: ApfMessage): void => {
    if (m.kind === 'protocolVersion') return onVersion(m);
    if (m.kind === 'disconnect') {
      restart();
      core.disconnectSent = false;
      return emit({ type: 'disconnected', reason: m.reason });
    }
    if (state === 'awaiting-version') throw protocolError(labelOf(m), 'out of order', 'no PROTOCOLVERSION yet');
    if (core.handleCommon(m)) return;
    switch (m.kind) {
      case 'serviceAccept': return onServiceAccept(m);
      case 'requestSuccess': return onForwardReply(true);
      case 'requestFailure': return onForwardReply(false);
      case 'channelOpen': return onChannelOpen(m);
      case 'serviceRequest': return acceptService(m.service);
      case 'userauthRequest': return core.send(apf('userauthSuccess'));
      case 'globalRequest': return m.wantReply ? core.send(apf('requestFailure')) : undefined;
      default: throw protocolError(labelOf(m), 'unexpected', 'AMT never receives this message');
    }
  };

  /** The host asks for a service: the two AMT offers are accepted [our model]. */
  const acceptService = (service: string): void => {
    if (service !== APF_SERVICE.pfwd && service !== APF_SERVICE.auth) {
      fail(protocolError('SERVICE_REQUEST', 'service not available', service), APF_DISCONNECT_REASON.serviceNotAvailable);
      return;
    }
    core.send(apf('serviceAccept', { service }));
  };

  return {
    receive: controls.receive,
    reset: controls.reset,
    close: controls.close,
    get state() { return state; },
    get channelCount() { return core.channels.size; },
    get forwardedPorts() { return [...forwarded]; },
  };
}

const labelOf = (m: ApfMessage): string => APF_MESSAGES[m.kind].label;
