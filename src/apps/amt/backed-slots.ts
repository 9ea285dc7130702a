/**
 * WS-Man slots that are views of the AMT provisioning state (src/amt-state records), not slots of
 * their own, so PTHI and WS-Man have one truth:
 * - PROVISIONING: state and control mode = the `provisioning` record; AllowedControlModes = the
 *   host-based setup policy; only ZeroTouchConfigurationEnabled is kept beside them.
 * - PROVISIONING_CERTIFICATE_HASHES: the `cert-hash/<handle>` records.
 * - PROVISIONING_DNS_SUFFIXES: the PKI DNS suffix record and the suffixes of the host's
 *   StartConfigurationHBased session (read-only; a write keeps only the PKI suffix).
 * Reset (Unprovision) puts each back the way AmtStateStore.unprovision does.
 */
import { CONTROL_MODE, PROVISIONING_STATE, type CertificateHashEntry, type ControlMode, type Provisioning, type ProvisioningState } from '../../amt-state/index.js';
import { DEFAULT_PROVISIONING, defaultHashEntries } from '../../amt-state/defaults.js';
import {
  KEYS, decodeDnsSuffix, decodeHashEntry, decodeHostBasedSetup, decodeProvisioning, decodeSession, encodeHashEntry, encodeJson, encodeText, hashKey,
} from '../../amt-state/records.js';
import { checkDnsSuffix, checkProvisioning } from '../../amt-state/validate.js';
import {
  PROVISIONING, PROVISIONING_CERTIFICATE_HASHES, PROVISIONING_DNS_SUFFIXES, PROVISIONING_MODE,
  type ProvisioningDnsSuffixes, type ProvisioningStatus,
} from '../../amt/wsman/classes/provisioning.js';
import type { CacheView, NvramCache } from './nvram-cache.js';
import { decodeSlot, encodeSlot, slotKey } from './slot-codec.js';

export interface BackedSlot {
  read(view: CacheView): unknown;
  write(cache: NvramCache, value: unknown): void;
  reset(cache: NvramCache): void;
}

const required = (view: CacheView, key: string): Uint8Array => {
  const bytes = view.get(key);
  if (bytes === undefined) throw new Error(`AMT state record ${key} is missing (state not opened)`);
  return bytes;
};

const STATE_NAME = Object.fromEntries(Object.entries(PROVISIONING_STATE).map(([name, n]) => [n, name])) as Record<number, ProvisioningState>;
const MODE_NAME = Object.fromEntries(Object.entries(CONTROL_MODE).map(([name, n]) => [n, name])) as Record<number, ControlMode>;
/** Where ZeroTouchConfigurationEnabled is kept (the only PROVISIONING field amt-state has no record for). */
const ZERO_TOUCH_KEY = slotKey('wsman/provisioning-zero-touch');

function readProvisioning(view: CacheView): ProvisioningStatus {
  const record = decodeProvisioning(KEYS.provisioning, required(view, KEYS.provisioning));
  const policy = decodeHostBasedSetup(KEYS.hostBasedSetup, required(view, KEYS.hostBasedSetup));
  const zeroTouch = view.get(ZERO_TOUCH_KEY);
  const controlMode = CONTROL_MODE[record.mode];
  return {
    state: PROVISIONING_STATE[record.state],
    mode: controlMode === 1 ? PROVISIONING_MODE.client : PROVISIONING_MODE.admin,
    controlMode,
    allowedControlModes: [...(policy.allowAdminControl ? [2] : []), ...(policy.allowClientControl ? [1] : [])],
    zeroTouchEnabled: zeroTouch === undefined ? true : decodeSlot(ZERO_TOUCH_KEY, zeroTouch).value === true,
  };
}

function writeProvisioning(cache: NvramCache, value: ProvisioningStatus): void {
  const record: Provisioning = { state: STATE_NAME[value.state] ?? 'pre', mode: MODE_NAME[value.controlMode] ?? 'none' };
  checkProvisioning(record);
  const before = readProvisioning(cache);
  cache.put(KEYS.provisioning, encodeJson(record));
  if (before.allowedControlModes.join() !== value.allowedControlModes.join()) {
    const policy = decodeHostBasedSetup(KEYS.hostBasedSetup, required(cache, KEYS.hostBasedSetup));
    cache.put(KEYS.hostBasedSetup, encodeJson({ ...policy, allowAdminControl: value.allowedControlModes.includes(2), allowClientControl: value.allowedControlModes.includes(1) }));
  }
  if (before.zeroTouchEnabled !== value.zeroTouchEnabled) cache.put(ZERO_TOUCH_KEY, encodeSlot({ value: value.zeroTouchEnabled, keep: false }));
}

function readHashes(view: CacheView): CertificateHashEntry[] {
  return view.list(KEYS.hashPrefix).map((key) => decodeHashEntry(key, Number(key.slice(KEYS.hashPrefix.length)), required(view, key))).sort((a, b) => a.handle - b.handle);
}

function writeHashes(cache: NvramCache, entries: readonly CertificateHashEntry[]): void {
  const keep = new Set(entries.map((entry) => hashKey(entry.handle)));
  for (const key of cache.list(KEYS.hashPrefix)) if (!keep.has(key)) cache.delete(key);
  for (const entry of entries) cache.put(hashKey(entry.handle), encodeHashEntry(entry));
}

function readDnsSuffixes(view: CacheView): ProvisioningDnsSuffixes {
  const pki = view.get(KEYS.dnsSuffix);
  const session = view.get(KEYS.session);
  return { pki: pki === undefined ? '' : decodeDnsSuffix(KEYS.dnsSuffix, pki), network: session === undefined ? [] : decodeSession(KEYS.session, session).dnsSuffixes };
}

function writePkiSuffix(cache: NvramCache, pki: string): void {
  if (pki === '') {
    cache.delete(KEYS.dnsSuffix);
    return;
  }
  checkDnsSuffix(pki);
  cache.put(KEYS.dnsSuffix, encodeText(pki));
}

/** The backed slots by name. */
export const BACKED_SLOTS: ReadonlyMap<string, BackedSlot> = new Map<string, BackedSlot>([
  [PROVISIONING.name, {
    read: readProvisioning,
    write: (cache, value) => writeProvisioning(cache, value as ProvisioningStatus),
    reset: (cache) => {
      cache.put(KEYS.provisioning, encodeJson(DEFAULT_PROVISIONING));
      cache.delete(ZERO_TOUCH_KEY);
    },
  }],
  [PROVISIONING_CERTIFICATE_HASHES.name, {
    read: readHashes,
    write: (cache, value) => writeHashes(cache, value as readonly CertificateHashEntry[]),
    reset: (cache) => writeHashes(cache, defaultHashEntries()),
  }],
  [PROVISIONING_DNS_SUFFIXES.name, {
    read: readDnsSuffixes,
    write: (cache, value) => writePkiSuffix(cache, (value as ProvisioningDnsSuffixes).pki),
    reset: (cache) => {
      cache.delete(KEYS.dnsSuffix);
      cache.delete(KEYS.session);
    },
  }],
]);
