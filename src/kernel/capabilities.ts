/**
 * Capabilities: the only authority an app has. The kernel mints them at load time from the app's
 * verified grant — one per granted thing — and nowhere else can make one: the constructor demands
 * a module-private token and every use re-checks a private brand, so a look-alike object (or an id
 * an app made up) is refused. Apps never see these objects, only their ids.
 */
import type { AppGrants, DmaWindowGrant, HeciClientGrant, HostControl, MemoryGrant, NetworkListenerGrant, NvramGrant, PlatformFact } from '../me/app-manifest.js';
import type { CapabilityKind } from './syscalls.js';

/** What one capability grants, by kind. */
export type CapabilityGrant =
  | { readonly kind: 'nvram'; readonly nvram: NvramGrant }
  | { readonly kind: 'call'; readonly app: string }
  | { readonly kind: 'host'; readonly control: HostControl }
  | { readonly kind: 'crypto'; readonly key: string }
  | { readonly kind: 'heci'; readonly client: HeciClientGrant }
  | { readonly kind: 'net'; readonly listener: NetworkListenerGrant }
  | { readonly kind: 'dma'; readonly window: DmaWindowGrant }
  | { readonly kind: 'memory'; readonly memory: MemoryGrant }
  /** `fact` undefined: read the platform facts (every app); a fact: also set it (granted). */
  | { readonly kind: 'platform'; readonly fact: PlatformFact | undefined };

const MINT = Symbol('capability mint');

export class Capability {
  readonly #genuine = true;

  /** @internal Only `mintCapabilities` can pass the token. */
  constructor(token: symbol, readonly id: string, readonly owner: string, readonly grant: CapabilityGrant) {
    if (token !== MINT) throw new TypeError('capabilities are minted by the kernel only');
    Object.freeze(this);
  }

  get kind(): CapabilityKind {
    return this.grant.kind;
  }

  /** True only for objects minted here (not copies, proxies or look-alikes). */
  static isGenuine(value: unknown): value is Capability {
    return typeof value === 'object' && value !== null && #genuine in value;
  }
}

/** One app instance's capabilities, by id. */
export class CapabilitySet {
  readonly #byId: ReadonlyMap<string, Capability>;

  constructor(capabilities: readonly Capability[]) {
    this.#byId = new Map(capabilities.map((c) => [c.id, c]));
  }

  get ids(): string[] {
    return [...this.#byId.keys()];
  }

  get size(): number {
    return this.#byId.size;
  }

  /** The genuine capability with this id, or undefined. */
  lookup(id: string): Capability | undefined {
    const capability = this.#byId.get(id);
    return Capability.isGenuine(capability) ? capability : undefined;
  }

  /** Capabilities of one kind. */
  ofKind<K extends CapabilityKind>(kind: K): (Capability & { grant: Extract<CapabilityGrant, { kind: K }> })[] {
    return [...this.#byId.values()].filter((c): c is Capability & { grant: Extract<CapabilityGrant, { kind: K }> } => c.kind === kind);
  }
}

/** Mints exactly what `grants` lists for app `owner`, plus `platform` (read the platform facts), which every app holds. */
export function mintCapabilities(owner: string, grants: AppGrants): CapabilitySet {
  const mint = (id: string, grant: CapabilityGrant): Capability => new Capability(MINT, id, owner, grant);
  return new CapabilitySet([
    ...(grants.nvram ? [mint('nvram', { kind: 'nvram', nvram: grants.nvram })] : []),
    ...grants.calls.map((app) => mint(`call:${app}`, { kind: 'call', app })),
    ...grants.hostControl.map((control) => mint(`host:${control}`, { kind: 'host', control })),
    ...grants.cryptoKeys.map((key) => mint(`crypto:${key}`, { kind: 'crypto', key })),
    ...grants.heciClients.map((client) => mint(`heci:${client.uuid}`, { kind: 'heci', client })),
    ...grants.networkListeners.map((listener) => mint(`net:${listener.port}`, { kind: 'net', listener })),
    ...grants.dmaWindows.map((window) => mint(`dma:${window.name}`, { kind: 'dma', window })),
    ...(grants.memory ? [mint('memory', { kind: 'memory', memory: grants.memory })] : []),
    mint('platform', { kind: 'platform', fact: undefined }),
    ...(grants.platformFacts ?? []).map((fact) => mint(`platform:${fact}`, { kind: 'platform', fact })),
  ]);
}
