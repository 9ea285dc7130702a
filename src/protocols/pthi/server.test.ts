// The PTHI server end to end over a real in-memory NVRAM: golden replies, reads the way rpc-go and
// MeshCentral read them, state changes, and every kind of bad input answered with an AMT status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AMT_STATE_KEYS, DEFAULT_CERTIFICATE_HASHES } from '../../amt-state/index.js';
import { AMT_STATUS, PTHI_COMMAND as C, PTHI_MESSAGES, PTHI_PRE_BOOT_ONLY, type PthiCommandName } from './index.js';
import { TEST_UUID, pthiRig, reply, request } from './testing.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const u32 = (value: number) => Uint8Array.from(Buffer.from(new Uint32Array([value]).buffer));
const text = (data: Uint8Array, start: number, end: number) => Buffer.from(data.subarray(start, end)).toString('latin1').replace(/\0+$/, '');

test('GetProvisioningState golden reply in pre-provisioning', async () => {
  const { server } = await pthiRig();
  assert.equal(hex(await server.handle(request(C.getProvisioningState))),
    '0101' + '0000' + // version 1.1, reserved
    '11008004' + // command 0x04800011
    '08000000' + // length: status + 4
    '00000000' + // status SUCCESS
    '00000000'); // state 0 PRE
});

test('GetControlMode and GetProvisioningState follow the NVRAM state', async () => {
  const { server, state } = await pthiRig();
  await state.update({ provisioning: { state: 'post', mode: 'client' } });
  assert.equal(hex(reply(await server.handle(request(C.getControlMode))).data), '01000000');
  assert.equal(hex(reply(await server.handle(request(C.getProvisioningState))).data), '02000000');
  assert.equal(hex(reply(await server.handle(request(C.getProvisioningMode))).data), '01000000' + '00000000');
});

test('GetUUID returns the 16 raw bytes', async () => {
  const { server } = await pthiRig();
  const r = reply(await server.handle(request(C.getUuid)));
  assert.equal(r.command, 0x0480005c);
  assert.equal(r.length, 20);
  assert.equal(hex(r.data), hex(TEST_UUID));
});

test('GetLocalSystemAccount: data exactly 68 bytes, read as MeshCentral and rpc-go read it', async () => {
  const { server, state } = await pthiRig();
  const bytes = await server.handle(request(C.getLocalSystemAccount, new Uint8Array(40)));
  const r = reply(bytes);
  assert.equal(bytes.length, 16 + 68);
  assert.equal(r.status, 0);
  assert.equal(r.data.length, 68);
  assert.equal(r.length, 4 + 68);
  const account = await state.localSystemAccount();
  assert.equal(text(r.data, 0, 33), account.username); // MeshCentral trim(slice(0, 33))
  assert.equal(text(r.data, 33, 67), account.password); // MeshCentral trim(slice(33, 67))
  assert.equal(r.data[32], 0);
  assert.equal(r.data[65], 0);
  assert.equal(reply(await server.handle(request(C.getLocalSystemAccount))).status, AMT_STATUS.invalidMessageLength);
});

test('GetPKIFQDNSuffix: u16 length then the characters', async () => {
  const { server, state } = await pthiRig();
  assert.equal(hex(reply(await server.handle(request(C.getPkiFqdnSuffix))).data), '0000');
  await state.update({ dnsSuffix: 'corp.example.com' });
  const data = reply(await server.handle(request(C.getPkiFqdnSuffix))).data;
  assert.equal(hex(data), '1000' + Buffer.from('corp.example.com').toString('hex'));
});

test('GetCodeVersions: 2,285-byte reply, entries as rpc-go and MeshCentral read them', async () => {
  const { server } = await pthiRig();
  const bytes = await server.handle(request(C.getCodeVersions));
  assert.equal(bytes.length, 2285);
  const data = reply(bytes).data;
  assert.equal(text(data, 0, 65), 'VME.BIOS.0001');
  const count = Buffer.from(data).readUInt32LE(65);
  const versions = new Map<string, string>();
  for (let i = 0, v = 69; i < count; i++, v += 44) {
    const entry = Buffer.from(data.subarray(v, v + 44));
    versions.set(entry.toString('latin1', 2, 2 + entry.readUInt16LE(0)), entry.toString('latin1', 24, 24 + entry.readUInt16LE(22)));
    assert.equal(entry.toString('latin1', 24, 44).replace(/\0/g, ''), entry.toString('latin1', 24, 24 + entry.readUInt16LE(22))); // rpc-go strips NULs
  }
  assert.equal(versions.get('AMT'), '16.1.27');
  assert.equal(versions.get('Build Number'), '2225');
  assert.equal(versions.get('Sku'), '16392');
  assert.equal(versions.get('Flash'), '16.1.27.2225');
  assert.ok(data.subarray(69 + count * 44).every((b) => b === 0));
});

