/**
 * The messages between the kernel and an app-host worker, over the worker's MessagePort. Every
 * message names the app instance it is about; instances of many platforms share one worker. The
 * kernel never trusts what a worker sends: the `checkWorkerMessage` guard rejects anything
 * malformed before it is routed (a malformed message faults the worker, not the kernel).
 * Network connections (design 0009) travel as `net-*` messages: the kernel owns the sockets and
 * posts what a peer sent (`net-open`, `net-data`, `net-eof`, `net-close`); the worker posts what
 * the app does (`net-write`, `net-end`, `net-destroy`) and acknowledges data it has handed over
 * (`net-ack`, or `ack` on a `net-write`: flow control). A handler that throws outside a request reports `fault`.
 */
import type { WireError } from './errors.js';
import type { PlatformFactsView } from './platform-facts.js';

/** Non-secret facts about the platform every app may read at start. */
export interface PlatformInfo {
  readonly platformId: string;
  readonly firmwareVersion: string;
  readonly svn: number;
  readonly partition: 'NFTP' | 'FTPR';
  /** 'operational' or 'recovery' as booted; 'degraded' when NVRAM is unusable. */
  readonly engineState: string;
  readonly apps: readonly string[];
  /** Stable per platform, derived at boot from the device secret (never the secret itself). */
  readonly platformUuid: string;
  /** `aa:bb:cc:dd:ee:ff`: from the GbE region, or derived like the UUID (`macSource`). */
  readonly macAddress: string;
  readonly macSource: 'gbe' | 'derived';
  /** Corporate when the firmware carries the AMT host interface, else consumer. */
  readonly sku: 'corporate' | 'consumer';
  /** The platform's own loopback address its granted listeners are bound to (absent: no network). */
  readonly networkAddress?: string;
}

/** A network peer. */
export interface RemoteAddress {
  readonly address: string;
  readonly port: number;
}

/** What happened to a host's connection to one of an app's HECI clients. */
export type HostConnectionEvent = 'connected' | 'disconnected';

/** Most bytes one `net-write` may carry (the worker splits larger writes). */
export const MAX_NET_CHUNK = 65536;

/** What an instance is asked to do. */
export type RequestBody =
  /** `facts`: the platform facts at start; later changes follow as `facts` messages. */
  | { readonly kind: 'start'; readonly app: string; readonly capabilities: readonly string[]; readonly platform: PlatformInfo; readonly facts?: PlatformFactsView }
  | { readonly kind: 'call'; readonly caller: string; readonly operation: string; readonly args: unknown }
  | { readonly kind: 'host-message'; readonly client: string; readonly bytes: Uint8Array }
  /** A host opened or closed a connection to one of the app's HECI clients (ordered with its messages). */
  | { readonly kind: 'host-connection'; readonly client: string; readonly event: HostConnectionEvent }
  /** Bytes the host UART transmitted, for an app that opened `host:serial` (in order, coalesced). */
  | { readonly kind: 'host-serial'; readonly bytes: Uint8Array }
  /** IDE-R: the host reads `count` blocks at `lba` of media the app attached (`host:boot` media); the reply value is the bytes. */
  | { readonly kind: 'host-media-read'; readonly device: string; readonly lba: number; readonly count: number }
  /** A UDP datagram to a granted udp port; the reply value is the datagram to send back (or undefined). */
  | { readonly kind: 'datagram'; readonly port: number; readonly remote: RemoteAddress; readonly bytes: Uint8Array };

/** What the kernel tells an instance about one of its connections. */
export type NetToWorker =
  | { readonly t: 'net-open'; readonly instance: number; readonly connection: number; readonly port: number; readonly remote: RemoteAddress }
  | { readonly t: 'net-data'; readonly instance: number; readonly connection: number; readonly bytes: Uint8Array }
  /** The peer finished sending (half-close); the connection stays writable. */
  | { readonly t: 'net-eof'; readonly instance: number; readonly connection: number }
  /** The connection is gone (either side closed it, it failed, or the kernel destroyed it). */
  | { readonly t: 'net-close'; readonly instance: number; readonly connection: number };

/** A message of a union without its `instance` field (the slot adds it). */
export type WithoutInstance<T> = T extends unknown ? Omit<T, 'instance'> : never;

/** What an instance does with one of its connections (the kernel checks the connection is its own). */
export type NetFromWorker =
  /** `ack`: bytes of `net-data` handed to the app, acknowledged with this write (as a `net-ack` would). */
  | { readonly t: 'net-write'; readonly instance: number; readonly connection: number; readonly bytes: Uint8Array; readonly ack?: number }
  | { readonly t: 'net-end'; readonly instance: number; readonly connection: number }
  | { readonly t: 'net-destroy'; readonly instance: number; readonly connection: number }
  /** `bytes` of `net-data` were handed to the app (the kernel resumes a paused socket). */
  | { readonly t: 'net-ack'; readonly instance: number; readonly connection: number; readonly bytes: number };

export type KernelToWorker =
  | { readonly t: 'request'; readonly instance: number; readonly request: number; readonly body: RequestBody }
  | { readonly t: 'syscall-reply'; readonly instance: number; readonly call: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'syscall-reply'; readonly instance: number; readonly call: number; readonly ok: false; readonly error: WireError }
  | { readonly t: 'stop'; readonly instance: number }
  | { readonly t: 'ping'; readonly nonce: number }
  /** The platform facts changed (posted before anything the kernel posts later: a request after a change sees it). */
  | { readonly t: 'facts'; readonly instance: number; readonly facts: PlatformFactsView }
  | NetToWorker;

export type WorkerToKernel =
  | { readonly t: 'reply'; readonly instance: number; readonly request: number; readonly ok: true; readonly value: unknown }
  /** `fault: true` when the app threw something other than an AppError: the instance is broken. */
  | { readonly t: 'reply'; readonly instance: number; readonly request: number; readonly ok: false; readonly fault: boolean; readonly error: WireError }
  | { readonly t: 'syscall'; readonly instance: number; readonly call: number; readonly capability: string; readonly operation: string; readonly args: unknown }
  | { readonly t: 'pong'; readonly nonce: number }
  /** The app threw outside a request (in a network handler): the instance is broken and was dropped. */
  | { readonly t: 'fault'; readonly instance: number; readonly error: WireError }
  | NetFromWorker;

const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isShortString = (value: unknown): value is string => typeof value === 'string' && value.length <= 128;

/** True when `message` has the shape of a `WorkerToKernel` message (contents are checked later). */
export function checkWorkerMessage(message: unknown): message is WorkerToKernel {
  if (typeof message !== 'object' || message === null) return false;
  const m = message as Record<string, unknown>;
  switch (m.t) {
    case 'reply':
      return isId(m.instance) && isId(m.request) && typeof m.ok === 'boolean' && (m.ok || (typeof m.fault === 'boolean' && typeof m.error === 'object'));
    case 'syscall':
      return isId(m.instance) && isId(m.call) && isShortString(m.capability) && isShortString(m.operation);
    case 'pong':
      return isId(m.nonce);
    case 'fault':
      return isId(m.instance) && typeof m.error === 'object' && m.error !== null;
    case 'net-write':
      return isId(m.instance) && isId(m.connection) && m.bytes instanceof Uint8Array && m.bytes.length <= MAX_NET_CHUNK && (m.ack === undefined || isId(m.ack));
    case 'net-end':
    case 'net-destroy':
      return isId(m.instance) && isId(m.connection);
    case 'net-ack':
      return isId(m.instance) && isId(m.connection) && isId(m.bytes);
    default:
      return false;
  }
}
