/**
 * `vme wsman get|enumerate|invoke|put`: a small WS-Management console for a platform (or any AMT
 * device): Digest-authenticated, over HTTP or TLS with a pinned certificate. With `--state` it finds
 * a running `vme up`'s address in `<state>/network.json` and the admin password in
 * `<state>/amt-admin-password`; `--host/--port/--user/--password` reach anything else.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { WsmanClient, type Inputs, type Properties } from '../../client/index.js';
import { VmeError } from '../../common/errors.js';
import { ADMIN_PASSWORD_FILE } from '../../host/activation/index.js';
import { checkNetworkAddress } from '../../kernel/index.js';
import { readNetworkFile } from '../../status/index.js';
import { emit } from '../output.js';

interface ConnectOptions {
  state: string;
  host?: string;
  port?: string;
  tls?: boolean;
  fingerprint?: string;
  insecure?: boolean;
  user: string;
  password?: string;
  json?: boolean;
}

/** `Name=Value` pairs (repeatable options). */
const pairs = (list: readonly string[] | undefined, what: string): Record<string, string> => Object.fromEntries((list ?? []).map((item) => {
  const at = item.indexOf('=');
  if (at <= 0) throw new VmeError('VME_ERR_USAGE', `${what} must be Name=Value, got ${JSON.stringify(item)}`);
  return [item.slice(0, at), item.slice(at + 1)];
}));

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function connect(opts: ConnectOptions): WsmanClient {
  const network = opts.host === undefined ? readNetworkFile(opts.state) : null;
  const host = opts.host ?? network?.address;
  if (host === undefined) throw new VmeError('VME_ERR_USAGE', `no running platform in ${opts.state} (no network.json): start \`vme up --state ${opts.state}\` or give --host`);
  const tlsListener = network?.listeners.find((l) => l.app === 'amt' && l.tls && l.listening);
  const port = opts.port === undefined ? (opts.tls ? tlsListener?.port ?? 16993 : 16992) : Number(opts.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new VmeError('VME_ERR_USAGE', `--port must be 1..65535, got ${opts.port ?? ''}`);
  const password = opts.password ?? process.env.VME_AMT_PASSWORD ?? readKeptPassword(opts.state);
  const tls = opts.tls ? { ...(opts.fingerprint ? { fingerprint: opts.fingerprint } : {}), ...(opts.insecure ? { insecure: true } : {}) } : undefined;
  return new WsmanClient({ host: checkNetworkAddress(host), port, user: opts.user, password, ...(tls ? { tls } : {}) });
}

function readKeptPassword(state: string): string {
  try {
    return readFileSync(join(state, ADMIN_PASSWORD_FILE), 'utf8').trim();
  } catch {
    throw new VmeError('VME_ERR_USAGE', `no password: give --password, set VME_AMT_PASSWORD, or use a state folder with ${ADMIN_PASSWORD_FILE}`);
  }
}

const render = (items: readonly Properties[]): string => items.map((item) =>
  Object.entries(item).map(([name, value]) => `${name}: ${Array.isArray(value) ? value.join(', ') : value}`).join('\n')).join('\n\n');

async function run(opts: ConnectOptions, call: (client: WsmanClient) => Promise<Properties | Properties[]>): Promise<void> {
  const client = connect(opts);
  try {
    const result = await call(client);
    emit(result, opts, (r) => render(Array.isArray(r) ? r : [r]) || '(no instances)');
  } finally {
    client.close();
  }
}

function withConnectOptions(command: Command): Command {
  return command
    .option('--state <dir>', 'state folder of a running `vme up` (address from network.json, password from amt-admin-password)', './state')
    .option('--host <ip>', 'the device address instead (loopback only)')
    .option('--port <n>', 'port (default 16992, or 16993 with --tls)')
    .option('--tls', 'use TLS (AMT port 16993)')
    .option('--fingerprint <sha256>', 'pin the device certificate (SHA-256 hex, colons optional)')
    .option('--insecure', 'accept any device certificate (TLS without a pin)')
    .option('--user <name>', 'Digest user', 'admin')
    .option('--password <text>', 'Digest password (default: $VME_AMT_PASSWORD, then the state folder\'s kept admin password)')
    .option('--json', 'print the result as JSON');
}

export function registerWsman(program: Command): void {
  const wsman = program.command('wsman').description('talk WS-Management to a running platform\'s AMT (Digest over HTTP or TLS), as a console does');
  withConnectOptions(wsman.command('get <class>').description('Get one instance, e.g. AMT_GeneralSettings')
    .option('--selector <Name=Value>', 'a selector (repeatable)', collect))
    .action((cls: string, opts: ConnectOptions & { selector?: string[] }) => run(opts, (c) => c.get(cls, pairs(opts.selector, '--selector'))));
  withConnectOptions(wsman.command('enumerate <class>').description('Enumerate and Pull every instance, e.g. CIM_SoftwareIdentity'))
    .action((cls: string, opts: ConnectOptions) => run(opts, (c) => c.enumerate(cls)));
  withConnectOptions(wsman.command('invoke <class> <method>').description('invoke a method, e.g. CIM_PowerManagementService RequestPowerStateChange')
    .option('--input <Name=Value>', 'a method input (repeatable; repeat a name for an array)', collect)
    .option('--selector <Name=Value>', 'a selector (repeatable)', collect))
    .action((cls: string, method: string, opts: ConnectOptions & { input?: string[]; selector?: string[] }) => run(opts, (c) => c.invoke(cls, method, inputs(opts.input), pairs(opts.selector, '--selector'))));
  withConnectOptions(wsman.command('power <action>').description(`change the host's power through CIM_PowerManagementService.RequestPowerStateChange: ${Object.keys(POWER_STATES).join(', ')}`))
    .action((action: string, opts: ConnectOptions) => run(opts, (c) => c.invoke('CIM_PowerManagementService', 'RequestPowerStateChange', powerAction(action))));
  withConnectOptions(wsman.command('put <class>').description('change properties of an instance (Get, change, Put as consoles do)')
    .requiredOption('--set <Name=Value>', 'a property to change (repeatable)', collect)
    .option('--selector <Name=Value>', 'a selector (repeatable)', collect))
    .action((cls: string, opts: ConnectOptions & { set: string[]; selector?: string[] }) => run(opts, (c) => c.put(cls, pairs(opts.set, '--set'), pairs(opts.selector, '--selector'))));
}

/** RequestPowerStateChange values by name (brief §3.3; what consoles offer). */
const POWER_STATES: Readonly<Record<string, number>> = { on: 2, cycle: 5, off: 8, reset: 10, sleep: 4, hibernate: 7, nmi: 11, 'off-graceful': 12, 'reset-graceful': 14 };

/** The managed system's EPR as consoles send it in ManagedElement (prefixes of the client's envelope). */
const MANAGED_SYSTEM = { xml: '<a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address><a:ReferenceParameters>'
  + '<w:ResourceURI>http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/CIM_ComputerSystem</w:ResourceURI><w:SelectorSet>'
  + '<w:Selector Name="CreationClassName">CIM_ComputerSystem</w:Selector><w:Selector Name="Name">ManagedSystem</w:Selector></w:SelectorSet></a:ReferenceParameters>' };

function powerAction(word: string): Inputs {
  const state = POWER_STATES[word];
  if (state === undefined) throw new VmeError('VME_ERR_USAGE', `power action must be one of ${Object.keys(POWER_STATES).join(', ')}, got ${JSON.stringify(word)}`);
  return { PowerState: state, ManagedElement: MANAGED_SYSTEM };
}

/** Method inputs; a repeated name becomes an array. */
function inputs(list: readonly string[] | undefined): Inputs {
  const out: Record<string, string | string[]> = {};
  for (const item of list ?? []) {
    const [name, value] = Object.entries(pairs([item], '--input'))[0] ?? ['', ''];
    const existing = out[name];
    out[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return out;
}