test('GetLANInterfaceSettings: wired golden data, missing wireless, bad index', async () => {
  const { server } = await pthiRig();
  assert.equal(hex(reply(await server.handle(request(C.getLanInterfaceSettings, u32(0)))).data), '01000000' + '0a00000a' + '01000000' + '01' + '01' + '020000564d45');
  assert.equal(reply(await server.handle(request(C.getLanInterfaceSettings, u32(1)))).status, AMT_STATUS.interfaceDoesNotExist);
  assert.equal(reply(await server.handle(request(C.getLanInterfaceSettings, u32(7)))).status, AMT_STATUS.invalidParameter);
  assert.equal(hex(reply(await server.handle(request(C.getMacAddresses))).data), '020000564d45'.repeat(2));
});

test('hash handles and entries, read at MeshCentral offsets', async () => {
  const { server, state } = await pthiRig();
  await state.setCertificateHashActive(1, false);
  const handles = Buffer.from(reply(await server.handle(request(C.enumerateHashHandles))).data);
  assert.equal(handles.length, 136);
  assert.equal(handles.readUInt32LE(0), DEFAULT_CERTIFICATE_HASHES.length);
  for (let i = 0; i < DEFAULT_CERTIFICATE_HASHES.length; i++) {
    const data = Buffer.from(reply(await server.handle(request(C.getCertHashEntry, u32(handles.readUInt32LE(4 + 4 * i))))).data);
    const expected = DEFAULT_CERTIFICATE_HASHES[i];
    assert.equal(data.readUInt32LE(0), 1); // isDefault
    assert.equal(data.readUInt32LE(4), i === 1 ? 0 : 1); // isActive
    assert.equal(data.readUInt8(72), 2); // SHA256
    assert.equal(data.subarray(8, 40).toString('hex'), expected?.sha256);
    assert.equal(data.toString('latin1', 75, 75 + data.readUInt16LE(73)), expected?.name);
    assert.equal(data.length, 75 + data.readUInt16LE(73));
  }
  assert.equal(reply(await server.handle(request(C.getCertHashEntry, u32(999)))).status, AMT_STATUS.invalidHandle);
});

test('StartConfigurationHBased: certificate not ready, then success in every layout, then StopConfiguration', async () => {
  const rig = await pthiRig();
  const { server, state } = rig;
  const rpcGo = Buffer.alloc(390);
  rpcGo[0] = 2;
  rpcGo.fill(0x33, 1, 33);
  assert.equal(reply(await server.handle(request(C.startConfigurationHBased, rpcGo))).status, AMT_STATUS.certificateNotReady);
  assert.equal((await state.provisioning()).state, 'pre');
  await state.update({ amtCertificateHash: { algorithm: 'sha256', hash: new Uint8Array(32).fill(0x5a) } });
  const r = reply(await server.handle(request(C.startConfigurationHBased, rpcGo)));
  assert.equal(r.status, 0);
  assert.equal(r.data.length, 65);
  assert.equal(r.data[0], 2); // MeshCentral: Data[0] hash type
  assert.equal(hex(r.data.subarray(1, 33)), '5a'.repeat(32)); // MeshCentral: Data.slice(1, 33)
  assert.deepEqual(await state.provisioning(), { state: 'in', mode: 'none' });
  assert.equal((await state.session())?.startedAt, 1000);
  assert.equal(hex((await state.session())?.serverCertificateHash ?? new Uint8Array()), '33'.repeat(32));
  assert.equal(reply(await server.handle(request(C.startConfigurationHBased, rpcGo))).status, AMT_STATUS.invalidAmtMode);
  assert.equal(reply(await server.handle(request(C.stopConfiguration))).status, 0);
  assert.equal(await state.session(), undefined);
  assert.equal(reply(await server.handle(request(C.stopConfiguration))).status, AMT_STATUS.invalidAmtMode);
  const mesh = Buffer.alloc(393);
  mesh[0] = 3; // SHA384
  mesh.writeUInt32LE(1, 65); // host VPN
  mesh.writeUInt32LE(2, 69); // two suffixes
  mesh.write('a.example\0b.example', 73, 'latin1');
  assert.equal(reply(await server.handle(request(C.startConfigurationHBased, mesh))).status, 0);
  assert.deepEqual((await state.session())?.dnsSuffixes, ['a.example', 'b.example']);
  assert.equal((await state.session())?.hostVpnEnabled, true);
  await server.handle(request(C.stopConfiguration));
  assert.equal(reply(await server.handle(request(C.startConfigurationHBased, mesh.subarray(0, 73)))).status, 0);
});

test('StartConfigurationHBased refusals: bad algorithm, bad suffixes, setup disabled', async () => {
  const { server, state } = await pthiRig();
  await state.update({ amtCertificateHash: { algorithm: 'sha256', hash: new Uint8Array(32) } });
  const body = Buffer.alloc(390);
  body[0] = 1; // SHA1 is not accepted
  assert.equal(reply(await server.handle(request(C.startConfigurationHBased, body))).status, AMT_STATUS.invalidParameter);
  body[0] = 2;
  body.writeUInt32LE(321, 66);
  assert.equal(reply(await server.handle(request(C.startConfigurationHBased, body))).status, AMT_STATUS.invalidParameter);
  body.writeUInt32LE(0, 66);
  await state.update({ hostBasedSetup: { enabled: false, allowAdminControl: true, allowClientControl: true } });
  assert.equal(reply(await server.handle(request(C.startConfigurationHBased, body))).status, AMT_STATUS.notPermitted);
  assert.equal((await state.provisioning()).state, 'pre');
});

