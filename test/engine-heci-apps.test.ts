// The engine serving MKHI and PTHI over its HECI clients (default manifest, real workers, through
// engine.handleHostMessage): firmware version from the verified manifest, End-of-POST as a kernel
// fact that pre-boot-only commands obey, PTHI answers from the NVRAM AMT state, host-based
// configuration persisting across an engine reboot, unprovision, refusals, recovery firmware, and
// the FWCAPS feature state following the MEBX settings (mkhi asks amt).
import { test, before } from 'node:test';
import { createHash, X509Certificate } from 'node:crypto';
import assert from 'node:assert/strict';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import type { BuiltPlatform } from '../src/image/build.js';
import { bootEngine, type Engine } from '../src/engine/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { AMT_STATUS, PTHI_COMMAND as C } from '../src/protocols/pthi/index.js';
import { reply, request } from '../src/protocols/pthi/testing.js';
import { FEATURE_BIT, MKHI_RESULT } from '../src/protocols/mkhi/index.js';
import { MebxClient, MEBX_CLIENT_UUID } from '../src/protocols/mebx/index.js';
import { AMT_INTERFACE } from '../src/apps/amt/interface.js';
import { MKHI_INTERFACE } from '../src/apps/mkhi/interface.js';
import { uuidWireBytes } from '../src/apps/amt/platform.js';
import { engineFixture } from './support/engine.js';

const MKHI = '8e6a6715-9abc-4043-88ef-9e39c6f63e0f';
const AMTHI = '12f80028-b4b7-4b2d-aca8-46e0ff65814c';
const { pool, engines } = engineFixture();
let platform: BuiltPlatform;

before(() => {
  platform = testPlatform();
});

async function boot(flash = new MemoryBacking(platform.image), counter = new MemoryCounter()): Promise<Engine> {
  const engine = await bootEngine({ flash, fuses: platform.fuses, options: { pool, counter } });
  engines.push(engine);
  return engine;
}

const mkhi = (engine: Engine, group: number, command: number, body: number[] = []) => engine.handleHostMessage(MKHI, Uint8Array.of(group, command, 0, 0, ...body));
const pthi = async (engine: Engine, command: number, body?: Uint8Array) => reply(await engine.handleHostMessage(AMTHI, request(command, body)));
const u32 = (data: Uint8Array, offset = 0) => Buffer.from(data).readUInt32LE(offset);
/** FWCAPS GET_RULE: the rule's data word (result must be success). */
async function fwcaps(engine: Engine, ruleId: number): Promise<number> {
  const bytes = await mkhi(engine, 0x03, 0x02, [ruleId, 0, 0, 0]);
  assert.deepEqual([...bytes.subarray(0, 4)], [0x03, 0x82, 0, MKHI_RESULT.success], `GET_RULE ${ruleId} answers`);
  return u32(bytes, 9);
}
const AMT_KVM = ((1 << FEATURE_BIT.amt) | (1 << FEATURE_BIT.kvm)) >>> 0;
const latin1 = (data: Uint8Array, start: number, end: number) => Buffer.from(data.subarray(start, end)).toString('latin1').replace(/\0+$/, '');

/** rpc-go's 390-byte StartConfigurationHBased body: SHA-256 server hash, no VPN, no suffixes. */
function hostBasedRequest(): Uint8Array {
  const body = Buffer.alloc(390);
  body[0] = 2;
  body.fill(0x33, 1, 33);
  return body;
}

test('MKHI GET_FW_VERSION answers with the verified manifest\'s version; the firmware status words follow the partition', async () => {
  const engine = await boot();
  assert.deepEqual(engine.apps.map((a) => [a.name, a.state]), [['mkhi', 'running'], ['amt', 'running']]);
  const version = await mkhi(engine, 0xff, 0x02);
  // 1.0.0.1 as code, recovery and FITC: {minor 0, major 1, build 1, hotfix 0}
  assert.deepEqual([...version], [0xff, 0x82, 0, 0, ...[0, 0, 1, 0, 1, 0, 0, 0].flatMap((_, i, a) => (i === 0 ? [...a, ...a, ...a] : []))]);
  const status = await engine.client(MKHI_INTERFACE).getFirmwareStatus({});
  assert.equal(status.hfsts1 & 0xf, 5, 'working state normal');
  assert.equal((status.hfsts1 >>> 10) & 1, 1, 'operational partition loaded');
  assert.equal((status.hfsts3 >>> 4) & 7, 3, 'corporate SKU (the firmware carries amt)');
});

