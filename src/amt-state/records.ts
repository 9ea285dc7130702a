/**
 * How each part of the AMT state is stored: one NVRAM key per record, JSON text, and a validating
 * decoder per record. A value that is not valid JSON or has the wrong shape raises
 * VME_ERR_AMT_STATE_CORRUPT naming the key; nothing is trusted because it came from flash.
 */
import { corrupt } from './errors.js';
import {
  AMT_STATE_LIMITS, CONTROL_MODE, HASH_ALGORITHM, HASH_LENGTH, PROVISIONING_STATE,
  type CertificateHashEntry, type HashAlgorithm, type HostBasedConfigurationSession, type HostBasedSetupPolicy,
  type LocalSystemAccount, type MebxSettings, type Provisioning,
} from './types.js';

/** NVRAM keys of the `amt` namespace. */
export const KEYS = {
  format: 'format',
  provisioning: 'provisioning',
  dnsSuffix: 'dns-suffix',
  hostBasedSetup: 'host-based-setup',
  session: 'host-based-session',
  account: 'local-system-account',
  mebx: 'mebx',
  amtCertificateHash: 'amt-certificate-hash',
  hashPrefix: 'cert-hash/',
  /** Secrets other AMT parts keep (admin HA1, TLS keys); unprovision deletes every key here. */
  secretPrefix: 'secret/',
} as const;

export const FORMAT = 'vme-amt-state/1';
export const hashKey = (handle: number): string => `${KEYS.hashPrefix}${handle}`;

type Json = Record<string, unknown>;

export const encodeJson = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
export const encodeText = (value: string): Uint8Array => new TextEncoder().encode(value);

export function decodeText(key: string, bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw corrupt(key, 'not UTF-8 text');
  }
}

function decodeObject(key: string, bytes: Uint8Array): Json {
  let value: unknown;
  try {
    value = JSON.parse(decodeText(key, bytes));
  } catch (e) {
    if (e instanceof SyntaxError) throw corrupt(key, 'not JSON');
    throw e;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw corrupt(key, 'not a JSON object');
  return value as Json;
}

const field = <T>(key: string, record: Json, name: string, check: (v: unknown) => v is T): T => {
  const value = record[name];
  if (!check(value)) throw corrupt(key, `field ${name} is missing or of the wrong type`);
  return value;
};

const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isHex = (v: unknown): v is string => typeof v === 'string' && /^([0-9a-f]{2})*$/.test(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const oneOf = <T extends string>(values: readonly T[]) => (v: unknown): v is T => typeof v === 'string' && (values as readonly string[]).includes(v);

const provisioningStates = Object.keys(PROVISIONING_STATE) as (keyof typeof PROVISIONING_STATE)[];
const controlModes = Object.keys(CONTROL_MODE) as (keyof typeof CONTROL_MODE)[];
const hashAlgorithms = Object.keys(HASH_ALGORITHM) as HashAlgorithm[];

export function decodeProvisioning(key: string, bytes: Uint8Array): Provisioning {
  const record = decodeObject(key, bytes);
  return { state: field(key, record, 'state', oneOf(provisioningStates)), mode: field(key, record, 'mode', oneOf(controlModes)) };
}

export function decodeHostBasedSetup(key: string, bytes: Uint8Array): HostBasedSetupPolicy {
  const record = decodeObject(key, bytes);
  return {
    enabled: field(key, record, 'enabled', isBoolean),
    allowClientControl: field(key, record, 'allowClientControl', isBoolean),
    allowAdminControl: field(key, record, 'allowAdminControl', isBoolean),
  };
}

export function decodeAccount(key: string, bytes: Uint8Array): LocalSystemAccount {
  const record = decodeObject(key, bytes);
  const short = (v: unknown): v is string => isString(v) && v.length > 0 && v.length <= AMT_STATE_LIMITS.maxAccountFieldLength && /^[\x21-\x7e]+$/.test(v);
  return { username: field(key, record, 'username', short), password: field(key, record, 'password', short) };
}

export function decodeHashEntry(key: string, handle: number, bytes: Uint8Array): CertificateHashEntry {
  const record = decodeObject(key, bytes);
  const algorithm = field(key, record, 'algorithm', oneOf(hashAlgorithms));
  const hex = field(key, record, 'hash', isHex);
  if (hex.length !== HASH_LENGTH[algorithm] * 2) throw corrupt(key, `hash length does not match ${algorithm}`);
  const name = field(key, record, 'name', isString);
  if (name.length > AMT_STATE_LIMITS.maxCertificateNameLength) throw corrupt(key, 'name too long');
  return {
    handle, name, algorithm, hash: Uint8Array.from(Buffer.from(hex, 'hex')),
    isDefault: field(key, record, 'isDefault', isBoolean), isActive: field(key, record, 'isActive', isBoolean),
  };
}

export const encodeHashEntry = (entry: CertificateHashEntry): Uint8Array =>
  encodeJson({ name: entry.name, algorithm: entry.algorithm, hash: Buffer.from(entry.hash).toString('hex'), isDefault: entry.isDefault, isActive: entry.isActive });

export function decodeSession(key: string, bytes: Uint8Array): HostBasedConfigurationSession {
  const record = decodeObject(key, bytes);
  const algorithm = field(key, record, 'serverHashAlgorithm', oneOf(hashAlgorithms));
  return {
    serverHashAlgorithm: algorithm,
    serverCertificateHash: Uint8Array.from(Buffer.from(field(key, record, 'serverCertificateHash', isHex), 'hex')),
    hostVpnEnabled: field(key, record, 'hostVpnEnabled', isBoolean),
    dnsSuffixes: field(key, record, 'dnsSuffixes', isStringArray),
    startedAt: field(key, record, 'startedAt', isNumber),
  };
}

export const encodeSession = (session: HostBasedConfigurationSession): Uint8Array =>
  encodeJson({ ...session, serverCertificateHash: Buffer.from(session.serverCertificateHash).toString('hex') });

export function decodeMebx(key: string, bytes: Uint8Array): MebxSettings {
  const record = decodeObject(key, bytes);
  const features = field(key, record, 'features', (v): v is Json => typeof v === 'object' && v !== null);
  const network = field(key, record, 'network', (v): v is Json => typeof v === 'object' && v !== null);
  const mode = field(key, network, 'mode', oneOf(['dhcp', 'static'] as const));
  return {
    amtEnabled: field(key, record, 'amtEnabled', isBoolean),
    features: { sol: field(key, features, 'sol', isBoolean), ider: field(key, features, 'ider', isBoolean), kvm: field(key, features, 'kvm', isBoolean) },
    network: mode === 'dhcp' ? { mode } : {
      mode, address: field(key, network, 'address', isString), subnetMask: field(key, network, 'subnetMask', isString),
      gateway: field(key, network, 'gateway', isString), dns: field(key, network, 'dns', isStringArray),
    },
    userConsent: field(key, record, 'userConsent', oneOf(['none', 'kvm', 'all'] as const)),
  };
}

/** The DNS suffix and the AMT certificate hash are stored as text / raw bytes. */
export function decodeDnsSuffix(key: string, bytes: Uint8Array): string {
  const suffix = decodeText(key, bytes);
  if (suffix.length > AMT_STATE_LIMITS.maxDnsSuffixLength || !/^[\x21-\x7e]*$/.test(suffix)) throw corrupt(key, 'not a DNS suffix');
  return suffix;
}