test('Unprovision: client control mode returns to pre-provisioning; admin control mode is refused', async () => {
  const { server, state } = await pthiRig();
  await state.update({ provisioning: { state: 'post', mode: 'admin' } });
  assert.equal(reply(await server.handle(request(C.unprovision, u32(0)))).status, AMT_STATUS.invalidAmtMode);
  await state.update({ provisioning: { state: 'post', mode: 'client' }, dnsSuffix: 'x.example' });
  assert.equal(reply(await server.handle(request(C.unprovision, u32(2)))).status, AMT_STATUS.invalidParameter);
  const r = reply(await server.handle(request(C.unprovision, u32(0))));
  assert.deepEqual([r.status, hex(r.data)], [0, '00000000']);
  assert.deepEqual(await state.provisioning(), { state: 'pre', mode: 'none' });
  assert.equal(await state.dnsSuffix(), '');
});

test('malformed requests: short, length field wrong either way, wrong body size, wrong version', async () => {
  const { server } = await pthiRig();
  const short = reply(await server.handle(Uint8Array.of(1, 1, 0)));
  assert.deepEqual([short.command, short.status, short.length], [0x00800000, AMT_STATUS.invalidMessageLength, 4]);
  const oversized = request(C.getUuid, new Uint8Array(4));
  oversized.set(u32(0), 8); // header says 0 but 4 bytes follow
  assert.equal(reply(await server.handle(oversized)).status, AMT_STATUS.invalidMessageLength);
  const truncated = request(C.getUuid);
  truncated.set(u32(8), 8); // header says 8 but nothing follows
  assert.equal(reply(await server.handle(truncated)).status, AMT_STATUS.invalidMessageLength);
  assert.equal(reply(await server.handle(request(C.getUuid, new Uint8Array(4)))).status, AMT_STATUS.invalidMessageLength);
  assert.equal(reply(await server.handle(request(C.getCertHashEntry, new Uint8Array(2)))).status, AMT_STATUS.invalidMessageLength);
  const version = request(C.getUuid);
  version[0] = 2;
  assert.equal(reply(await server.handle(version)).status, AMT_STATUS.invalidParameter);
});

test('unknown commands and declared-but-unanswered commands get AMT_STATUS_UNSUPPORTED', async () => {
  const { server } = await pthiRig();
  const unknown = reply(await server.handle(request(0x04000077)));
  assert.deepEqual([unknown.command, unknown.status, unknown.data.length], [0x04800077, AMT_STATUS.unsupported, 0]);
  for (const [name, spec] of Object.entries(PTHI_MESSAGES)) {
    if (spec.answered) continue;
    assert.equal(reply(await server.handle(request(C[name as PthiCommandName]))).status, AMT_STATUS.unsupported, name);
  }
});

test('pre-boot-only commands work before End-of-POST and are refused after it', async () => {
  const { server, platform } = await pthiRig();
  const names = Object.keys(PTHI_PRE_BOOT_ONLY) as PthiCommandName[];
  assert.ok(names.length > 0);
  for (const name of names) assert.equal(reply(await server.handle(request(C[name]))).status, 0, name);
  platform.endOfPost = true;
  for (const name of names) assert.equal(reply(await server.handle(request(C[name]))).status, PTHI_PRE_BOOT_ONLY[name], name);
  assert.equal(reply(await server.handle(request(C.getRngSeedStatus))).status, 0);
  assert.equal(reply(await server.handle(request(C.getProvisioningState))).status, 0); // everything else still answers
});

test('a corrupt stored value is the engine\'s INTERNAL_ERROR, not a crash', async () => {
  const { server, nvram } = await pthiRig();
  nvram.put(AMT_STATE_KEYS.provisioning, new TextEncoder().encode('garbage'));
  assert.equal(reply(await server.handle(request(C.getProvisioningState))).status, AMT_STATUS.internalError);
});

test('random bytes never make the server throw; every reply has a well-formed header', async () => {
  const { server } = await pthiRig();
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  const codes = Object.values(C);
  for (let i = 0; i < 2000; i++) {
    const length = next() % 64;
    const input = Uint8Array.from({ length }, () => next() & 0xff);
    if (length >= 12 && i % 2 === 0) {
      input.set(u32(codes[next() % codes.length] ?? 0), 4);
      input.set(u32(length - 12), 8);
    }
    const r = reply(await server.handle(input));
    assert.equal(r.length, 4 + r.data.length);
    assert.equal(r.command & 0x00800000, 0x00800000);
  }
});
