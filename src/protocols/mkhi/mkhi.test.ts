// MKHI declarations and server against brief §5.4 / me-internals §3.6 (coreboot cse.h) and
// intel/lms: numbers pinned, golden bytes, End-of-POST policy per command, malformed input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as k from './index.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const message = (group: number, command: number, body: Uint8Array = new Uint8Array()) => Uint8Array.from([group, command, 0, 0, ...body]);
const msg = (name: k.MkhiCommandName, body?: Uint8Array) => message(k.MKHI_COMMAND[name].group, k.MKHI_COMMAND[name].command, body);

function rig() {
  const events: string[] = [];
  const platform = {
    endOfPost: false,
    firmware: { version: '16.1.27.2225', recoveryVersion: '16.1.25.2000' },
    partition: 'NFTP' as const,
    partitionRanges: { FTPR: { start: 0x3000, end: 0x13000 }, NFTP: { start: 0x13000, end: 0x33000 } },
    featureList: ['amt', 'kvm', 'tls'] as k.FeatureName[],
    features: () => platform.featureList,
    firmwareUpdateEnabled: true,
    isEndOfPost: () => platform.endOfPost,
  };
  const server = k.createMkhiServer({
    platform,
    onEndOfPost: () => { platform.endOfPost = true; events.push('eop'); },
    onGlobalReset: (type) => events.push(`reset ${type}`),
    onDataClear: () => events.push('clear'),
  });
  return { server, platform, events };
}

test('groups, commands and results are the brief §5.4 / intel/lms numbers', () => {
  assert.deepEqual({ ...k.MKHI_GROUP }, { cbm: 0x00, fwcaps: 0x03, hmrfpo: 0x05, bupCommon: 0xf0, gen: 0xff });
  const pairs = Object.fromEntries(Object.entries(k.MKHI_COMMAND).map(([n, c]) => [n, [c.group, c.command]]));
  assert.deepEqual(pairs, {
    globalReset: [0x00, 0x0b], getRule: [0x03, 0x02], hmrfpoEnable: [0x05, 0x01], hmrfpoGetStatus: [0x05, 0x03],
    getBootPartitionInfo: [0xf0, 0x1c], setBootPartitionInfo: [0xf0, 0x1d], dataClear: [0xf0, 0x20],
    getFwVersion: [0xff, 0x02], endOfPost: [0xff, 0x0c], getEopState: [0xff, 0x1d],
  });
  assert.equal(k.MKHI_RESPONSE_BIT, 0x80);
  assert.deepEqual({ ...k.MKHI_RESULT }, {
    success: 0, invalidState: 1, messageSkipped: 2, sizeError: 5, notFound: 0x81, invalidAccess: 0x84, invalidParams: 0x85,
    notReady: 0x88, notSupported: 0x89, invalidCommand: 0x8d, generalError: 0xff,
  });
  assert.deepEqual({ ...k.HMRFPO_STATUS }, { disabled: 0, locked: 1, enabled: 2 });
  assert.deepEqual({ ...k.FWCAPS_RULE }, { fwSku: 0, fwUpdate: 7, featureState: 0x20 });
  assert.equal(k.FEATURE_BIT.amt, 2);
  assert.equal(k.FEATURE_BIT.ptt, 29);
  for (const [name, c] of Object.entries(k.MKHI_COMMAND)) assert.equal(k.MKHI_COMMAND_BY_CODE.get(k.mkhiCode(c.group, c.command)), name);
});

test('sizes match the coreboot structures', () => {
  assert.equal(k.MkhiHeader.size, 4);
  assert.equal(k.GetFwVersionResponse.size, 24); // me_fw_ver_resp minus header
  assert.equal(k.GetRuleResponse.size, 9); // rule_id, rule_len, fw_runtime_status (packed)
  assert.equal(k.HmrfpoEnableResponse.size, 12);
  assert.equal(k.BootPartitionEntry.size, 32);
  assert.equal(k.GetBootPartitionInfoResponse.size, 4 + 3 * 32);
});

