/**
 * Application and kernel declarations (ARCHITECTURE §1): the manifest definition file
 * (`manifests/default.json`, format `vme-manifests/1`) lists the kernel configuration and each
 * app with its grants. Each app becomes one JSON module of a code partition, the kernel config
 * the `kernel` module. The same strict readers check the file at build time and the modules at
 * boot.
 */
import { readFileSync } from 'node:fs';
import { VmeError } from '../common/errors.js';
import { JsonChecker } from './json-check.js';

export const MANIFESTS_FORMAT = 'vme-manifests/1';
/** App names become `$CPD` names and `<name>.met` must fit in 12 bytes. */
export const APP_NAME = /^[a-z][a-z0-9_]{0,7}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const KEY_NAME = /^[a-z][a-z0-9-]{0,31}$/;
export const HOST_CONTROLS = ['power', 'boot', 'serial', 'framebuffer'] as const;
export type HostControl = (typeof HOST_CONTROLS)[number];
/** Platform facts an app may be granted to set (every app may read them). */
export const PLATFORM_FACTS = ['end-of-post'] as const;
export type PlatformFact = (typeof PLATFORM_FACTS)[number];

export interface KernelConfig {
  sramBudgetBytes: number;
  supervisor: { maxRestarts: number; restartWindowMs: number };
}

export interface HeciClientGrant { uuid: string; name: string; maxMessageBytes: number }
/**
 * A port the app serves on the platform's network address (capability `net:<port>`, so one listener
 * per port in an app). `tls` is informational: the app terminates TLS itself, the kernel moves bytes.
 */
export interface NetworkListenerGrant { port: number; protocol: 'tcp' | 'udp'; tls: boolean }
export interface NvramGrant { namespace: string; quotaBytes: number }
export interface DmaWindowGrant { name: string; target: 'host' | 'uma'; maxBytes: number; write: boolean }
/** Pageable engine memory (4 KiB pages in SRAM, spilling to UMA): at most `maxPages` at a time. */
export interface MemoryGrant { maxPages: number }
/** Most pages one app may be granted (64 MiB of engine memory). */
export const MAX_MEMORY_PAGES = 16384;

export interface AppGrants {
  heciClients: HeciClientGrant[];
  networkListeners: NetworkListenerGrant[];
  nvram: NvramGrant | null;
  dmaWindows: DmaWindowGrant[];
  cryptoKeys: string[];
  hostControl: HostControl[];
  calls: string[];
  /** Platform facts this app may set (optional in the JSON; absent = none). */
  platformFacts?: PlatformFact[];
  /** Pageable engine memory (optional in the JSON; absent = none). */
  memory?: MemoryGrant;
}

export interface AppManifest {
  name: string;
  version: string;
  description: string;
  grants: AppGrants;
}

export interface ManifestDefinition {
  format: typeof MANIFESTS_FORMAT;
  kernel: KernelConfig;
  apps: AppManifest[];
  /** Apps the recovery partition (FTPR) carries; NFTP carries every app. */
  recoveryApps: string[];
}

const check = new JsonChecker('VME_ERR_APP_MANIFEST', 'manifest definition');

export function checkKernelConfig(value: unknown, path: string, checker = check): KernelConfig {
  const o = checker.object(value, path, ['sramBudgetBytes', 'supervisor']);
  const s = checker.object(o.supervisor, `${path}.supervisor`, ['maxRestarts', 'restartWindowMs']);
  return {
    sramBudgetBytes: checker.integer(o.sramBudgetBytes, `${path}.sramBudgetBytes`, 4096, 64 * 1024 * 1024),
    supervisor: {
      maxRestarts: checker.integer(s.maxRestarts, `${path}.supervisor.maxRestarts`, 0, 1000),
      restartWindowMs: checker.integer(s.restartWindowMs, `${path}.supervisor.restartWindowMs`, 1, 86_400_000),
    },
  };
}