test('END_OF_POST sets the kernel fact: pre-boot-only commands are refused with their real status until the host resets', async () => {
  const engine = await boot();
  assert.equal(engine.endOfPost, false);
  assert.equal((await pthi(engine, C.generateRngSeed)).status, AMT_STATUS.success, 'pre-boot-only PTHI before End-of-POST');
  assert.deepEqual([...(await mkhi(engine, 0xff, 0x0c))], [0xff, 0x8c, 0, 0, 0, 0, 0, 0], 'END_OF_POST: success, continue boot');
  assert.equal(engine.endOfPost, true);
  assert.equal(engine.status().endOfPost, true);
  assert.ok(engine.trace.events('audit').some((e) => e.kind === 'platform-fact' && e.app === 'mkhi' && e.value));
  assert.equal((await mkhi(engine, 0xff, 0x1d))[4], 1, 'GET_EOP_STATE reports it');
  assert.deepEqual([...(await mkhi(engine, 0xff, 0x0c))], [0xff, 0x8c, 0, MKHI_RESULT.invalidState], 'a second END_OF_POST');
  assert.equal((await mkhi(engine, 0x05, 0x01, new Array<number>(8).fill(7)))[12], 1, 'HMRFPO_ENABLE after EOP: locked');
  assert.equal((await pthi(engine, C.generateRngSeed)).status, AMT_STATUS.notPermitted, 'amt reads the same fact');
  assert.equal((await pthi(engine, C.getProvisioningState)).status, AMT_STATUS.success, 'everything else still answers');
  engine.hostReset();
  assert.equal(engine.endOfPost, false);
  assert.equal((await mkhi(engine, 0xff, 0x1d))[4], 0);
  assert.equal((await pthi(engine, C.generateRngSeed)).status, AMT_STATUS.success);
});

test('PTHI answers from the NVRAM state and the platform: provisioning, control mode, UUID, local system account, code versions', async () => {
  const engine = await boot();
  assert.equal(u32((await pthi(engine, C.getProvisioningState)).data), 0);
  assert.equal(u32((await pthi(engine, C.getControlMode)).data), 0);
  const uuid = (await pthi(engine, C.getUuid)).data;
  assert.deepEqual([...uuid], [...uuidWireBytes(engine.platform?.platformUuid ?? '')]);
  assert.ok(!uuid.every((b) => b === 0) && !uuid.every((b) => b === 0xff));
  const account = await pthi(engine, C.getLocalSystemAccount, new Uint8Array(40));
  assert.equal(account.data.length, 68);
  assert.match(latin1(account.data, 0, 33), /^vme-lsa-[0-9a-f]{8}$/);
  const versions = await engine.handleHostMessage(AMTHI, request(C.getCodeVersions));
  assert.equal(versions.length, 2285);
  const data = reply(versions).data;
  const entries = new Map<string, string>();
  for (let i = 0, at = 69; i < u32(data, 65); i++, at += 44) {
    const entry = Buffer.from(data.subarray(at, at + 44));
    entries.set(entry.toString('latin1', 2, 2 + entry.readUInt16LE(0)), entry.toString('latin1', 24, 24 + entry.readUInt16LE(22)));
  }
  assert.deepEqual([entries.get('AMT'), entries.get('Build Number'), entries.get('Sku'), entries.get('Flash')], ['1.0.0', '1', '16392', '1.0.0.1']);
  const mac = (await pthi(engine, C.getMacAddresses)).data;
  assert.equal([...mac.subarray(0, 6)].map((b) => b.toString(16).padStart(2, '0')).join(':'), engine.platform?.macAddress);
});

test('StartConfigurationHBased persists across an engine reboot on the same flash and reports the device certificate; Unprovision wipes it', async () => {
  const flash = new MemoryBacking(platform.image);
  const counter = new MemoryCounter();
  const first = await boot(flash, counter);
  const account = latin1((await pthi(first, C.getLocalSystemAccount, new Uint8Array(40))).data, 0, 33);
  const certificateHash = createHash('sha256').update(new X509Certificate((await first.client(AMT_INTERFACE).networkIdentity({})).certificatePem).raw).digest();
  const started = await pthi(first, C.startConfigurationHBased, hostBasedRequest());
  assert.equal(started.status, AMT_STATUS.success);
  assert.deepEqual([...started.data.subarray(0, 33)], [2, ...certificateHash], 'AMT certificate hash: SHA-256 of the device certificate');
  assert.equal(u32((await pthi(first, C.getProvisioningState)).data), 1);
  await first.shutdown();

  const second = await boot(flash, counter);
  assert.equal(u32((await pthi(second, C.getProvisioningState)).data), 1, 'in-provisioning after the reboot');
  assert.deepEqual(await second.client(AMT_INTERFACE).getProvisioning({}), { state: 'in', mode: 'none' });
  assert.equal(latin1((await pthi(second, C.getLocalSystemAccount, new Uint8Array(40))).data, 0, 33), account);
  const unprovisioned = await pthi(second, C.unprovision, Uint8Array.of(0, 0, 0, 0));
  assert.deepEqual([unprovisioned.status, u32(unprovisioned.data)], [AMT_STATUS.success, 0]);
  assert.equal(u32((await pthi(second, C.getProvisioningState)).data), 0);
  assert.notEqual(latin1((await pthi(second, C.getLocalSystemAccount, new Uint8Array(40))).data, 0, 33), account, 'a new local system account');
  const again = await pthi(second, C.startConfigurationHBased, hostBasedRequest());
  assert.deepEqual([again.status, ...again.data.subarray(1, 33)], [AMT_STATUS.success, ...certificateHash], 'the device keeps its certificate through Unprovision');
});

