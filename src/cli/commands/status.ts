/**
 * `vme status`: MEInfo/amtinfo-like facts read from the host side over the platform's HECI device,
 * plus where the platform's network listeners are (`network`, from the `<state>/network.json` a
 * running `vme up` writes: HECI carries no network address).
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { readNetworkFile, readPlatformStatus, type NetworkStatus, type PlatformStatus } from '../../status/index.js';
import { MeiErrnoError } from '../../heci/index.js';
import { VmeError } from '../../common/errors.js';
import { emit } from '../output.js';

interface StatusOptions {
  state: string;
  device?: string;
  json?: boolean;
}

type StatusResult = PlatformStatus & { network: NetworkStatus | null };

function networkLine(network: NetworkStatus | null): string {
  if (!network) return 'network:            unknown (no network.json from a running `vme up` in the state folder)';
  return `network:            ${network.address}${network.amt.length ? `; AMT ${network.amt.join('  ')}` : ''}`;
}

function render(s: StatusResult): string {
  const lines = [
    `HECI device:        ${s.device}`,
    `engine:             reachable over HECI`,
    networkLine(s.network),
    `firmware version:   ${s.firmware.version} (recovery ${s.firmware.recoveryVersion})`,
    `features:           ${s.firmware.features.join(', ') || 'none'}; firmware update ${s.firmware.firmwareUpdate ? 'enabled' : 'disabled'}`,
  ];
  if (!s.amt) return [...lines, `AMT:                not available: ${s.amtAbsentReason ?? 'no AMTHI client'}`].join('\n');
  const a = s.amt;
  return [
    ...lines,
    `BIOS version:       ${a.biosVersion}`,
    ...Object.entries(a.versions).map(([k, v]) => `  ${`${k}:`.padEnd(22)}${v}`),
    `provisioning state: ${a.provisioningState}`,
    `control mode:       ${a.controlMode}`,
    `UUID:               ${a.uuid}`,
    `DNS suffix:         ${a.dnsSuffix || '(none)'}`,
    `wired LAN:          ${a.network.enabled ? 'enabled' : 'disabled'}, link ${a.network.link}, ${a.network.dhcp ? 'DHCP' : 'static'}, IPv4 ${a.network.ipv4}, MAC ${a.network.mac}`,
    `host power:         S0 (this tool runs on the host)`,
  ].join('\n');
}

async function status(opts: StatusOptions, stateGiven: boolean): Promise<void> {
  const device = opts.device ?? join(resolve(opts.state), 'mei0.sock');
  let result: PlatformStatus;
  try {
    result = await readPlatformStatus(device);
  } catch (error) {
    if (error instanceof MeiErrnoError && (error.errno === 'ENOENT' || error.errno === 'ENODEV')) {
      throw new VmeError('VME_ERR_IO', `no engine answers on ${device} (${error.errno}); is \`vme up --state ${opts.state}\` running?`, { device });
    }
    throw error;
  }
  // The state folder's network.json describes this device's platform only if the device is that folder's own.
  const network = opts.device === undefined || stateGiven ? readNetworkFile(resolve(opts.state)) : null;
  emit({ ...result, network }, opts, render);
}

export function registerStatus(program: Command): void {
  program.command('status')
    .description('show firmware version, features, AMT provisioning state, control mode, UUID, network and DNS suffix, read over HECI')
    .option('--state <dir>', 'state folder of a running `vme up` (its HECI device is <dir>/mei0.sock)', './state')
    .option('--device <path>', 'HECI device socket to open instead')
    .option('--json', 'print the status as JSON')
    .action((opts: StatusOptions, command: Command) => status(opts, command.getOptionValueSource('state') === 'cli'));
}
