/**
 * Every MEBX message layout, declared once with the codec. A message is the 8-byte header and a
 * fixed-size body per command (docs/reference/mebx.md is generated from these declarations).
 * Addresses are IPv4 in network byte order; booleans are one byte, 0 or 1.
 */
import { ascii, bytes, struct, u8, u32, u32be } from '../../codec/index.js';
import { u32Array } from '../pthi/fields.js';
import { PASSWORD_LIMITS } from './constants.js';

/** Header of every request and reply (8 bytes). */
export const MebxHeader = struct('MEBX header', {
  version: u8(), // 0x00 1
  command: u8(), // 0x01 bit 7 set in a reply
  status: u8(), // 0x02 0 in a request; MEBX_STATUS in a reply
  reserved: u8(), // 0x03 0
  session: u32(), // 0x04 0 before login; the value login returned afterwards
});

/** A password as typed: its length, then up to 63 bytes (unused bytes 0). */
export const PasswordRequest = struct('MEBX password', {
  length: u8(), // 0x00 bytes used
  password: bytes(PASSWORD_LIMITS.fieldBytes), // 0x01
});

/** Login reply (on success, failure and lockout): the session is in the reply header. */
export const LoginResponse = struct('MEBX login response', {
  changeRequired: u8(), // 0x00 1: the factory password is in use
  attemptsLeft: u8(), // 0x01 wrong passwords left before the lockout
  reserved: bytes(2), // 0x02
});

/** Change-password reply (success and passwordRejected): the rule that failed, 0 when none. */
export const ChangePasswordResponse = struct('MEBX change password response', {
  rule: u8(), // 0x00 PASSWORD_RULE
  reserved: bytes(3), // 0x01
});

/** The MEBX settings as setSettings takes them (28 bytes). */
export const SettingsRecord = struct('MEBX settings', {
  amtEnabled: u8(), // 0x00 manageability feature selection
  sol: u8(), // 0x01
  ider: u8(), // 0x02 storage redirection
  kvm: u8(), // 0x03
  userConsent: u8(), // 0x04 0 none, 1 KVM, 2 all
  networkMode: u8(), // 0x05 0 DHCP, 1 static
  reserved: bytes(2), // 0x06
  address: u32be(), // 0x08 static only, else 0
  subnetMask: u32be(), // 0x0C
  gateway: u32be(), // 0x10 0 = none
  preferredDns: u32be(), // 0x14 0 = none
  alternateDns: u32be(), // 0x18 0 = none
});

/** getSettings reply: the settings, then the provisioning state for display (32 bytes). */
export const GetSettingsResponse = struct('MEBX get settings response', {
  ...SettingsRecord.fields,
  provisioningState: u8(), // 0x1C 0 pre, 1 in, 2 post
  controlMode: u8(), // 0x1D 0 none, 1 client, 2 admin
  reserved2: bytes(2), // 0x1E
});

export const HASH_SLOTS = 33;
/** enumerateHashes reply: how many handles, then 33 handle slots (unused slots 0). */
export const EnumerateHashesResponse = struct('MEBX enumerate hashes response', { count: u32(), handles: u32Array(HASH_SLOTS) });

/** getHash, setHashActive and deleteHash name an entry by handle. */
export const HashHandleRequest = struct('MEBX hash handle', { handle: u32() });

/** One hash table entry (getHash reply). */
export const HashEntryResponse = struct('MEBX hash entry', {
  handle: u32(), // 0x00
  algorithm: u8(), // 0x04 0 MD5, 1 SHA1, 2 SHA256, 3 SHA384, 4 SHA224, 5 SHA512
  isDefault: u8(), // 0x05 shipped with the firmware
  isActive: u8(), // 0x06
  reserved: u8(), // 0x07
  hash: bytes(64), // 0x08 digest, zero-padded
  name: ascii(64), // 0x48 NUL-padded
});

/** addHash request; the reply is AddHashResponse. */
export const AddHashRequest = struct('MEBX add hash request', {
  algorithm: u8(), // 0x00
  isActive: u8(), // 0x01
  reserved: bytes(2), // 0x02
  hash: bytes(64), // 0x04 digest, zero-padded
  name: ascii(64), // 0x44 1..64 printable ASCII, NUL-padded
});
export const AddHashResponse = struct('MEBX add hash response', { handle: u32() });

export const SetHashActiveRequest = struct('MEBX set hash active request', {
  handle: u32(), // 0x00
  isActive: u8(), // 0x04
  reserved: bytes(3), // 0x05
});
