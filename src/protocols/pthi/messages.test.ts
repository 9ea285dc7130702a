// PTHI declarations against the brief (amt-protocol.md §5.3): command and status numbers pinned,
// golden bytes with one comment per field, sizes the clients depend on, round trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../../codec/index.js';
import * as p from './index.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));

test('command codes are the brief §5.3 numbers', () => {
  assert.deepEqual({ ...p.PTHI_COMMAND }, {
    getAmtState: 0x01000001, getProvisioningMode: 0x04000008, unprovision: 0x04000010, getProvisioningState: 0x04000011,
    getCodeVersions: 0x0400001a, getSecurityParameters: 0x0400001b, getMacAddresses: 0x04000025, generateRngSeed: 0x04000028,
    startConfiguration: 0x04000029, setProvisioningServerOtp: 0x0400002a, getProvisioningTlsMode: 0x0400002b,
    enumerateHashHandles: 0x0400002c, getCertHashEntry: 0x0400002d, getRngSeedStatus: 0x0400002e, setDnsSuffix: 0x0400002f,
    getZeroTouchEnabled: 0x04000030, getPkiFqdnSuffix: 0x04000036, getDnsSuffixList: 0x0400003e, setEnterpriseAccess: 0x0400003f,
    openUserInitiatedConnection: 0x04000044, closeUserInitiatedConnection: 0x04000045, getRemoteAccessConnectionStatus: 0x04000046,
    getCurrentPowerPolicy: 0x04000047, getLanInterfaceSettings: 0x04000048, getFeaturesState: 0x04000049, getLastHostResetReason: 0x0400004a,
    getFqdn: 0x04000056, setHostFqdn: 0x0400005b, getUuid: 0x0400005c, stopConfiguration: 0x0400005e, getLocalSystemAccount: 0x04000067,
    getControlMode: 0x0400006b, getEhbcState: 0x04000084, startConfigurationHBased: 0x0400008b, getCiraLog: 0x0400008e,
  });
  assert.equal(p.PTHI_RESPONSE_FLAG, 0x00800000);
  assert.deepEqual(p.PTHI_VERSION, { major: 1, minor: 1 });
  for (const [name, code] of Object.entries(p.PTHI_COMMAND)) assert.equal(p.PTHI_COMMAND_NAME.get(code), name);
  assert.deepEqual(Object.keys(p.PTHI_MESSAGES).sort(), Object.keys(p.PTHI_COMMAND).sort());
});

test('status codes are the brief §5.3 numbers (plus two from intel/lms)', () => {
  assert.deepEqual({ ...p.AMT_STATUS }, {
    success: 0, internalError: 1, notReady: 2, invalidAmtMode: 3, invalidMessageLength: 4, notPermitted: 16, maxLimitReached: 23,
    invalidParameter: 36, rngGenerationInProgress: 47, rngNotReady: 48, certificateNotReady: 49, invalidHandle: 2053, notFound: 2068,
    unsupported: 0x812, interfaceDoesNotExist: 2501,
  });
  for (const [name, value] of Object.entries(p.AMT_STATUS)) assert.equal(p.AMT_STATUS_NAME.get(value), name);
});

test('request header golden bytes (MeshCentral sendCommand: 01 01 00 00 + cmd + len)', () => {
  const golden = unhex(
    '01' + // majorVersion 1
    '01' + // minorVersion 1
    '0000' + // reserved
    '67000004' + // command 0x04000067 GetLocalSystemAccount, LE
    '28000000', // length 40
  );
  const header = { majorVersion: 1, minorVersion: 1, reserved: 0, command: 0x04000067, length: 40 };
  assert.equal(hex(p.PthiHeader.serialize(header)), hex(golden));
  assert.deepEqual(p.PthiHeader.parse(golden), header);
});

test('response header golden bytes: status at offset 12, data at 16', () => {
  const golden = unhex(
    '0101' + // version 1.1
    '0000' + // reserved
    '11008004' + // command 0x04800011 GetProvisioningState response
    '08000000' + // length: status + 4 data bytes
    '00000000', // status SUCCESS
  );
  const value = { majorVersion: 1, minorVersion: 1, reserved: 0, command: 0x04800011, length: 8, status: 0 };
  assert.equal(hex(p.PthiResponseHeader.serialize(value)), hex(golden));
  assert.equal(p.PthiResponseHeader.offsetOf('status'), 12);
  assert.equal(p.PthiResponseHeader.size, 16);
});

test('fixed sizes the clients depend on', () => {
  assert.equal(p.LocalSystemAccountRequest.size, 40);
  assert.equal(p.LocalSystemAccountResponse.size, 68); // MeshCentral: data length must be exactly 68
  assert.equal(p.AmtVersionEntry.size, 44);
  assert.equal(p.PthiResponseHeader.size + p.CodeVersionsResponse.size, 2285); // largest struct, brief §5.1
  assert.equal(p.StartConfigurationHBasedRequest.size, 390); // rpc-go header length 390
  assert.equal(p.StartConfigurationHBasedShortRequest.size, 73); // MeshCentral without list
  assert.equal(p.StartConfigurationHBasedLongRequest.size, 393); // MeshCentral with list
  assert.equal(p.StartConfigurationHBasedResponse.size, 65);
  assert.equal(p.LanInterfaceSettingsResponse.size, 20);
  assert.equal(p.CertHashEntryResponse.size, 73); // name length at data offset 73 (MeshCentral)
  assert.equal(p.HashHandlesResponse.size, 4 + 33 * 4);
});

