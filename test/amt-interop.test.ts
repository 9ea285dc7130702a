// Interoperability (issue 5 §6): a whole Machine (engine + host + network on a random 127.x.y.z)
// driven over its network address by a Digest client sending envelopes built by
// @open-amt-cloud-toolkit/wsman-messages, in the order RPS, rpc-go and MPS send them (brief §3.11):
// client-control activation as rpc-go does it (the local system account over PTHI, the reads and
// Setup through LMS on the host's own loopback address, the network refusing both) and RPS's
// configuration afterwards (time, network, features, TLS), power actions seen by the
// SimulatedHost, MPS's boot to PXE, the hardware inventory, every reply with a recorded
// counterpart compared with it; then curl with a wrong password and the lock-out (the platform's
// authenticator runs on real time, so the test waits the first 5 s lock out).
//
// RPS's unconfiguration reads run against the factory state of the CIRA and 802.1x classes
// (IPS_IEEE8021xSettings, IPS_HTTPProxyAccessPoint, AMT_RemoteAccessPolicyRule deletes,
// AMT_ManagementPresenceRemoteSAP, AMT_EnvironmentDetectionSettingData). Left out: its Wi-Fi steps
// (the platform reports no wireless port) and RPS's CIRA configuration (a later issue).
import 'reflect-metadata';
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createHash, createPublicKey, randomInt, webcrypto, X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import { AppHostPool } from '../src/kernel/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import type { HostEvent } from '../src/host/index.js';
import { Machine } from '../src/machine/index.js';
import { startLms, type RunningLms } from '../src/host/lms/index.js';
import { readLocalAmtFacts } from '../src/host/activation/index.js';
import { AMT_INTERFACE } from '../src/apps/amt/interface.js';
import { runPeer } from '../src/amt/peer-process.js';
import { UNAUTHORIZED_MESSAGE } from '../src/amt/http/response-writer.js';
import { createTestCa } from '../src/amt/tls/testing.js';
import { ACTION, envelope, ENUMERATE_BODY, pullBody, textOf } from '../src/amt/wsman/testing.js';
import { AmtConsole, assertShape, instanceOf, itemsOf, message, returnValue, values } from './support/amt-console.js';
import { tempDir } from './support/cli.js';
import { waitUntil } from './support/wait.js';
import { FastClock } from './support/fast-clock.js';

const loopback = (): string => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const address = loopback();
let lmsAddress = loopback();
while (lmsAddress === address) lmsAddress = loopback();
const { dir, cleanup } = tempDir('vme-amt-interop-');
const device = join(dir, 'mei0.sock');
const PASSWORD = 'Interop-P@ss1';
const md5 = (text: string): string => createHash('md5').update(text).digest('hex');

/** Host time running `factor` times faster than real time (the simulated OS takes seconds to boot). */

const pool = new AppHostPool({ pingTimeoutMs: 2000 });
const hostEvents: HostEvent[] = [];
let machine: Machine;
let lms: RunningLms | undefined;
let realm: string;
/** The admin over plain 16992. */
let plain: AmtConsole;
/** The admin over 16993, pinned to the certificate RPS's TLS step installs. */
let secure: AmtConsole | undefined;

before(async () => {
  const platform = testPlatform();
  machine = await Machine.create({
    flash: new MemoryBacking(platform.image), fuses: platform.fuses, clock: new FastClock(10), meiSocketPath: device,
    engine: { pool, counter: new MemoryCounter() }, network: { address },
    host: { bios: { stepMilliseconds: 2, mebxWindowMilliseconds: 5 } },
  });
  machine.host.on((event) => hostEvents.push(event));
  machine.host.powerOn();
  await waitUntil(() => machine.host.state().phase === 'os', 'the OS to boot');
  realm = (await machine.engine.client(AMT_INTERFACE).networkIdentity({})).realm;
  plain = new AmtConsole({ host: address, port: 16992, user: 'admin', password: PASSWORD });
});

after(async () => {
  plain.close();
  secure?.close();
  await lms?.close();
  await machine.shutdown();
  await pool.close();
  cleanup();
});

