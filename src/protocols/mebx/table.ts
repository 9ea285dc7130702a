/**
 * One row per MEBX command: its request body and reply body layouts and what it needs of the
 * session. Dispatch, size checks, the client and the reference doc all derive from this table.
 */
import type { AnyStruct } from '../pthi/table.js';
import type { MebxCommandName } from './constants.js';
import * as m from './messages.js';

/**
 * - `none`: no session needed (login).
 * - `session`: the current session, even before the factory password is changed.
 * - `configured`: the current session, and the factory password already changed.
 */
export type MebxAccess = 'none' | 'session' | 'configured';

export interface MebxMessageSpec {
  /** Request body after the header; none = header only. */
  readonly request?: AnyStruct;
  /** Reply body after the header; none = header only. */
  readonly response?: AnyStruct;
  readonly access: MebxAccess;
  /** One line for the reference doc. */
  readonly summary: string;
}

export const MEBX_MESSAGES: Readonly<Record<MebxCommandName, MebxMessageSpec>> = {
  login: { request: m.PasswordRequest, response: m.LoginResponse, access: 'none', summary: 'Checks the MEBX password; on success the reply header carries a new session.' },
  changePassword: { request: m.PasswordRequest, response: m.ChangePasswordResponse, access: 'session', summary: 'Sets a new MEBX password (rules checked by the engine).' },
  logout: { access: 'session', summary: 'Ends the session.' },
  getSettings: { response: m.GetSettingsResponse, access: 'configured', summary: 'AMT enabled, SOL/IDER/KVM, user consent, network, provisioning state.' },
  setSettings: { request: m.SettingsRecord, access: 'configured', summary: 'Replaces the settings in one NVRAM commit.' },
  enumerateHashes: { response: m.EnumerateHashesResponse, access: 'configured', summary: 'Handles of the provisioning certificate hash table.' },
  getHash: { request: m.HashHandleRequest, response: m.HashEntryResponse, access: 'configured', summary: 'One hash entry.' },
  addHash: { request: m.AddHashRequest, response: m.AddHashResponse, access: 'configured', summary: 'Adds an administrator hash entry.' },
  setHashActive: { request: m.SetHashActiveRequest, access: 'configured', summary: 'Activates or deactivates an entry.' },
  deleteHash: { request: m.HashHandleRequest, access: 'configured', summary: 'Deletes an entry.' },
  unprovision: { access: 'configured', summary: 'Full unprovision: back to pre-provisioning, default hashes restored.' },
};