function checkGrants(value: unknown, path: string, checker: JsonChecker): AppGrants {
  const keys = ['heciClients', 'networkListeners', 'nvram', 'dmaWindows', 'cryptoKeys', 'hostControl', 'calls'];
  const g = checker.object(value, path, keys, ['platformFacts', 'memory']);
  const heciClients = checker.array(g.heciClients, `${path}.heciClients`).map((c, i) => {
    const p = `${path}.heciClients[${i}]`;
    const o = checker.object(c, p, ['uuid', 'name', 'maxMessageBytes']);
    return { uuid: checker.string(o.uuid, `${p}.uuid`, UUID, 'a lower-case UUID'), name: checker.string(o.name, `${p}.name`, /^[A-Za-z0-9 _-]{1,32}$/, 'a short name'), maxMessageBytes: checker.integer(o.maxMessageBytes, `${p}.maxMessageBytes`, 1, 65536) };
  });
  const networkListeners = checker.array(g.networkListeners, `${path}.networkListeners`).map((l, i) => {
    const p = `${path}.networkListeners[${i}]`;
    const o = checker.object(l, p, ['port', 'protocol', 'tls']);
    return { port: checker.integer(o.port, `${p}.port`, 1, 65535), protocol: checker.oneOf(o.protocol, `${p}.protocol`, ['tcp', 'udp'] as const), tls: checker.boolean(o.tls, `${p}.tls`) };
  });
  const dmaWindows = checker.array(g.dmaWindows, `${path}.dmaWindows`).map((d, i) => {
    const p = `${path}.dmaWindows[${i}]`;
    const o = checker.object(d, p, ['name', 'target', 'maxBytes', 'write']);
    return { name: checker.string(o.name, `${p}.name`, KEY_NAME, 'a lower-case name'), target: checker.oneOf(o.target, `${p}.target`, ['host', 'uma'] as const), maxBytes: checker.integer(o.maxBytes, `${p}.maxBytes`, 1, 0x4000000), write: checker.boolean(o.write, `${p}.write`) };
  });
  const grants: AppGrants = {
    heciClients, networkListeners, dmaWindows,
    nvram: g.nvram === null ? null : checkNvram(g.nvram, `${path}.nvram`, checker),
    cryptoKeys: checker.array(g.cryptoKeys, `${path}.cryptoKeys`).map((k, i) => checker.string(k, `${path}.cryptoKeys[${i}]`, KEY_NAME, 'a lower-case key name')),
    hostControl: checker.array(g.hostControl, `${path}.hostControl`).map((h, i) => checker.oneOf(h, `${path}.hostControl[${i}]`, HOST_CONTROLS)),
    calls: checker.array(g.calls, `${path}.calls`).map((c, i) => checker.string(c, `${path}.calls[${i}]`, APP_NAME, 'an app name')),
  };
  checker.unique(heciClients, `${path}.heciClients`, (c) => c.uuid);
  checker.unique(networkListeners, `${path}.networkListeners`, (l) => String(l.port));
  checker.unique(dmaWindows, `${path}.dmaWindows`, (d) => d.name);
  checker.unique(grants.cryptoKeys, `${path}.cryptoKeys`, (k) => k);
  checker.unique(grants.hostControl, `${path}.hostControl`, (h) => h);
  checker.unique(grants.calls, `${path}.calls`, (c) => c);
  if (g.platformFacts !== undefined) {
    grants.platformFacts = checker.array(g.platformFacts, `${path}.platformFacts`).map((f, i) => checker.oneOf(f, `${path}.platformFacts[${i}]`, PLATFORM_FACTS));
    checker.unique(grants.platformFacts, `${path}.platformFacts`, (f) => f);
  }
  if (g.memory !== undefined) grants.memory = checkMemory(g.memory, `${path}.memory`, checker);
  return grants;
}

function checkNvram(value: unknown, path: string, checker: JsonChecker): NvramGrant {
  const o = checker.object(value, path, ['namespace', 'quotaBytes']);
  return { namespace: checker.string(o.namespace, `${path}.namespace`, KEY_NAME, 'a lower-case name'), quotaBytes: checker.integer(o.quotaBytes, `${path}.quotaBytes`, 1, 0x80000) };
}

function checkMemory(value: unknown, path: string, checker: JsonChecker): MemoryGrant {
  const o = checker.object(value, path, ['maxPages']);
  return { maxPages: checker.integer(o.maxPages, `${path}.maxPages`, 1, MAX_MEMORY_PAGES) };
}

export function checkAppManifest(value: unknown, path: string, checker = check): AppManifest {
  const o = checker.object(value, path, ['name', 'version', 'description', 'grants']);
  return {
    name: checker.string(o.name, `${path}.name`, APP_NAME, 'an app name (a-z, 0-9, _; at most 8)'),
    version: checker.string(o.version, `${path}.version`, /^\d{1,5}\.\d{1,5}\.\d{1,5}$/, 'a version like 1.0.0'),
    description: checker.string(o.description, `${path}.description`, /^[\x20-\x7e]{0,200}$/, 'printable ASCII of at most 200 characters'),
    grants: checkGrants(o.grants, `${path}.grants`, checker),
  };
}