test('activation as rpc-go does it: the local system account over PTHI; reads and Setup through LMS; the network refuses that account, then takes the admin and refuses Setup', async () => {
  lms = await startLms({ device, address: lmsAddress, ports: { 16992: 0 }, handshakeTimeoutMs: 15_000, retryDelayMs: 200 });
  const lmsPort = lms.addresses.find((a) => a.amtPort === 16992)?.port ?? assert.fail('LMS forwards 16992');
  const facts = await readLocalAmtFacts(device);
  assert.equal(facts.controlMode, 0);
  const local = new AmtConsole({ host: lmsAddress, port: lmsPort, user: facts.account.username, password: facts.account.password });
  const fromNetwork = new AmtConsole({ host: address, port: 16992, user: facts.account.username, password: facts.account.password });
  const setup = message('IPS', 'HostBasedSetupService', 'Setup', 2, md5(`admin:${realm}:${PASSWORD}`));
  try {
    await assert.rejects(fromNetwork.post(message('AMT', 'GeneralSettings', 'Get')), { code: 'VME_ERR_AMT_CLIENT' }, 'the local system account is local only');
    await assert.rejects(fromNetwork.post(setup), { code: 'VME_ERR_AMT_CLIENT' }, 'so is Setup');
    await assert.rejects(plain.post(message('AMT', 'GeneralSettings', 'Get')), { code: 'VME_ERR_AMT_CLIENT' }, 'no admin yet');

    const general = await local.call('AMT', 'GeneralSettings', 'Get');
    assertShape(general, 'amt/general/get.xml');
    assert.equal(textOf(general, 'g:DigestRealm'), local.session.realm, 'RPS checks the realm it logged in with');
    const hbs = await local.call('IPS', 'HostBasedSetupService', 'Get');
    assertShape(hbs, 'ips/hostbasedsetup/get.xml');
    assert.deepEqual([textOf(hbs, 'g:CurrentControlMode'), values(hbs, 'g:AllowedControlModes')], ['0', ['2', '1']]);
    const sac = await local.call('AMT', 'SetupAndConfigurationService', 'Get');
    assertShape(sac, 'amt/setupandconfiguration/get.xml', ['g:ProvisioningServerOTP']);
    assert.equal(textOf(sac, 'g:ProvisioningState'), '0', 'pre-provisioning');

    const activated = await local.call('IPS', 'HostBasedSetupService', 'Setup', 2, md5(`admin:${realm}:${PASSWORD}`));
    assertShape(activated, 'ips/hostbasedsetup/setup.xml');
    assert.equal(returnValue(activated), 0);
    assert.equal((await readLocalAmtFacts(device)).controlMode, 1, 'PTHI reports client control mode');
  } finally {
    local.close();
    fromNetwork.close();
  }
  assert.deepEqual(await machine.engine.client(AMT_INTERFACE).getProvisioning({}), { state: 'post', mode: 'client' });

  const general = await plain.call('AMT', 'GeneralSettings', 'Get');
  assert.equal(textOf(general, 'g:DigestRealm'), realm);
  assert.equal(textOf(await plain.call('IPS', 'HostBasedSetupService', 'Get'), 'g:CurrentControlMode'), '1');
  // The version page of MPS and MeshCommander (rpc-go reads the versions over PTHI before activation).
  const software = await plain.enumeratePull('CIM', 'SoftwareIdentity');
  assertShape(software.enumerated, 'cim/software/identity/enumerate.xml');
  assertShape(software.pulled, 'cim/software/identity/pull.xml');
  assert.ok(values(software.pulled, 'h:InstanceID').includes('AMT'), 'MeshCommander and MPS need InstanceID AMT');
  const sac = await plain.call('AMT', 'SetupAndConfigurationService', 'Get');
  assertShape(sac, 'amt/setupandconfiguration/get.xml', ['g:ProvisioningServerOTP']);
  assert.deepEqual([textOf(sac, 'g:ProvisioningState'), textOf(sac, 'g:ProvisioningMode')], ['2', '4'], 'post-provisioning, client control');
  const again = await plain.call('IPS', 'HostBasedSetupService', 'Setup', 2, md5(`admin:${realm}:${PASSWORD}`));
  assertShape(again, 'ips/hostbasedsetup/setup.xml');
  assert.equal(returnValue(again), 2, 'invalid state: activated, and not from the host');
});

