/**
 * The host side of the MEBX protocol: typed calls over any `MebxTransport` (HECI in a platform, a
 * direct call to the server in tests). It keeps the session login returned. Login and password
 * changes return their outcome; every other refusal throws MebxRefused with the status, and a reply
 * that does not match the request throws MebxError VME_ERR_MEBX_REPLY.
 */
import {
  CONTROL_MODE, HASH_ALGORITHM, HASH_LENGTH, PROVISIONING_STATE,
  type CertificateHashEntry, type ControlMode, type HashAlgorithm, type MebxSettings, type ProvisioningState,
} from '../../amt-state/index.js';
import { MEBX_COMMAND, MEBX_PROTOCOL_VERSION, MEBX_RESPONSE_BIT, MEBX_STATUS, MEBX_STATUS_NAME, PASSWORD_LIMITS, PASSWORD_RULE_NAME, type MebxCommandName, type PasswordRuleName } from './constants.js';
import { MebxError, MebxRefused } from './errors.js';
import * as m from './messages.js';
import { settingsFromWire, settingsToWire } from './settings.js';
import { MEBX_MESSAGES } from './table.js';

/** How MEBX reaches the engine: one request, one reply (a HECI connection to MEBX_CLIENT_UUID). */
export interface MebxTransport {
  request(message: Uint8Array): Promise<Uint8Array>;
}

export interface LoginOutcome {
  readonly status: 'success' | 'authenticationFailed' | 'lockedOut';
  readonly changeRequired: boolean;
  readonly attemptsLeft: number;
}

export interface MebxView {
  readonly settings: MebxSettings;
  readonly provisioningState: ProvisioningState;
  readonly controlMode: ControlMode;
}

interface Reply {
  readonly status: number;
  readonly session: number;
  readonly body: Uint8Array;
}

const byValue = <T extends string>(table: Readonly<Record<T, number>>, value: number): T | undefined =>
  (Object.keys(table) as T[]).find((name) => table[name] === value);

/** Encodes a password for the wire (UTF-8 bytes; the engine refuses anything but 7-bit ASCII). */
export function passwordField(password: string | Uint8Array): Uint8Array {
  const bytes = typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
  const field = new Uint8Array(PASSWORD_LIMITS.fieldBytes);
  field.set(bytes.subarray(0, field.length));
  return m.PasswordRequest.serialize({ length: Math.min(bytes.length, field.length), password: field });
}

export class MebxClient {
  readonly #transport: MebxTransport;
  #session = 0;

  constructor(transport: MebxTransport) {
    this.#transport = transport;
  }

  get loggedIn(): boolean {
    return this.#session !== 0;
  }

