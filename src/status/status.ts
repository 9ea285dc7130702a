/**
 * `vme status`: what Intel's MEInfo / amtinfo show, read from the host side over HECI only — MKHI
 * for firmware versions and capabilities, AMTHI (PTHI) for AMT's provisioning state, control mode,
 * UUID, network and DNS suffix. A client the firmware does not serve (e.g. recovery firmware has no
 * AMTHI) is reported as absent, not as an error.
 */
import { MeiDevice, MeiErrnoError } from '../heci/index.js';
import { GetFwVersionResponse, GetRuleRequest, GetRuleResponse, MKHI_COMMAND, FWCAPS_RULE, FEATURE_BIT, type FeatureName } from '../protocols/mkhi/index.js';
import {
  PTHI_COMMAND, ProvisioningStateResponse, ControlModeResponse, UuidResponse, LanInterfaceSettingsRequest, LanInterfaceSettingsResponse,
  CodeVersionsResponse, AmtVersionEntry, decodeAnsiString,
} from '../protocols/pthi/index.js';
import { MKHI_UUID, AMTHI_UUID, mkhiRequest, pthiRequest } from './heci-requests.js';
import { versionText } from '../me/manifest.js';

export interface FirmwareStatus {
  version: string;
  recoveryVersion: string;
  features: FeatureName[];
  firmwareUpdate: boolean;
}

export interface AmtStatus {
  /** pre-provisioning, in-provisioning, post-provisioning (or `unknown (n)`). */
  provisioningState: string;
  /** none, client, admin (or `unknown (n)`). */
  controlMode: string;
  uuid: string;
  dnsSuffix: string;
  biosVersion: string;
  versions: Record<string, string>;
  network: { enabled: boolean; dhcp: boolean; ipv4: string; mac: string; link: 'up' | 'down' };
}

export interface PlatformStatus {
  device: string;
  engine: 'reachable';
  firmware: FirmwareStatus;
  /** null when the firmware serves no AMTHI client (with the reason). */
  amt: AmtStatus | null;
  amtAbsentReason?: string;
}

const PROVISIONING = ['pre-provisioning', 'in-provisioning', 'post-provisioning'];
const CONTROL = ['none', 'client', 'admin'];

async function withSession<T>(device: string, uuid: string, body: (mei: MeiDevice) => Promise<T>): Promise<T> {
  const mei = await MeiDevice.open(device);
  try {
    await mei.connect(uuid);
    return await body(mei);
  } finally {
    await mei.close();
  }
}

async function readFirmware(mei: MeiDevice): Promise<FirmwareStatus> {
  const v = GetFwVersionResponse.parse(await mkhiRequest(mei, MKHI_COMMAND.getFwVersion.group, MKHI_COMMAND.getFwVersion.command));
  const rule = async (ruleId: number): Promise<number> =>
    GetRuleResponse.parse(await mkhiRequest(mei, MKHI_COMMAND.getRule.group, MKHI_COMMAND.getRule.command, GetRuleRequest.serialize({ ruleId }))).ruleData;
  const featureWord = await rule(FWCAPS_RULE.featureState);
  return {
    version: versionText({ major: v.codeMajor, minor: v.codeMinor, hotfix: v.codeHotfix, build: v.codeBuild }),
    recoveryVersion: versionText({ major: v.recoveryMajor, minor: v.recoveryMinor, hotfix: v.recoveryHotfix, build: v.recoveryBuild }),
    features: (Object.keys(FEATURE_BIT) as FeatureName[]).filter((name) => (featureWord >>> FEATURE_BIT[name]) & 1),
    firmwareUpdate: (await rule(FWCAPS_RULE.fwUpdate)) === 1,
  };
}

const ipv4 = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 0xff).join('.');
const mac = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
const uuidText = (b: Uint8Array): string => Buffer.from(b).toString('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

function codeVersions(data: Uint8Array): { biosVersion: string; versions: Record<string, string> } {
  const r = CodeVersionsResponse.parse(data);
  const versions: Record<string, string> = {};
  for (let i = 0; i < Math.min(r.versionsCount, 50); i++) {
    const e = AmtVersionEntry.parse(r.versions, i * AmtVersionEntry.size);
    versions[e.description] = e.version;
  }
  return { biosVersion: r.biosVersion, versions };
}

async function readAmt(mei: MeiDevice): Promise<AmtStatus> {
  const ok = async (command: number, body?: Uint8Array): Promise<Uint8Array> => {
    const reply = await pthiRequest(mei, command, body);
    if (reply.status !== 0) throw new Error(`PTHI 0x${command.toString(16)} answered ${reply.statusName}`);
    return reply.data;
  };
  const state = ProvisioningStateResponse.parse(await ok(PTHI_COMMAND.getProvisioningState)).provisioningState;
  const mode = ControlModeResponse.parse(await ok(PTHI_COMMAND.getControlMode)).controlMode;
  const lan = LanInterfaceSettingsResponse.parse(await ok(PTHI_COMMAND.getLanInterfaceSettings, LanInterfaceSettingsRequest.serialize({ interfaceIndex: 0 })));
  return {
    provisioningState: PROVISIONING[state] ?? `unknown (${state})`, controlMode: CONTROL[mode] ?? `unknown (${mode})`,
    uuid: uuidText(UuidResponse.parse(await ok(PTHI_COMMAND.getUuid)).uuid),
    dnsSuffix: decodeAnsiString(await ok(PTHI_COMMAND.getPkiFqdnSuffix), 0, 'GetPkiFqdnSuffix response'),
    ...codeVersions(await ok(PTHI_COMMAND.getCodeVersions)),
    network: { enabled: lan.enabled === 1, dhcp: lan.dhcpEnabled === 1, ipv4: ipv4(lan.ipv4Address), mac: mac(lan.macAddress), link: lan.linkStatus === 1 ? 'up' : 'down' },
  };
}

/** Reads the platform's status through the MEI device at `device` (a Unix socket path). */
export async function readPlatformStatus(device: string): Promise<PlatformStatus> {
  const firmware = await withSession(device, MKHI_UUID, readFirmware);
  try {
    const amt = await withSession(device, AMTHI_UUID, readAmt);
    return { device, engine: 'reachable', firmware, amt };
  } catch (error) {
    if (error instanceof MeiErrnoError && error.errno === 'ENOTTY') return { device, engine: 'reachable', firmware, amt: null, amtAbsentReason: 'the firmware serves no AMTHI client (ENOTTY)' };
    throw error;
  }
}