/** The h: items of a Pull as wsman-messages takes them back. */
const onlyItem = (pulled: string, className: string): Record<string, unknown> => {
  const [item] = itemsOf(pulled, className);
  assert.ok(item !== undefined, `${className}: ${pulled}`);
  return item;
};

test('RPS after activation (brief §3.11-B): unconfiguration reads, time sync, network, features, TLS (server auth, non-TLS kept), CommitChanges; 16993 serves the new certificate', async () => {
  const ethernet = await plain.enumeratePull('AMT', 'EthernetPortSettings');
  assertShape(ethernet.pulled, 'amt/ethernetport/pull.xml', ['h:IPAddress']);
  await unconfigureCiraAnd8021x();
  for (const service of ['PublicKeyCertificate', 'TLSCredentialContext', 'PublicPrivateKeyPair']) {
    assert.match((await plain.enumeratePull('AMT', service)).pulled, /<g:Items><\/g:Items>/, `${service}: nothing left from an earlier configuration`);
  }
  const environment = await plain.call('AMT', 'EnvironmentDetectionSettingData', 'Get');
  assertShape(environment, 'amt/environmentdetection/get.xml', ['g:DetectionStrings']);
  assert.deepEqual(values(environment, 'g:DetectionStrings'), [], 'no detection strings: RPS\'s unconfiguration ends in SUCCESS');
  const tlsData = await plain.enumeratePull('AMT', 'TLSSettingData');
  assertShape(tlsData.pulled, 'amt/tls/settingdata/pull.xml');

  // Time (timeMachine.ts): Tm1 = Tm2 = the console's clock.
  const low = await plain.call('AMT', 'TimeSynchronizationService', 'GetLowAccuracyTimeSynch');
  assertShape(low, 'amt/timesynchronization/getlowaccuracytimesynch.xml');
  const ta0 = Number(textOf(low, 'g:Ta0'));
  assert.ok(Math.abs(ta0 - Date.now() / 1000) < 60, `Ta0 ${ta0} is about now`);
  const tm1 = Math.round(Date.now() / 1000);
  const high = await plain.call('AMT', 'TimeSynchronizationService', 'SetHighAccuracyTimeSynch', ta0, tm1, tm1);
  assertShape(high, 'amt/timesynchronization/sethighaccuracytimesynch.xml');
  assert.equal(returnValue(high), 0);

  // Network (networkConfiguration.ts, wiredNetworkConfiguration.ts): shared FQDN, AMT network and RMCP ping on; DHCP.
  const settings = instanceOf(await plain.call('AMT', 'GeneralSettings', 'Get'), 'AMT_GeneralSettings');
  const putSettings = await plain.call('AMT', 'GeneralSettings', 'Put', { ...settings, SharedFQDN: true, AMTNetworkEnabled: 1, RmcpPingResponseEnabled: true });
  assert.deepEqual([textOf(putSettings, 'g:SharedFQDN'), textOf(putSettings, 'g:AMTNetworkEnabled'), textOf(putSettings, 'g:RmcpPingResponseEnabled')], ['true', '1', 'true']);
  const wired: Record<string, unknown> = { ...onlyItem(ethernet.pulled, 'AMT_EthernetPortSettings'), DHCPEnabled: true, IpSyncEnabled: true, SharedStaticIp: false };
  for (const name of ['IPAddress', 'SubnetMask', 'DefaultGateway', 'PrimaryDNS', 'SecondaryDNS']) delete wired[name];
  const putWired = await plain.call('AMT', 'EthernetPortSettings', 'Put', wired);
  assertShape(putWired, 'amt/ethernetport/put.xml', ['g:DefaultGateway', 'g:IPAddress', 'g:PrimaryDNS', 'g:SecondaryDNS', 'g:SubnetMask']);
  assert.equal(textOf(putWired, 'g:DHCPEnabled'), 'true');

  // Features (featuresConfiguration.ts), profile SOL + IDER + KVM, user consent "All" (the only choice in CCM).
  const redirection = instanceOf(await plain.call('AMT', 'RedirectionService', 'Get'), 'AMT_RedirectionService');
  const optIn = await plain.call('IPS', 'OptInService', 'Get');
  assertShape(optIn, 'ips/optin/get.xml');
  assert.equal(textOf(optIn, 'g:OptInRequired'), '4294967295', 'all: no Put needed in CCM');
  const kvm = await plain.call('CIM', 'KVMRedirectionSAP', 'Get');
  assertShape(kvm, 'cim/kvm/get.xml');
  const stateChange = await plain.call('AMT', 'RedirectionService', 'RequestStateChange', 32771);
  assertShape(stateChange, 'amt/redirectionservice/requeststatechange.xml');
  assert.equal(returnValue(stateChange), 0);
  assert.equal(returnValue(await plain.call('CIM', 'KVMRedirectionSAP', 'RequestStateChange', 2)), 0);
  const putRedirection = await plain.call('AMT', 'RedirectionService', 'Put', { ...redirection, EnabledState: 32771, ListenerEnabled: true });
  assertShape(putRedirection, 'amt/redirectionservice/put.xml');
  assert.deepEqual([textOf(putRedirection, 'g:EnabledState'), textOf(putRedirection, 'g:ListenerEnabled')], ['32771', 'true']);
  assert.match(textOf(await plain.call('CIM', 'KVMRedirectionSAP', 'Get'), 'g:EnabledState') ?? '', /^(2|6)$/, 'KVM on (MeshCentral reads 2 or 6)');

  await configureTls();
});