test('GET_FW_VERSION golden reply: header with the response bit, then minor-first versions', () => {
  const { server } = rig();
  assert.equal(hex(server.handle(msg('getFwVersion'))),
    'ff' + '82' + '00' + '00' + // group GEN, command 0x02 | response bit, reserved, result 0
    '0100' + '1000' + 'b108' + '1b00' + // code: minor 1, major 16, build 2225, hotfix 27
    '0100' + '1000' + 'd007' + '1900' + // recovery: 16.1.25.2000
    '0100' + '1000' + 'b108' + '1b00'); // FITC: same as code
});

test('FWCAPS GET_RULE golden replies; unknown rule is INVALID_PARAMS; the feature bits are asked per message', () => {
  const { server, platform } = rig();
  assert.equal(hex(server.handle(msg('getRule', Uint8Array.of(0x20, 0, 0, 0)))),
    '03820000' + // FWCAPS, 0x02 | response, result 0
    '20000000' + // rule id 0x20 (feature state)
    '04' + // rule data length 4
    '04002400'); // bits 2 AMT, 18 KVM, 21 TLS = 0x00240004
  assert.equal(hex(server.handle(msg('getRule', Uint8Array.of(7, 0, 0, 0)))), '03820000' + '07000000' + '04' + '01000000');
  assert.equal(hex(server.handle(msg('getRule', Uint8Array.of(0x1d, 0, 0, 0)))), '03820085');
  platform.featureList = ['tls'];
  assert.equal(hex(server.handle(msg('getRule', Uint8Array.of(0x20, 0, 0, 0)))), '03820000' + '20000000' + '04' + '00002000');
  assert.equal(hex(server.handle(msg('getRule', Uint8Array.of(0, 0, 0, 0)))), '03820000' + '00000000' + '04' + '00002000');
});

test('GET_BOOT_PARTITION_INFO reports RO = FTPR and RW = NFTP', () => {
  const { server } = rig();
  const reply = server.handle(msg('getBootPartitionInfo', new Uint8Array(4)));
  assert.equal(hex(reply.subarray(0, 8)), 'f09c0000' + '02' + '01' + '01' + '01'); // 2 partitions, current RW, next RW, redundancy
  const ro = k.BootPartitionEntry.parse(reply, 8);
  const rw = k.BootPartitionEntry.parse(reply, 8 + 32);
  assert.deepEqual([ro.major, ro.minor, ro.hotfix, ro.build, ro.startOffset, ro.endOffset], [16, 1, 25, 2000, 0x3000, 0x13000]);
  assert.deepEqual([rw.major, rw.hotfix, rw.build, rw.status], [16, 27, 2225, 0]);
  assert.equal(hex(server.handle(msg('setBootPartitionInfo', Uint8Array.of(0, 0, 0, 0)))), 'f09d0000');
  assert.equal(server.handle(msg('getBootPartitionInfo', new Uint8Array(4)))[6], 0);
  assert.equal(hex(server.handle(msg('setBootPartitionInfo', Uint8Array.of(5, 0, 0, 0)))), 'f09d0085');
});

test('END_OF_POST: golden reply, the engine is told, and EOP state / HMRFPO status follow', () => {
  const { server, events } = rig();
  assert.equal(hex(server.handle(msg('getEopState'))), 'ff9d0000' + '00000000');
  assert.equal(hex(server.handle(msg('hmrfpoGetStatus'))), '05830000' + '00000000'); // disabled
  assert.equal(hex(server.handle(msg('endOfPost'))), 'ff8c0000' + '00000000'); // requested action 0: continue boot
  assert.deepEqual(events, ['eop']);
  assert.equal(hex(server.handle(msg('getEopState'))), 'ff9d0000' + '01000000');
  assert.equal(hex(server.handle(msg('hmrfpoGetStatus'))), '05830000' + '01000000'); // locked
});