  async login(password: string | Uint8Array): Promise<LoginOutcome> {
    const reply = await this.#call('login', passwordField(password));
    const status = MEBX_STATUS_NAME.get(reply.status);
    if (status !== 'success' && status !== 'authenticationFailed' && status !== 'lockedOut') throw refused('login', reply.status);
    const body = m.LoginResponse.parse(this.#body('login', reply));
    this.#session = status === 'success' ? reply.session : 0;
    return { status, changeRequired: body.changeRequired === 1, attemptsLeft: body.attemptsLeft };
  }

  /** The rule the engine says the password breaks, or `ok` when it was stored. */
  async changePassword(password: string | Uint8Array): Promise<PasswordRuleName> {
    const reply = await this.#call('changePassword', passwordField(password));
    if (reply.status !== MEBX_STATUS.success && reply.status !== MEBX_STATUS.passwordRejected) throw refused('changePassword', reply.status);
    const rule = PASSWORD_RULE_NAME.get(m.ChangePasswordResponse.parse(this.#body('changePassword', reply)).rule);
    if (rule === undefined) throw new MebxError('VME_ERR_MEBX_REPLY', 'MEBX changePassword reply names an unknown password rule');
    return rule;
  }

  async logout(): Promise<void> {
    await this.#expect('logout');
    this.#session = 0;
  }

  async getSettings(): Promise<MebxView> {
    const wire = m.GetSettingsResponse.parse(await this.#expect('getSettings'));
    const decoded = settingsFromWire(wire);
    const provisioningState = byValue(PROVISIONING_STATE, wire.provisioningState);
    const controlMode = byValue(CONTROL_MODE, wire.controlMode);
    if ('problem' in decoded || provisioningState === undefined || controlMode === undefined) throw new MebxError('VME_ERR_MEBX_REPLY', 'MEBX getSettings reply holds invalid settings');
    return { settings: decoded.settings, provisioningState, controlMode };
  }

  async setSettings(settings: MebxSettings): Promise<void> {
    await this.#expect('setSettings', m.SettingsRecord.serialize(settingsToWire(settings)));
  }

  async enumerateHashes(): Promise<number[]> {
    const { count, handles } = m.EnumerateHashesResponse.parse(await this.#expect('enumerateHashes'));
    if (count > handles.length) throw new MebxError('VME_ERR_MEBX_REPLY', `MEBX enumerateHashes reply claims ${count} handles`);
    return handles.slice(0, count);
  }

  async getHash(handle: number): Promise<CertificateHashEntry> {
    const entry = m.HashEntryResponse.parse(await this.#expect('getHash', m.HashHandleRequest.serialize({ handle })));
    const algorithm = byValue<HashAlgorithm>(HASH_ALGORITHM, entry.algorithm);
    if (algorithm === undefined) throw new MebxError('VME_ERR_MEBX_REPLY', `MEBX getHash reply has unknown algorithm ${entry.algorithm}`);
    return { handle: entry.handle, name: entry.name, algorithm, hash: entry.hash.slice(0, HASH_LENGTH[algorithm]), isDefault: entry.isDefault === 1, isActive: entry.isActive === 1 };
  }

  async addHash(entry: { readonly name: string; readonly algorithm: HashAlgorithm; readonly hash: Uint8Array; readonly isActive: boolean }): Promise<number> {
    const hash = new Uint8Array(64);
    hash.set(entry.hash.subarray(0, 64));
    const body = m.AddHashRequest.serialize({ algorithm: HASH_ALGORITHM[entry.algorithm], isActive: entry.isActive ? 1 : 0, reserved: new Uint8Array(2), hash, name: entry.name.slice(0, 64) });
    return m.AddHashResponse.parse(await this.#expect('addHash', body)).handle;
  }

  async setHashActive(handle: number, isActive: boolean): Promise<void> {
    await this.#expect('setHashActive', m.SetHashActiveRequest.serialize({ handle, isActive: isActive ? 1 : 0, reserved: new Uint8Array(3) }));
  }

  async deleteHash(handle: number): Promise<void> {
    await this.#expect('deleteHash', m.HashHandleRequest.serialize({ handle }));
  }

  async unprovision(): Promise<void> {
    await this.#expect('unprovision');
  }

  /** Sends `name`; a status other than success throws MebxRefused. Returns the reply body. */
  async #expect(name: MebxCommandName, body?: Uint8Array): Promise<Uint8Array> {
    const reply = await this.#call(name, body);
    if (reply.status !== MEBX_STATUS.success) {
      if (reply.status === MEBX_STATUS.notAuthenticated || reply.status === MEBX_STATUS.endOfPost) this.#session = 0;
      throw refused(name, reply.status);
    }
    return this.#body(name, reply);
  }

  async #call(name: MebxCommandName, body: Uint8Array = new Uint8Array()): Promise<Reply> {
    const request = new Uint8Array(m.MebxHeader.size + body.length);
    m.MebxHeader.serialize({ version: MEBX_PROTOCOL_VERSION, command: MEBX_COMMAND[name], status: 0, reserved: 0, session: this.#session }, request);
    request.set(body, m.MebxHeader.size);
    const reply = await this.#transport.request(request);
    if (reply.length < m.MebxHeader.size) throw new MebxError('VME_ERR_MEBX_REPLY', `MEBX ${name} reply is ${reply.length} bytes, shorter than the header`);
    const header = m.MebxHeader.parse(reply);
    if (header.version !== MEBX_PROTOCOL_VERSION || header.command !== (MEBX_COMMAND[name] | MEBX_RESPONSE_BIT)) {
      throw new MebxError('VME_ERR_MEBX_REPLY', `MEBX ${name} reply has version ${header.version} and command 0x${header.command.toString(16)}`);
    }
    return { status: header.status, session: header.session, body: reply.subarray(m.MebxHeader.size) };
  }

  /** The reply body, which must be the declared size. */
  #body(name: MebxCommandName, reply: Reply): Uint8Array {
    const expected = MEBX_MESSAGES[name].response?.size ?? 0;
    if (reply.body.length !== expected) throw new MebxError('VME_ERR_MEBX_REPLY', `MEBX ${name} reply body is ${reply.body.length} bytes, not ${expected}`);
    return reply.body;
  }
}

function refused(name: MebxCommandName, status: number): MebxRefused {
  return new MebxRefused(name, MEBX_STATUS_NAME.get(status) ?? 'unknown', status);
}