/** RPS unconfiguration.ts before its TLS steps: 802.1x is disabled, no proxies, rules (each Delete a 400, as RPS expects) or MPS servers. */
async function unconfigureCiraAnd8021x(): Promise<void> {
  const ieee = await plain.call('IPS', 'IEEE8021xSettings', 'Get');
  assertShape(ieee, 'ips/ieee8021x/settings/get.xml');
  assert.equal(textOf(ieee, 'g:Enabled'), '3', 'disabled: no Put needed');
  const proxies = 'http://intel.com/wbem/wscim/1/ips-schema/1/IPS_HTTPProxyAccessPoint'; // no builder in wsman-messages 5.9.1
  const opened = await plain.post(envelope({ action: ACTION.enumerate, resourceUri: proxies, body: ENUMERATE_BODY }));
  const pulled = await plain.post(envelope({ action: ACTION.pull, resourceUri: proxies, body: pullBody(textOf(opened.body, 'g:EnumerationContext') ?? '') }));
  assert.match(pulled.body, /<g:Items><\/g:Items><g:EndOfSequence>/, pulled.body);
  for (const rule of ['User Initiated', 'Alert', 'Periodic']) {
    const deleted = await plain.post(message('AMT', 'RemoteAccessPolicyRule', 'Delete', { name: 'PolicyRuleName', value: rule }));
    assert.deepEqual([deleted.status, /<a:Subcode><a:Value>([^<]*)</.exec(deleted.body)?.[1]], [400, 'b:DestinationUnreachable'], rule);
  }
  assert.match((await plain.enumeratePull('AMT', 'ManagementPresenceRemoteSAP')).pulled, /<g:Items><\/g:Items>/, 'no MPS servers');
}

