/**
 * MEBX command handlers: a body already checked against the declared size in, a status, an
 * optional reply body and (login) a new session out. Session and End-of-POST checks happen in
 * server.ts before any handler runs.
 */
import {
  AMT_STATE_LIMITS, HASH_ALGORITHM, HASH_LENGTH, PROVISIONING_STATE, CONTROL_MODE,
  type CertificateHashEntry, type HashAlgorithm, type MebxSettings, type NewCertificateHash, type Provisioning,
} from '../../amt-state/index.js';
import { MEBX_STATUS, PASSWORD_RULE, type MebxCommandName } from './constants.js';
import * as m from './messages.js';
import { checkMebxPassword } from './password-rules.js';
import type { Awaitable, MebxPasswordStore } from './password-store.js';
import { settingsFromWire, settingsToWire } from './settings.js';

/** What the MEBX server needs of the AMT state (AmtStateStore fits, sync or async). */
export interface MebxStateStorage {
  mebx(): Awaitable<MebxSettings>;
  update(changes: { readonly mebx: MebxSettings }): Awaitable<void>;
  provisioning(): Awaitable<Provisioning>;
  certificateHashes(): Awaitable<CertificateHashEntry[]>;
  certificateHash(handle: number): Awaitable<CertificateHashEntry | undefined>;
  addCertificateHash(entry: NewCertificateHash): Awaitable<number>;
  setCertificateHashActive(handle: number, isActive: boolean): Awaitable<void>;
  deleteCertificateHash(handle: number): Awaitable<void>;
  unprovision(): Awaitable<void>;
}

/** Per-boot state of the MEBX client: never persisted. */
export interface MebxVolatile {
  session: number;
  changeRequired: boolean;
  failures: number;
}

export interface MebxContext {
  readonly state: MebxStateStorage;
  readonly passwords: MebxPasswordStore;
  readonly volatile: MebxVolatile;
  readonly maxLoginAttempts: number;
  readonly newSession: () => number;
}

export interface MebxReply {
  readonly status: number;
  readonly data?: Uint8Array;
}

export type MebxHandler = (body: Uint8Array, context: MebxContext) => Promise<MebxReply>;

const ok = (data?: Uint8Array): MebxReply => (data ? { status: MEBX_STATUS.success, data } : { status: MEBX_STATUS.success });
const fail = (status: number, data?: Uint8Array): MebxReply => (data ? { status, data } : { status });
const loginBody = (changeRequired: boolean, attemptsLeft: number): Uint8Array =>
  m.LoginResponse.serialize({ changeRequired: changeRequired ? 1 : 0, attemptsLeft, reserved: new Uint8Array(2) });

/** The typed bytes of a password field, or undefined when the length runs past the field. */
function passwordBytes(body: Uint8Array): Uint8Array | undefined {
  const { length, password } = m.PasswordRequest.parse(body);
  return length > password.length ? undefined : password.subarray(0, length);
}

const login: MebxHandler = async (body, { passwords, volatile, maxLoginAttempts, newSession }) => {
  if (volatile.failures >= maxLoginAttempts) return fail(MEBX_STATUS.lockedOut, loginBody(false, 0));
  const attempt = passwordBytes(body);
  if (attempt === undefined) return fail(MEBX_STATUS.invalidParameter);
  volatile.session = 0;
  const { match, changeRequired } = await passwords.verify(attempt);
  if (!match) {
    volatile.failures++;
    const left = Math.max(0, maxLoginAttempts - volatile.failures);
    return fail(left === 0 ? MEBX_STATUS.lockedOut : MEBX_STATUS.authenticationFailed, loginBody(false, left));
  }
  volatile.failures = 0;
  volatile.session = newSession();
  volatile.changeRequired = changeRequired;
  return ok(loginBody(changeRequired, maxLoginAttempts));
};