/** Cross-app rules: unique names, HECI clients, ports and NVRAM namespaces; calls to known apps. */
export function checkAppSet(apps: readonly AppManifest[], path: string, checker = check): void {
  checker.unique(apps, path, (a) => a.name);
  const owners = new Map<string, string>();
  apps.forEach((app, i) => {
    const claims = [
      ...app.grants.heciClients.map((c) => `HECI client ${c.uuid}`),
      ...app.grants.networkListeners.map((l) => `${l.protocol} port ${l.port}`),
      ...(app.grants.nvram ? [`NVRAM namespace ${app.grants.nvram.namespace}`] : []),
    ];
    for (const claim of claims) {
      const owner = owners.get(claim);
      if (owner !== undefined) checker.fail(`${path}[${i}].grants`, `${claim} is already granted to ${owner}`);
      owners.set(claim, app.name);
    }
    app.grants.calls.forEach((callee, j) => {
      if (!apps.some((a) => a.name === callee)) checker.fail(`${path}[${i}].grants.calls[${j}]`, `calls unknown app ${JSON.stringify(callee)}`);
      if (callee === app.name) checker.fail(`${path}[${i}].grants.calls[${j}]`, 'an app cannot call itself');
    });
  });
}

/** Validate a parsed manifest definition document. @throws VmeError VME_ERR_APP_MANIFEST */
export function checkManifestDefinition(value: unknown): ManifestDefinition {
  const o = check.object(value, '$', ['format', 'kernel', 'apps', 'recoveryApps'], ['$comment']);
  if (o.format !== MANIFESTS_FORMAT) check.fail('$.format', `expected ${JSON.stringify(MANIFESTS_FORMAT)}`);
  const kernel = checkKernelConfig(o.kernel, '$.kernel');
  const apps = check.array(o.apps, '$.apps', 32).map((a, i) => checkAppManifest(a, `$.apps[${i}]`));
  if (apps.some((a) => a.name === 'kernel')) check.fail('$.apps', '"kernel" is reserved for the kernel module');
  checkAppSet(apps, '$.apps');
  const recoveryApps = check.array(o.recoveryApps, '$.recoveryApps').map((r, i) => {
    const name = check.string(r, `$.recoveryApps[${i}]`, APP_NAME, 'an app name');
    if (!apps.some((a) => a.name === name)) check.fail(`$.recoveryApps[${i}]`, `unknown app ${JSON.stringify(name)}`);
    return name;
  });
  check.unique(recoveryApps, '$.recoveryApps', (r) => r);
  return { format: MANIFESTS_FORMAT, kernel, apps, recoveryApps };
}

/** Read and validate a manifest definition file. */
export function loadManifestDefinition(path: string | URL = DEFAULT_MANIFESTS_PATH): ManifestDefinition {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new VmeError('VME_ERR_IO', `cannot read manifest definition ${String(path)}: ${(err as Error).message}`, { path: String(path) });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new VmeError('VME_ERR_APP_MANIFEST', `manifest definition ${String(path)}: not JSON: ${(err as Error).message}`, { path: '$' });
  }
  return checkManifestDefinition(value);
}

/** The default definition shipped with vme (`manifests/default.json`). */
export const DEFAULT_MANIFESTS_PATH = new URL('../../../manifests/default.json', import.meta.url);

/**
 * Apps in a partition: FTPR gets the recovery set, NFTP every app (definition order). A `calls`
 * grant to an app the partition does not carry is dropped from that partition's copy (FTPR's mkhi
 * has no amt to call), so each partition's app set passes `checkAppSet` on its own.
 */
export function appsFor(definition: ManifestDefinition, partition: 'FTPR' | 'NFTP'): AppManifest[] {
  if (partition === 'NFTP') return definition.apps;
  const carried = definition.apps.filter((a) => definition.recoveryApps.includes(a.name));
  return carried.map((app) => {
    const calls = app.grants.calls.filter((callee) => definition.recoveryApps.includes(callee));
    return calls.length === app.grants.calls.length ? app : { ...app, grants: { ...app.grants, calls } };
  });
}

const encoder = new TextEncoder();
export const encodeModule = (value: KernelConfig | AppManifest): Uint8Array => encoder.encode(JSON.stringify(value));