/** RPS tls.ts, tlsMode 2 (server authentication, non-TLS still accepted): the device's own key, a certificate from the console's CA. */
async function configureTls(): Promise<void> {
  const ca = await createTestCa('vme interop RPS root');
  const root = await plain.call('AMT', 'PublicKeyManagementService', 'AddTrustedRootCertificate', { CertificateBlob: Buffer.from(ca.certificate.rawData).toString('base64') });
  assertShape(root, 'amt/publickey/management/addtrustedrootcertificate.xml');
  assert.equal(returnValue(root), 0);
  const generated = await plain.call('AMT', 'PublicKeyManagementService', 'GenerateKeyPair', { KeyAlgorithm: 0, KeyLength: 2048 });
  assertShape(generated, 'amt/publickey/management/generatekeypair.xml');
  assert.equal(returnValue(generated), 0);
  const keys = (await plain.enumeratePull('AMT', 'PublicPrivateKeyPair')).pulled;
  assertShape(keys, 'amt/publicprivate/pull.xml');
  const derKey = Buffer.from(textOf(keys, 'h:DERKey') ?? '', 'base64');
  const leaf = await issueServerCertificate(ca, derKey);
  const added = await plain.call('AMT', 'PublicKeyManagementService', 'AddCertificate', { CertificateBlob: Buffer.from(leaf.rawData).toString('base64') });
  assertShape(added, 'amt/publickey/management/addcertificate.xml');
  assert.equal(returnValue(added), 0);
  const handle = /<c:Selector Name="InstanceID">([^<]*)</.exec(added)?.[1] ?? '';
  assert.match((await plain.enumeratePull('AMT', 'TLSCredentialContext')).pulled, /<g:Items><\/g:Items>/);
  assertShape(await plain.call('AMT', 'TLSCredentialContext', 'Create', handle), 'amt/tls/credentialcontext/create.xml');

  const [remote, local] = itemsOf((await plain.enumeratePull('AMT', 'TLSSettingData')).pulled, 'AMT_TLSSettingData');
  assert.ok(remote !== undefined && local !== undefined);
  const putRemote = await plain.call('AMT', 'TLSSettingData', 'Put', { ...remote, Enabled: true, AcceptNonSecureConnections: true, MutualAuthentication: false });
  assertShape(putRemote, 'amt/tls/settingdata/put.xml');
  await plain.call('AMT', 'TLSSettingData', 'Put', { ...local, Enabled: true });
  const commit = await plain.call('AMT', 'SetupAndConfigurationService', 'CommitChanges');
  assertShape(commit, 'amt/setupandconfiguration/commitchanges.xml');
  assert.equal(returnValue(commit), 0);

  const fingerprint = new X509Certificate(Buffer.from(leaf.rawData)).fingerprint256;
  secure = new AmtConsole({ host: address, port: 16993, user: 'admin', password: PASSWORD, tls: { fingerprint } });
  assert.equal(textOf(await secure.call('AMT', 'GeneralSettings', 'Get'), 'g:DigestRealm'), realm, 'TLS with the pinned new certificate');
  assert.equal(returnValue(await plain.call('AMT', 'TimeSynchronizationService', 'GetLowAccuracyTimeSynch')), 0, 'plain 16992 still answers (AcceptNonSecureConnections)');
}

/** RPS signs a certificate for the key AMT generated (PKCS#1 DERKey) with its own root. */
async function issueServerCertificate(ca: Awaited<ReturnType<typeof createTestCa>>, pkcs1: Buffer): Promise<x509.X509Certificate> {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
  const spki = createPublicKey({ key: pkcs1, format: 'der', type: 'pkcs1' }).export({ type: 'spki', format: 'der' });
  const publicKey = await webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']);
  return x509.X509CertificateGenerator.create({
    serialNumber: '2a', subject: 'CN=vme-interop-device', issuer: ca.certificate.subject, notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 86_400_000), signingAlgorithm: algorithm, publicKey, signingKey: ca.keys.privateKey,
    extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth])],
  });
}

/** The console for the remaining steps: TLS once RPS configured it. */
const admin = (): AmtConsole => secure ?? plain;

/** MPS getPowerState: Enumerate + Pull CIM_ServiceAvailableToElement → the one PowerState. */
async function powerState(): Promise<string | undefined> {
  const { enumerated, pulled } = await admin().enumeratePull('CIM', 'ServiceAvailableToElement');
  assertShape(enumerated, 'cim/service/availabletoelement/enumerate.xml');
  assertShape(pulled, 'cim/service/availabletoelement/pull.xml');
  return values(pulled, 'h:PowerState')[0];
}

