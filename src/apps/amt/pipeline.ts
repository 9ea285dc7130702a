/**
 * The AMT web server of one platform, socket-free: one WS-Man handler over the AMT state (each
 * request run exclusively, committed by `afterDispatch`, rolled back by `afterFault`) behind two
 * HTTP cores with their own Digest authenticator: `network` (ports 16992/16993 from the network:
 * the admin and network ACL entries) and `local` (channels the host tunnels through LME: also local
 * ACL entries and the local system account). Both read the accounts as committed in NVRAM.
 * Connections arrive as byte streams (the kernel's, or an APF channel's); TLS is terminated here,
 * with the settings committed when the connection arrives.
 */
import { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { accountDirectory } from '../../amt/accounts/index.js';
import { DigestAuthenticator, type RemoteEndpoint, type SecurityEvent } from '../../amt/auth/index.js';
import { AmtHttpCore, type AmtHandler, type AmtOrigin, type ConnectionIo, type HttpLimits } from '../../amt/http/index.js';
import { attachHttpStream, tlsTerminator } from '../../amt/http/tls-accept.js';
import type { ActiveTls } from '../../amt/tls/index.js';
import { acceptsNonSecure } from '../../amt/wsman/classes/tls-state.js';
import { createAmtClassRegistry } from '../../amt/wsman/classes/index.js';
import type { DevicePort } from '../../amt/wsman/device.js';
import type { PlatformFacts } from '../../amt/wsman/facts.js';
import { createWsmanHandler, type WsmanHandler } from '../../amt/wsman/handler.js';
import type { ClassRegistry } from '../../amt/wsman/registry.js';
import type { WsmanState } from '../../amt/wsman/state.js';

export const AMT_HTTP_PORT = 16992;
export const AMT_TLS_PORT = 16993;

export interface AmtPipelineOptions {
  /** The state requests read and change (staged until `afterDispatch` commits it). */
  readonly state: WsmanState;
  /** The state as committed (read-only): the Digest directories and the port policy read it. */
  readonly committed: WsmanState;
  readonly facts: PlatformFacts;
  /** `Digest:` + 32 upper-case hex, stable per platform. */
  readonly realm: string;
  readonly device: DevicePort;
  /** Runs one WS-Man request exclusively (the app's mutex). */
  readonly serialize: <T>(task: () => Promise<T>) => Promise<T>;
  /** Commits the request's state, then performs its device actions (rejects after rolling back). */
  readonly afterDispatch: () => Promise<void>;
  /** Drops the request's staged state and queued actions. */
  readonly afterFault: () => void;
  readonly onSecurityEvent?: (event: SecurityEvent) => void;
  /** The local system account (only the local core knows it). */
  readonly localSystemAccount: () => { readonly username: string; readonly password: string } | undefined;
  /** The TLS settings committed now (asked when a TLS connection arrives; rejects: no TLS, the connection is dropped). */
  readonly tls: () => Promise<ActiveTls>;
  readonly registry?: ClassRegistry;
  readonly limits?: Partial<HttpLimits>;
}

/** An APF channel's end of a local connection: bytes from the host in, `close` when the channel closes. */
export interface LocalConnection {
  receive(bytes: Uint8Array): void;
  close(): void;
}

export interface AmtPipeline {
  /** The serialized WS-Man handler both cores use. */
  readonly handler: AmtHandler;
  readonly wsman: WsmanHandler;
  readonly network: AmtHttpCore;
  readonly local: AmtHttpCore;
  /** The network core's Digest authenticator: the redirection service logs in through it (same nonces and lock-out). */
  readonly networkAuth: DigestAuthenticator;
  /** A connection from the network to 16992 (plain) or 16993 (TLS); anything else is destroyed. */
  acceptNetwork(port: number, stream: Duplex, remote: RemoteEndpoint): void;
  /**
   * A connection the host tunnels to AMT (LME/APF channel to 16992 or 16993), origin 'local': AMT's
   * reply bytes go to `io` (`io.end()` when AMT closes). Undefined for another port (refuse the channel).
   * Fits the LME server's `openChannel` (src/protocols/apf). Never call it while holding the app's mutex.
   */
  openLocalConnection(port: number, io: ConnectionIo, remote?: RemoteEndpoint): LocalConnection | undefined;
}

const LOCAL_PEER: RemoteEndpoint = { address: '127.0.0.1', port: 0 };

/** The class registry is immutable: one per worker, shared by every platform's pipeline (≈ 17 KiB each otherwise). */
let sharedRegistry: ClassRegistry | undefined;
const defaultRegistry = (): ClassRegistry => (sharedRegistry ??= createAmtClassRegistry());

export function createAmtPipeline(options: AmtPipelineOptions): AmtPipeline {
  const wsman = createWsmanHandler({
    registry: options.registry ?? defaultRegistry(), state: options.state, facts: options.facts, realm: options.realm,
    device: options.device, afterDispatch: options.afterDispatch, afterFault: options.afterFault,
  });
  const handler: AmtHandler = (request) => options.serialize(async () => wsman(request));
  const authenticator = (local: boolean): DigestAuthenticator => new DigestAuthenticator({
    realm: options.realm, ...(options.onSecurityEvent ? { onSecurityEvent: options.onSecurityEvent } : {}),
    users: accountDirectory(options.committed, local ? { local, get localSystemAccount() { return options.localSystemAccount(); } } : { local }),
  });
  const core = (auth: DigestAuthenticator): AmtHttpCore => new AmtHttpCore({ handler, ...(options.limits ? { limits: options.limits } : {}), auth });
  const networkAuth = authenticator(false);
  const network = core(networkAuth);
  const local = core(authenticator(true));
  const plainAllowed = (origin: AmtOrigin): boolean => acceptsNonSecure(options.committed, origin);

  const terminate = (target: AmtHttpCore, raw: Duplex, origin: AmtOrigin, remote: RemoteEndpoint): void => {
    let secure = false;
    const onSecure = (socket: TLSSocket): void => {
      secure = true;
      attachHttpStream(target, socket, { transport: 'tls', origin, remote });
    };
    // node:tls ignores the end of a stream it is handshaking over: a peer that leaves mid-handshake
    // would hold the connection until the handshake timeout.
    raw.once('end', () => setImmediate(() => secure || raw.destroy()));
    options.tls().then((active) => tlsTerminator(active, onSecure, target.limits.idleTimeoutMs).emit('connection', raw), () => raw.destroy());
  };

  return {
    handler, wsman, network, local, networkAuth,
    acceptNetwork: (port, stream, remote) => {
      if (port === AMT_HTTP_PORT && plainAllowed('network')) attachHttpStream(network, stream, { transport: 'http', origin: 'network', remote });
      else if (port === AMT_TLS_PORT) terminate(network, stream, 'network', remote);
      else stream.destroy();
    },
    openLocalConnection: (port, io, remote = LOCAL_PEER) => {
      if (port === AMT_HTTP_PORT) {
        if (!plainAllowed('local')) {
          io.end();
          return { receive: () => undefined, close: () => undefined };
        }
        const connection = local.connect({ transport: 'http', origin: 'local', remote }, io);
        return { receive: (bytes) => connection.receive(bytes), close: () => connection.abort() };
      }
      if (port !== AMT_TLS_PORT) return undefined;
      const raw = channelStream(io);
      terminate(local, raw, 'local', remote);
      return { receive: (bytes) => void raw.push(bytes), close: () => void raw.destroy() };
    },
  };
}

/** A Duplex whose readable side is fed by `push` (the channel's bytes) and whose writes go to `io`. */
function channelStream(io: ConnectionIo): Duplex {
  const stream = new Duplex({
    read: () => undefined,
    write(chunk: Uint8Array, _encoding, callback) {
      io.write(chunk);
      callback();
    },
    final(callback) {
      io.end();
      callback();
    },
  });
  stream.on('error', () => undefined);
  return stream;
}