const changePassword: MebxHandler = async (body, { passwords, volatile }) => {
  const password = passwordBytes(body);
  if (password === undefined) return fail(MEBX_STATUS.invalidParameter);
  const rule = checkMebxPassword(password);
  const reply = m.ChangePasswordResponse.serialize({ rule: PASSWORD_RULE[rule], reserved: new Uint8Array(3) });
  if (rule !== 'ok') return fail(MEBX_STATUS.passwordRejected, reply);
  await passwords.set(password);
  volatile.changeRequired = false;
  return ok(reply);
};

const logout: MebxHandler = (_body, { volatile }) => {
  volatile.session = 0;
  return Promise.resolve(ok());
};

const getSettings: MebxHandler = async (_body, { state }) => {
  const [settings, provisioning] = [await state.mebx(), await state.provisioning()];
  return ok(m.GetSettingsResponse.serialize({
    ...settingsToWire(settings), provisioningState: PROVISIONING_STATE[provisioning.state], controlMode: CONTROL_MODE[provisioning.mode], reserved2: new Uint8Array(2),
  }));
};

const setSettings: MebxHandler = async (body, { state }) => {
  const result = settingsFromWire(m.SettingsRecord.parse(body));
  if ('problem' in result) return fail(MEBX_STATUS.invalidParameter);
  await state.update({ mebx: result.settings });
  return ok();
};

const enumerateHashes: MebxHandler = async (_body, { state }) => {
  const handles = (await state.certificateHashes()).map((entry) => entry.handle).slice(0, m.HASH_SLOTS);
  return ok(m.EnumerateHashesResponse.serialize({ count: handles.length, handles: [...handles, ...new Array<number>(m.HASH_SLOTS - handles.length).fill(0)] }));
};

const getHash: MebxHandler = async (body, { state }) => {
  const entry = await state.certificateHash(m.HashHandleRequest.parse(body).handle);
  if (!entry) return fail(MEBX_STATUS.notFound);
  const hash = new Uint8Array(64);
  hash.set(entry.hash.subarray(0, 64));
  return ok(m.HashEntryResponse.serialize({
    handle: entry.handle, algorithm: HASH_ALGORITHM[entry.algorithm], isDefault: entry.isDefault ? 1 : 0, isActive: entry.isActive ? 1 : 0, reserved: 0, hash, name: entry.name,
  }));
};

const addHash: MebxHandler = async (body, { state }) => {
  const request = m.AddHashRequest.parse(body);
  const algorithm = (Object.keys(HASH_ALGORITHM) as HashAlgorithm[]).find((name) => HASH_ALGORITHM[name] === request.algorithm);
  if (algorithm === undefined || request.isActive > 1) return fail(MEBX_STATUS.invalidParameter);
  const length = HASH_LENGTH[algorithm];
  if (request.hash.subarray(length).some((byte) => byte !== 0)) return fail(MEBX_STATUS.invalidParameter);
  if ((await state.certificateHashes()).length >= AMT_STATE_LIMITS.maxCertificateHashes) return fail(MEBX_STATUS.tableFull);
  const handle = await state.addCertificateHash({ name: request.name, algorithm, hash: request.hash.slice(0, length), isActive: request.isActive === 1 });
  return ok(m.AddHashResponse.serialize({ handle }));
};

const setHashActive: MebxHandler = async (body, { state }) => {
  const { handle, isActive } = m.SetHashActiveRequest.parse(body);
  if (isActive > 1) return fail(MEBX_STATUS.invalidParameter);
  if (!(await state.certificateHash(handle))) return fail(MEBX_STATUS.notFound);
  await state.setCertificateHashActive(handle, isActive === 1);
  return ok();
};

const deleteHash: MebxHandler = async (body, { state }) => {
  const { handle } = m.HashHandleRequest.parse(body);
  if (!(await state.certificateHash(handle))) return fail(MEBX_STATUS.notFound);
  await state.deleteCertificateHash(handle);
  return ok();
};

const unprovision: MebxHandler = async (_body, { state }) => {
  await state.unprovision();
  return ok();
};

export const MEBX_HANDLERS: Readonly<Record<MebxCommandName, MebxHandler>> = {
  login, changePassword, logout, getSettings, setSettings, enumerateHashes, getHash, addHash, setHashActive, deleteHash, unprovision,
};