/** MPS powerAction: the boot options cleared by a Put, then RequestPowerStateChange; its ReturnValue. */
async function mpsPowerAction(value: number): Promise<number> {
  const current = instanceOf(await admin().call('AMT', 'BootSettingData', 'Get'), 'AMT_BootSettingData');
  await admin().call('AMT', 'BootSettingData', 'Put', { ...current, BIOSSetup: false, UseIDER: false, IDERBootDevice: 0, UseSOL: false });
  if (value === 2) assertShape(await admin().call('IPS', 'PowerManagementService', 'Get'), 'ips/power/managementservice/get.xml', ['g:OSPowerSavingState']);
  const reply = await admin().call('CIM', 'PowerManagementService', 'RequestPowerStateChange', value);
  assertShape(reply, 'cim/power/managementservice/requestpowerstatechange.xml');
  return returnValue(reply);
}

const resets = (): number => hostEvents.filter((e) => e.kind === 'power' && e.change.action === 'reset').length;
const booted = (): boolean => machine.host.state().phase === 'os' && machine.host.state().os === 'running';

test('power over WS-Man: PowerState 2 while the host runs; 8 turns it off; 2 powers it on and it POSTs; 10 resets it', async () => {
  assert.equal(await powerState(), '2');
  assert.equal(await mpsPowerAction(8), 0);
  await waitUntil(() => machine.host.state().powerState === 'S5', 'the host to go off');
  assert.equal(await powerState(), '8');
  const posts = hostEvents.filter((e) => e.kind === 'post-outcome').length;
  assert.equal(await mpsPowerAction(2), 0);
  await waitUntil(booted, 'the host to POST and boot');
  assert.ok(hostEvents.filter((e) => e.kind === 'post-outcome').length > posts, 'a POST ran');
  assert.equal(await powerState(), '2');
  const before = resets();
  assert.equal(await mpsPowerAction(10), 0);
  await waitUntil(() => resets() > before && booted(), 'the reset and the boot after it');
  assert.equal(machine.host.state().bootDevice, 'disk');
});

test('boot to PXE as MPS does it: the reset boots PXE once, the next reset the disk again', async () => {
  const current = instanceOf(await admin().call('AMT', 'BootSettingData', 'Get'), 'AMT_BootSettingData');
  assertShape(await admin().call('CIM', 'BootConfigSetting', 'ChangeBootOrder'), 'cim/boot/configsetting/changebootorder.xml');
  const put = await admin().call('AMT', 'BootSettingData', 'Put', {
    ...current, BIOSPause: false, BIOSSetup: false, BootMediaIndex: 0, ConfigurationDataReset: false, FirmwareVerbosity: 0, ForcedProgressEvents: false,
    IDERBootDevice: 0, LockKeyboard: false, LockPowerButton: false, LockResetButton: false, LockSleepButton: false, ReflashBIOS: false,
    UseIDER: false, UseSOL: false, UseSafeMode: false, UserPasswordBypass: false, SecureErase: false,
  });
  assert.equal(textOf(put, 'g:BIOSSetup'), 'false'); // amt/boot/settingdata/put.xml is the request, not a reply
  const role = await admin().call('CIM', 'BootService', 'SetBootConfigRole', 'Intel(r) AMT: Boot Configuration 0', 1);
  assertShape(role, 'cim/boot/service/setbootconfigrole.xml');
  assert.equal(returnValue(role), 0);
  const order = await admin().call('CIM', 'BootConfigSetting', 'ChangeBootOrder', 'Intel(r) AMT: Force PXE Boot');
  assert.equal(returnValue(order), 0);
  const before = resets();
  const reset = await admin().call('CIM', 'PowerManagementService', 'RequestPowerStateChange', 10);
  assert.equal(returnValue(reset), 0);
  await waitUntil(() => resets() > before && booted(), 'the reset to PXE');
  assert.equal(machine.host.state().bootDevice, 'pxe');
  assert.equal(textOf(await admin().call('AMT', 'BootSettingData', 'Get'), 'g:OptionsCleared'), 'true', 'the boot consumed the options');

  const again = resets();
  assert.equal(await mpsPowerAction(10), 0);
  await waitUntil(() => resets() > again && booted(), 'the plain reset');
  assert.equal(machine.host.state().bootDevice, 'disk');
});