test('HMRFPO_ENABLE before End-of-POST enables the override', () => {
  const { server } = rig();
  assert.equal(hex(server.handle(msg('hmrfpoEnable', new Uint8Array(8)))), '05810000' + '00000000' + '00000000' + '00' + '000000');
  assert.equal(hex(server.handle(msg('hmrfpoGetStatus'))), '05830000' + '02000000');
});

test('every pre-boot-only command is answered before End-of-POST and refused after it', () => {
  const bodies: Partial<Record<k.MkhiCommandName, Uint8Array>> = {
    hmrfpoEnable: new Uint8Array(8), setBootPartitionInfo: new Uint8Array(4), globalReset: Uint8Array.of(2, 1),
  };
  const names = Object.keys(k.MKHI_PRE_BOOT_ONLY) as k.MkhiCommandName[];
  assert.deepEqual(names.sort(), ['dataClear', 'endOfPost', 'globalReset', 'hmrfpoEnable', 'setBootPartitionInfo']);
  for (const name of names) {
    const { server, platform, events } = rig();
    assert.equal(server.handle(msg(name, bodies[name]))[3], 0, `${name} before EOP`);
    platform.endOfPost = true;
    const refusal = k.MKHI_PRE_BOOT_ONLY[name];
    const reply = server.handle(msg(name, bodies[name]));
    assert.equal(reply[3], refusal?.result, name);
    assert.equal(hex(reply.subarray(4)), hex(refusal?.data ?? new Uint8Array()), name);
    assert.ok(events.length <= 1, `${name}: no side effect after EOP (${events.join(',')})`);
  }
  const { server, platform } = rig();
  platform.endOfPost = true;
  const locked = server.handle(msg('hmrfpoEnable', new Uint8Array(8)));
  assert.equal(hex(locked), '05810000' + '00000000' + '00000000' + '01' + '000000'); // status 1 LOCKED
  assert.equal(server.handle(msg('getFwVersion'))[3], 0); // read-only commands still answer
});

test('malformed messages: short, unknown, response bit set, wrong body size; random bytes never throw', () => {
  const { server } = rig();
  assert.equal(hex(server.handle(Uint8Array.of(0xff, 0x02))), 'ff820005');
  assert.equal(hex(server.handle(message(0xff, 0x7e))), 'fffe008d');
  assert.equal(hex(server.handle(message(0x42, 0x01))), '4281008d');
  assert.equal(hex(server.handle(message(0xff, 0x82))), 'ff82008d');
  assert.equal(hex(server.handle(msg('getFwVersion', Uint8Array.of(0)))), 'ff820005');
  assert.equal(hex(server.handle(msg('getRule'))), '03820005');
  let seed = 99;
  const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
  for (let i = 0; i < 2000; i++) {
    const input = Uint8Array.from({ length: next() % 40 }, () => next() & 0xff);
    const reply = server.handle(input);
    assert.ok(reply.length >= 4 && (reply[1] ?? 0) & 0x80);
  }
});

test('HFSTS1 and HFSTS3 words: normal working state, init complete, HMRFPO mode, SKU', () => {
  const words = k.firmwareStatus({ recovery: false, hmrfpoEnabled: false, sku: 'corporate' });
  assert.equal(words.hfsts1, 0x00000605); // working state 5, FW init complete (bit 9), FT-BUP loaded (bit 10)
  assert.equal(k.Hfsts1.get(k.firmwareStatus({ recovery: true, hmrfpoEnabled: true, sku: 'corporate' }).hfsts1, 'operatingMode'), 5);
  assert.equal(words.hfsts3, 0x30); // FW SKU 3 corporate in bits 6:4
  assert.deepEqual({ ...k.HFSTS_OFFSETS }, { hfsts1: 0x40, hfsts2: 0x48, hfsts3: 0x60, hfsts4: 0x64, hfsts5: 0x68, hfsts6: 0x6c });
});
