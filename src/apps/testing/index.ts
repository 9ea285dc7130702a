/**
 * The test apps' registry and manifest definition: tests build a platform from
 * `testingDefinition([...])` and boot it with `TESTING_APP_REGISTRY`. Never part of a real build.
 */
import type { AppManifest, AppGrants, ManifestDefinition } from '../../me/app-manifest.js';
import { loadManifestDefinition } from '../../me/app-manifest.js';
import type { AppRegistry } from '../../kernel/index.js';
import { DEFAULT_APP_REGISTRY } from '../registry.js';
import { CALLER_INTERFACE, ECHO_INTERFACE, HANGER_INTERFACE, LEAKER_INTERFACE, NETECHO_INTERFACE, NETECHO_TCP_PORT, NETECHO_TLS_PORT, NETECHO_UDP_PORT, PAGER_INTERFACE, PROBER_INTERFACE, THROWER_INTERFACE } from './interfaces.js';

const url = (file: string): string => new URL(file, import.meta.url).href;

export const TESTING_APP_REGISTRY: AppRegistry = Object.freeze({
  ...DEFAULT_APP_REGISTRY,
  echo: { moduleUrl: url('./echo.js'), interface: ECHO_INTERFACE },
  caller: { moduleUrl: url('./caller.js'), interface: CALLER_INTERFACE },
  prober: { moduleUrl: url('./prober.js'), interface: PROBER_INTERFACE },
  thrower: { moduleUrl: url('./thrower.js'), interface: THROWER_INTERFACE },
  hanger: { moduleUrl: url('./hanger.js'), interface: HANGER_INTERFACE },
  leaker: { moduleUrl: url('./leaker.js'), interface: LEAKER_INTERFACE },
  pager: { moduleUrl: url('./pager.js'), interface: PAGER_INTERFACE },
  netecho: { moduleUrl: url('./netecho.js'), interface: NETECHO_INTERFACE },
});

export { NETECHO_TCP_PORT, NETECHO_TLS_PORT, NETECHO_UDP_PORT } from './interfaces.js';

const noGrants = (overrides: Partial<AppGrants> = {}): AppGrants => ({
  heciClients: [], networkListeners: [], nvram: null, dmaWindows: [], cryptoKeys: [], hostControl: [], calls: [], ...overrides,
});

const app = (name: string, grants: AppGrants): AppManifest => ({ name, version: '0.0.1', description: `test app ${name}`, grants });

export const TESTING_APPS: Readonly<Record<string, AppManifest>> = {
  echo: app('echo', noGrants({ nvram: { namespace: 'echo', quotaBytes: 4096 } })),
  caller: app('caller', noGrants({ calls: ['echo'] })),
  prober: app('prober', noGrants()),
  thrower: app('thrower', noGrants()),
  hanger: app('hanger', noGrants()),
  leaker: app('leaker', noGrants()),
  pager: app('pager', noGrants({ memory: { maxPages: 96 }, nvram: { namespace: 'pager', quotaBytes: 1024 } })),
  netecho: app('netecho', noGrants({ networkListeners: [
    { port: NETECHO_TCP_PORT, protocol: 'tcp', tls: false }, { port: NETECHO_UDP_PORT, protocol: 'udp', tls: false }, { port: NETECHO_TLS_PORT, protocol: 'tcp', tls: true },
  ] })),
};

/** The default definition (mkhi) plus the named test apps, in that order. */
export function testingDefinition(names: readonly string[], supervisor = { maxRestarts: 3, restartWindowMs: 60_000 }): ManifestDefinition {
  const base = loadManifestDefinition();
  const extra = names.map((name) => TESTING_APPS[name] ?? (() => { throw new RangeError(`no test app ${name}`); })());
  return { ...base, kernel: { ...base.kernel, supervisor }, apps: [...base.apps, ...extra] };
}