/** MPS getHardwareInfo / MeshCentral's inventory (brief §3.2): Gets and Enumerate+Pulls, each with its recording. */
const INVENTORY_GETS: readonly (readonly [string, string])[] = [
  ['ComputerSystemPackage', 'cim/computer/systempackage/get.xml'], ['Chassis', 'cim/chassis/get.xml'],
  ['Card', 'cim/card/get.xml'], ['BIOSElement', 'cim/bios/element/get.xml'],
];
const INVENTORY_PULLS: readonly (readonly [string, string])[] = [
  ['Processor', 'cim/physical/processor'], ['PhysicalMemory', 'cim/physical/memory'], ['MediaAccessDevice', 'cim/mediaaccess'],
  ['PhysicalPackage', 'cim/physical/package'], ['SystemPackaging', 'cim/system/packaging'], ['Chip', 'cim/chip'],
];

test('hardware inventory as MPS and MeshCentral read it: every Get and Enumerate/Pull answers 200 with items of the recorded shape', async () => {
  for (const [service, path] of INVENTORY_GETS) assertShape(await plain.call('CIM', service, 'Get'), path);
  for (const [service, path] of INVENTORY_PULLS) {
    const { enumerated, pulled } = await plain.enumeratePull('CIM', service);
    assertShape(enumerated, `${path}/enumerate.xml`);
    assertShape(pulled, `${path}/pull.xml`);
    assert.doesNotMatch(pulled, /<g:Items><\/g:Items>/, `${service} has items`);
  }
  const chips = (await plain.enumeratePull('CIM', 'Chip')).pulled;
  assert.ok(chips.includes('<h:ElementName>Managed System Processor Chip</h:ElementName>'), 'MeshCentral reads the CPU name from this chip');
  assert.ok(values((await plain.enumeratePull('CIM', 'PhysicalMemory')).pulled, 'h:Capacity').every((c) => Number(c) > 0));
});

const curl = (password: string): ReturnType<typeof runPeer> => runPeer('curl', [
  '-sS', '-i', '--max-time', '20', '--digest', '-u', `admin:${password}`, '-H', 'Content-Type: application/soap+xml; charset=utf-8',
  '--data-binary', message('AMT', 'GeneralSettings', 'Get'), `http://${address}:16992/wsman`,
], { timeoutMs: 30_000 });

/** The last response curl printed (after its Digest round trip). */
const lastResponse = (stdout: string): string => stdout.slice(stdout.lastIndexOf('HTTP/1.1 '));

test('curl --digest with a wrong password: 401 with AMT\'s page and Connection: close; 10 failures lock even the right password out until the lock ends', async () => {
  const wrong = lastResponse((await curl('Wr0ng-P@ssword')).stdout);
  assert.match(wrong, /^HTTP\/1\.1 401 Unauthorized\r\n/);
  assert.match(wrong, /\r\nConnection: close\r\n/i);
  assert.match(wrong, /\r\nWWW-Authenticate: Digest realm="Digest:[0-9A-F]{32}", nonce="[^"]+",stale="false",qop="auth"\r\n/);
  assert.ok(wrong.includes(UNAUTHORIZED_MESSAGE), wrong);
  for (let failures = 1; failures < 10; failures++) assert.match(lastResponse((await curl(`Wr0ng-${failures}`)).stdout), /^HTTP\/1\.1 401 /);
  const lockedAt = Date.now();
  const locked = lastResponse((await curl(PASSWORD)).stdout);
  assert.match(locked, /^HTTP\/1\.1 401 /, 'the right password is refused while locked');
  assert.ok(locked.includes(UNAUTHORIZED_MESSAGE), 'the same page: "... or user account temporarily locked"');
  // The first lock lasts 5 s (src/amt/auth/lockout.ts); the platform's clock is real time, so wait it out.
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, lockedAt + 5_500 - Date.now())));
  assert.match(lastResponse((await curl(PASSWORD)).stdout), /^HTTP\/1\.1 200 OK\r\n/, 'the admin gets in again after the lock');
});