test('GetLANInterfaceSettings response golden bytes', () => {
  const golden = unhex(
    '01000000' + // enabled 1
    '0a00000a' + // ipv4Address 0x0A00000A: 10.0.0.10, first octet in the MSB
    '01000000' + // dhcpEnabled 1
    '01' + // dhcpIpMode 1 active
    '01' + // linkStatus 1 up
    '020000564d45', // macAddress 02:00:00:56:4d:45
  );
  const value = { enabled: 1, ipv4Address: 0x0a00000a, dhcpEnabled: 1, dhcpIpMode: 1, linkStatus: 1, macAddress: unhex('020000564d45') };
  assert.equal(hex(p.LanInterfaceSettingsResponse.serialize(value)), hex(golden));
  assert.deepEqual(p.LanInterfaceSettingsResponse.parse(golden), value);
  assert.equal(p.ipv4ToNumber('10.0.0.10'), 0x0a00000a);
});

test('GetCertHashEntry response golden bytes and AMT_ANSI_STRING name', () => {
  const hash = new Uint8Array(64).fill(0);
  hash.fill(0xaa, 0, 32);
  const golden = unhex(
    '01000000' + // isDefault 1
    '01000000' + // isActive 1
    'aa'.repeat(32) + '00'.repeat(32) + // certificateHash: SHA-256 then zero padding
    '02' + // hashAlgorithm 2 SHA256
    '0300' + '414243', // name: u16 length 3, "ABC"
  );
  const fixed = p.CertHashEntryResponse.serialize({ isDefault: 1, isActive: 1, certificateHash: hash, hashAlgorithm: 2 });
  assert.equal(hex(Buffer.concat([fixed, p.encodeAnsiString('ABC')])), hex(golden));
  assert.equal(p.decodeAnsiString(golden, 73, 'entry'), 'ABC');
});

test('StartConfigurationHBased request golden bytes (rpc-go layout)', () => {
  const golden = unhex(
    '02' + // serverHashAlgorithm 2 SHA256
    '11'.repeat(32) + '00'.repeat(32) + // serverCertHash[64]
    '00' + // hostVpnEnable false (Go bool, one byte)
    '00000000' + // suffixListLength 0
    '00'.repeat(320), // suffixList[320]
  );
  const value = { serverHashAlgorithm: 2, serverCertHash: Uint8Array.from([...new Uint8Array(32).fill(0x11), ...new Uint8Array(32)]), hostVpnEnable: 0, suffixListLength: 0, suffixList: new Uint8Array(320) };
  assert.equal(hex(p.StartConfigurationHBasedRequest.serialize(value)), hex(golden));
  assert.deepEqual(p.StartConfigurationHBasedRequest.parse(golden), value);
});

test('GetLocalSystemAccount response golden bytes: 33 + 33 + 2', () => {
  const golden = unhex(
    Buffer.from('admin').toString('hex') + '00'.repeat(28) + // username[33]
    Buffer.from('P@ss').toString('hex') + '00'.repeat(29) + // password[33]
    '0000', // reserved[2]
  );
  const value = { username: 'admin', password: 'P@ss', reserved: new Uint8Array(2) };
  assert.equal(hex(p.LocalSystemAccountResponse.serialize(value)), hex(golden));
  assert.deepEqual(p.LocalSystemAccountResponse.parse(golden), value);
});

test('code version entry golden bytes ({u16, char[20]} twice)', () => {
  const golden = unhex(
    '0300' + Buffer.from('AMT').toString('hex') + '00'.repeat(17) + // description "AMT"
    '0700' + Buffer.from('16.1.27').toString('hex') + '00'.repeat(13), // version "16.1.27"
  );
  const value = { descriptionLength: 3, description: 'AMT', versionLength: 7, version: '16.1.27' };
  assert.equal(hex(p.AmtVersionEntry.serialize(value)), hex(golden));
  assert.deepEqual(p.AmtVersionEntry.parse(golden), value);
});

test('round trips of every declared body with defaults', () => {
  const bodies = [p.UnprovisionRequest, p.UnprovisionResponse, p.ProvisioningStateResponse, p.ProvisioningModeResponse, p.ControlModeResponse,
    p.EhbcStateResponse, p.UuidResponse, p.MacAddressesResponse, p.CodeVersionsResponse, p.HashHandlesResponse, p.CertHashEntryRequest,
    p.CertHashEntryResponse, p.RemoteAccessStatusResponse, p.LanInterfaceSettingsRequest, p.LanInterfaceSettingsResponse,
    p.LocalSystemAccountRequest, p.LocalSystemAccountResponse, p.StartConfigurationHBasedRequest, p.StartConfigurationHBasedShortRequest,
    p.StartConfigurationHBasedLongRequest, p.StartConfigurationHBasedResponse];
  for (const body of bodies) {
    const bytes = body.serialize(body.defaults() as never);
    assert.equal(bytes.length, body.size, body.name);
    assert.equal(hex(body.serialize(body.parse(bytes) as never)), hex(bytes), body.name);
    assert.throws(() => body.parse(bytes.subarray(0, body.size - 1)), DecodeError, body.name);
  }
});

test('AMT_ANSI_STRING rejects a length past the end and trailing bytes', () => {
  assert.throws(() => p.decodeAnsiString(unhex('0500414243'), 0, 'x'), (e) => e instanceof DecodeError && e.problem.reason === 'truncated');
  assert.throws(() => p.decodeAnsiString(unhex('01'), 0, 'x'), DecodeError);
  assert.throws(() => p.decodeAnsiString(unhex('01004142'), 0, 'x'), (e) => e instanceof DecodeError && e.problem.reason === 'trailing bytes');
  assert.equal(p.decodeAnsiString(unhex('0000'), 0, 'x'), '');
});