test('refusals: unknown HECI clients, oversized messages, bad kernel-client arguments; recovery firmware serves MKHI only', async () => {
  const engine = await boot();
  await assert.rejects(engine.handleHostMessage('05b79a6f-4628-4d7f-899d-a91514cb32ab', request(C.getUuid)), { code: 'VME_ERR_CAPABILITY_DENIED' });
  await assert.rejects(engine.handleHostMessage(AMTHI, new Uint8Array(4097)), { code: 'VME_ERR_IPC_INVALID' });
  await assert.rejects(engine.client(AMT_INTERFACE).activate({ password: 'weak' }), { status: 'invalid-argument' });
  await assert.rejects(engine.client(AMT_INTERFACE).activate({ password: 'x'.repeat(33) }), { code: 'VME_ERR_IPC_INVALID' });
  assert.equal(engine.apps.find((a) => a.name === 'amt')?.faults, 0, 'refusals are replies, not faults');

  const image = Uint8Array.from(platform.image);
  const at = 0x3000 + 0x81000 + 0x600; // inside NFTP: the ROM falls back to FTPR
  image[at] = (image[at] ?? 0) ^ 0xff;
  const recovery = await boot(new MemoryBacking(image));
  assert.equal(recovery.state, 'recovery');
  assert.deepEqual(recovery.apps.map((a) => a.name), ['mkhi']);
  await assert.rejects(recovery.handleHostMessage(AMTHI, request(C.getUuid)), { code: 'VME_ERR_CAPABILITY_DENIED' });
  assert.equal(((await recovery.client(MKHI_INTERFACE).getFirmwareStatus({})).hfsts1 >>> 10) & 1, 0, 'recovery: FT/BUP not loaded');
  assert.equal(await fwcaps(recovery, 0x20), 0, 'recovery: no amt, no AMT feature');
  assert.deepEqual([...(await mkhi(recovery, 0xff, 0x0c))], [0xff, 0x8c, 0, 0, 0, 0, 0, 0]);
  assert.equal(recovery.endOfPost, true);
});

test('FWCAPS feature state follows the MEBX settings: AMT only while enabled, KVM only with AMT; amt unreachable means no AMT', async () => {
  const engine = await boot();
  assert.equal(await fwcaps(engine, 0x20), AMT_KVM, 'factory MEBX settings: AMT and KVM on');
  assert.equal(await fwcaps(engine, 0x00), AMT_KVM, 'FW SKU rule reports the same bits');
  assert.ok(engine.trace.events('ipc').some((e) => e.kind === 'call' && e.caller === 'mkhi' && e.callee === 'amt' && e.operation === 'getMebxSettings'), 'asked through the declared interface');

  const mebx = new MebxClient({ request: (message) => engine.handleHostMessage(MEBX_CLIENT_UUID, message) });
  assert.equal((await mebx.login('admin')).changeRequired, true);
  assert.equal(await mebx.changePassword('Vme-2024!ok'), 'ok');
  const { settings } = await mebx.getSettings();
  await mebx.setSettings({ ...settings, amtEnabled: false });
  assert.deepEqual(await engine.client(AMT_INTERFACE).getMebxSettings({}), { amtEnabled: false, sol: true, ider: true, kvm: true });
  assert.equal(await fwcaps(engine, 0x20), 0, 'AMT disabled in MEBX: neither AMT nor KVM');
  assert.equal(await fwcaps(engine, 0x00), 0);
  await mebx.setSettings({ ...settings, amtEnabled: true, features: { ...settings.features, kvm: false } });
  assert.equal(await fwcaps(engine, 0x20), 1 << FEATURE_BIT.amt, 'AMT re-enabled, KVM off');
  await mebx.setSettings({ ...settings, amtEnabled: true });
  assert.equal(await fwcaps(engine, 0x20), AMT_KVM);

  // After End-of-POST MEBX is refused, but the feature state is still read from the stored settings.
  await mkhi(engine, 0xff, 0x0c);
  assert.equal(await fwcaps(engine, 0x20), AMT_KVM);

  // amt unreachable: MKHI keeps answering, without the AMT feature.
  engine.parts.kernel?.slot('amt')?.stop();
  assert.equal(await fwcaps(engine, 0x20), 0);
  assert.equal(engine.apps.find((a) => a.name === 'mkhi')?.faults, 0);
});
