/**
 * What an app is, seen from inside its worker: a module whose default export is `defineApp(...)`.
 * The app gets an `AppContext` — its name, the platform facts, the ids of the capabilities the
 * kernel minted for it, and helpers that turn into syscalls over the worker's port. It never gets
 * a kernel object: everything it can do is a message the kernel checks.
 */
import type { Client, Handlers, InterfaceSpec } from './interfaces.js';
import type { PlatformFactsView } from './platform-facts.js';
import type { HostConnectionEvent, PlatformInfo, RemoteAddress } from './protocol.js';

export { AppError } from './errors.js';
export { connectionStream } from './app-stream.js';
export { defineInterface } from './interfaces.js';
export type { PlatformFactsView } from './platform-facts.js';
export type { HostConnectionEvent, PlatformInfo, RemoteAddress } from './protocol.js';

/** The app's view of its NVRAM namespace (capability `nvram`). */
export interface NvramApi {
  get(key: string): Promise<Uint8Array | undefined>;
  put(key: string, value: Uint8Array): Promise<void>;
  delete(key: string): Promise<boolean>;
  list(prefix?: string): Promise<string[]>;
  /** Puts and deletes applied together or not at all (one NVRAM record); each key at most once. */
  commit(operations: readonly NvramOperation[]): Promise<void>;
}

/**
 * The app's pageable engine memory (capability `memory`, granted with `maxPages`): 4 KiB pages
 * named by the numbers `allocate` returns, valid only for this instance. Typed errors:
 * VME_ERR_MEMORY_QUOTA (over `maxPages`), VME_ERR_UMA_UNAVAILABLE (SRAM full and no UMA yet),
 * VME_ERR_PAGE_ACCESS (not this instance's page, or outside the page). A page the host tampered
 * with rejects with VME_ERR_UMA_INTEGRITY and the kernel then faults the instance.
 */
export interface MemoryApi {
  allocate(): Promise<number>;
  write(page: number, offset: number, bytes: Uint8Array): Promise<void>;
  read(page: number, offset: number, length: number): Promise<Uint8Array>;
  free(page: number): Promise<void>;
  usage(): Promise<{ pages: number; maxPages: number }>;
}

/** One operation of an NVRAM transaction. */
export type NvramOperation =
  | { readonly type: 'put'; readonly key: string; readonly value: Uint8Array }
  | { readonly type: 'delete'; readonly key: string };

export interface AppContext {
  readonly app: string;
  readonly platform: PlatformInfo;
  /** Ids of the capabilities minted for this instance (e.g. `nvram`, `call:mkhi`, `host:power`). */
  readonly capabilities: readonly string[];
  /** Raw syscall: any capability id and operation (the kernel decides). */
  invoke(capability: string, operation: string, args: unknown): Promise<unknown>;
  readonly nvram: NvramApi;
  readonly memory: MemoryApi;
  /** A typed client for another app's declared interface (capability `call:<app>`). */
  client<I extends InterfaceSpec>(spec: I): Client<I>;
  /** A host-control request (capability `host:<control>`), e.g. `('power', 'reset')`. */
  hostRequest(control: string, request: string): Promise<boolean>;
  /** HMAC-SHA-256 under a device-derived key (capability `crypto:<key>`). */
  hmac(keyName: string, data: Uint8Array): Promise<Uint8Array>;
  /** The platform facts as they are now (capability `platform`, held by every app; local once the kernel pushed them). */
  platformFacts(): Promise<PlatformFactsView>;
  /**
   * The platform facts the kernel pushed to this instance, synchronously: sent at start and after
   * every change, ahead of anything the kernel posts later (so a request sees every change that
   * happened before it arrived). Undefined when none were pushed (then use `platformFacts`).
   */
  currentFacts?(): PlatformFactsView | undefined;
  /** Records End-of-POST (capability `platform:end-of-post`); false when it was already set. */
  setEndOfPost(): Promise<boolean>;
}

/**
 * One TCP connection to a granted port (capability `net:<port>`), accepted by the kernel on the
 * platform's network address. The kernel owns the socket and only moves bytes: TLS, if any, is the
 * app's (as in AMT firmware). Handlers run in the app's worker; one that throws faults the instance
 * (every connection of the instance is then destroyed; the listener stays for the next instance).
 */
export interface AppConnection {
  readonly id: number;
  /** The granted port the peer connected to. */
  readonly port: number;
  readonly remote: RemoteAddress;
  /** Set these before onConnection returns; data arrives in order. */
  onData: ((bytes: Uint8Array) => void) | undefined;
  onClose: (() => void) | undefined;
  /**
   * The peer finished sending (half-close); writing still works. Unset: nothing happens — the app
   * ends the connection when it is done (`end()`), or the peer closes it.
   */
  onEnd?: (() => void) | undefined;
  /** Ordered; fire-and-forget (errors close the connection; writes after end/close are ignored). */
  write(bytes: Uint8Array): void;
  /** Closes after pending writes. */
  end(): void;
  destroy(): void;
}

/** One running instance of an app on one platform. */
export interface AppInstance<I extends InterfaceSpec | undefined> {
  readonly handlers?: I extends InterfaceSpec ? Handlers<I> : undefined;
  /** The HECI seam: a message from the host to one of the app's HECI clients; returns the reply. */
  onHostMessage?(client: string, bytes: Uint8Array): Uint8Array | Promise<Uint8Array>;
  /**
   * A host connected to or disconnected from one of the app's HECI clients. Delivered in order with
   * that client's messages: a message after a (re)connect arrives after 'connected' has been handled
   * (the returned promise settled), and the app's own messages (`heci:<uuid>` `send`) reach the new
   * connection only from then on (earlier ones answer `sent: false`), so a late message of an old
   * session never reaches a new host. An instance started while a connection was open never hears
   * its 'connected'. Without this handler the events are ignored.
   */
  onHostConnection?(client: string, event: HostConnectionEvent): void | Promise<void>;
  /**
   * Bytes the host's UART transmitted, while this app holds the serial line open (`host:serial`
   * request 'open' until 'close'): in order, one delivery at a time, bytes that arrive meanwhile
   * coalesced (a bounded backlog; beyond it the oldest are dropped). Without this handler they are ignored.
   */
  onHostSerial?(bytes: Uint8Array): void | Promise<void>;
  /** IDE-R: the host reads `count` blocks at `lba` of media this app attached (`host:boot` media); returns exactly those bytes. */
  onHostMediaRead?(device: string, lba: number, count: number): Uint8Array | Promise<Uint8Array>;
  /** A peer connected to one of the app's granted tcp ports (no handler: the connection is closed). */
  onConnection?(connection: AppConnection): void;
  /** A UDP datagram to a granted udp port; the returned bytes (if any) are sent back to `remote`. */
  onDatagram?(port: number, remote: RemoteAddress, bytes: Uint8Array): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  stop?(): void;
}

export interface AppDefinition<I extends InterfaceSpec | undefined = InterfaceSpec | undefined> {
  readonly interface: I;
  start(context: AppContext): AppInstance<I> | Promise<AppInstance<I>>;
}

/** Declares an app (the default export of its `app.ts`). */
export const defineApp = <I extends InterfaceSpec | undefined>(definition: AppDefinition<I>): AppDefinition<I> => definition;
