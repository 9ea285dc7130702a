/**
 * The worker-side `AppContext`: every helper becomes a `syscall` message naming a capability id;
 * the kernel answers with `syscall-reply`. Nothing here holds authority — a forged capability id
 * simply gets VME_ERR_CAPABILITY_DENIED back from the kernel. The platform facts are the exception:
 * the kernel pushes them (at start and on every change), so reading them costs no round trip.
 */
import type { MessagePort } from 'node:worker_threads';
import type { AppContext, MemoryApi, NvramOperation, PlatformFactsView } from '../app-api.js';
import { fromWireError, type WireError } from '../errors.js';
import { makeClient, type InterfaceSpec } from '../interfaces.js';
import type { PlatformInfo } from '../protocol.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Syscalls in flight for one instance, by call id. */
export class SyscallTable {
  readonly #pending = new Map<number, Pending>();
  #nextCall = 1;

  constructor(readonly port: MessagePort, readonly instance: number) {}

  send(capability: string, operation: string, args: unknown): Promise<unknown> {
    const call = this.#nextCall++;
    return new Promise((resolve, reject) => {
      this.#pending.set(call, { resolve, reject });
      this.port.postMessage({ t: 'syscall', instance: this.instance, call, capability, operation, args });
    });
  }

  settle(call: number, ok: boolean, value: unknown, error: WireError | undefined): void {
    const pending = this.#pending.get(call);
    if (!pending) return;
    this.#pending.delete(call);
    if (ok) pending.resolve(value);
    else pending.reject(fromWireError(error));
  }
}

/** The platform facts as the kernel last pushed them to this instance (undefined: ask with the syscall). */
export interface FactsCell {
  view: PlatformFactsView | undefined;
}

/** Builds the context an app's `start` receives; `facts` is kept current by the kernel's `facts` messages. */
export function createAppContext(app: string, platform: PlatformInfo, capabilities: readonly string[], syscalls: SyscallTable, facts: FactsCell = { view: undefined }): AppContext {
  const invoke = (capability: string, operation: string, args: unknown): Promise<unknown> => syscalls.send(capability, operation, args);
  const nvram = {
    get: async (key: string) => {
      const reply = (await invoke('nvram', 'get', { key })) as { found: boolean; value: Uint8Array };
      return reply.found ? reply.value : undefined;
    },
    put: async (key: string, value: Uint8Array) => {
      await invoke('nvram', 'put', { key, value });
    },
    delete: async (key: string) => ((await invoke('nvram', 'delete', { key })) as { deleted: boolean }).deleted,
    list: async (prefix = '') => ((await invoke('nvram', 'list', { prefix })) as { keys: string[] }).keys,
    commit: async (operations: readonly NvramOperation[]) => {
      const puts = operations.flatMap((o) => (o.type === 'put' ? [{ key: o.key, value: o.value }] : []));
      await invoke('nvram', 'commit', { puts, deletes: operations.flatMap((o) => (o.type === 'delete' ? [o.key] : [])) });
    },
  };
  return Object.freeze({
    app, platform: Object.freeze({ ...platform }), capabilities: Object.freeze([...capabilities]),
    invoke, nvram: Object.freeze(nvram), memory: memoryApi(invoke),
    client: <I extends InterfaceSpec>(spec: I) => makeClient(spec, (operation, args) => invoke(`call:${spec.app}`, operation, args)),
    hostRequest: async (control: string, request: string) => ((await invoke(`host:${control}`, 'request', { request })) as { accepted: boolean }).accepted,
    hmac: async (keyName: string, data: Uint8Array) => ((await invoke(`crypto:${keyName}`, 'hmac', { data })) as { mac: Uint8Array }).mac,
    platformFacts: async () => facts.view ?? ((await invoke('platform', 'facts', {})) as PlatformFactsView),
    currentFacts: () => facts.view,
    setEndOfPost: async () => ((await invoke('platform:end-of-post', 'setEndOfPost', {})) as { changed: boolean }).changed,
  });
}

type Invoke = (capability: string, operation: string, args: unknown) => Promise<unknown>;

/** `context.memory`: every call is a syscall on capability `memory`. */
function memoryApi(invoke: Invoke): MemoryApi {
  return Object.freeze({
    allocate: async () => ((await invoke('memory', 'allocate', {})) as { page: number }).page,
    write: async (page: number, offset: number, bytes: Uint8Array) => {
      await invoke('memory', 'write', { page, offset, bytes });
    },
    read: async (page: number, offset: number, length: number) => ((await invoke('memory', 'read', { page, offset, length })) as { bytes: Uint8Array }).bytes,
    free: async (page: number) => {
      await invoke('memory', 'free', { page });
    },
    usage: async () => (await invoke('memory', 'usage', {})) as { pages: number; maxPages: number },
  });
}
