// APF declarations against the brief (amt-protocol.md §5.5): type numbers, golden bytes with one
// comment per field, sizes the peers depend on, round trips, and each malformed shape's ApfError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { APF_TYPE, ApfError, APF_MESSAGES, apf, decodeApf, encodeApf, type ApfMessage } from './index.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
const str = (s: string): string => `${s.length.toString(16).padStart(8, '0')}${Buffer.from(s, 'latin1').toString('hex')}`;

test('message type numbers are the brief\'s', () => {
  assert.deepEqual(
    Object.values(APF_MESSAGES).map((m) => [m.label, m.type]),
    [['DISCONNECT', 1], ['SERVICE_REQUEST', 5], ['SERVICE_ACCEPT', 6], ['USERAUTH_REQUEST', 50], ['USERAUTH_FAILURE', 51], ['USERAUTH_SUCCESS', 52],
      ['GLOBAL_REQUEST', 80], ['REQUEST_SUCCESS', 81], ['REQUEST_FAILURE', 82], ['CHANNEL_OPEN', 90], ['CHANNEL_OPEN_CONFIRMATION', 91],
      ['CHANNEL_OPEN_FAILURE', 92], ['CHANNEL_WINDOW_ADJUST', 93], ['CHANNEL_DATA', 94], ['CHANNEL_CLOSE', 97], ['PROTOCOLVERSION', 192],
      ['KEEPALIVE_REQUEST', 208], ['KEEPALIVE_REPLY', 209], ['KEEPALIVE_OPTIONS_REQUEST', 210], ['KEEPALIVE_OPTIONS_REPLY', 211]],
  );
  assert.equal(APF_TYPE.channelData, 94);
});

test('fixed sizes the peers check: DISCONNECT 7, PROTOCOLVERSION 93, OPEN_CONFIRMATION/FAILURE 17', () => {
  assert.equal(APF_MESSAGES.disconnect.minSize, 7);
  assert.equal(APF_MESSAGES.protocolVersion.minSize, 93);
  assert.equal(APF_MESSAGES.channelOpenConfirmation.minSize, 17);
  assert.equal(APF_MESSAGES.channelOpenFailure.minSize, 17);
  assert.equal(APF_MESSAGES.channelWindowAdjust.minSize, 9);
  assert.equal(APF_MESSAGES.channelData.minSize, 9);
});

test('PROTOCOLVERSION golden bytes (big-endian, UUID as given, 64 reserved)', () => {
  const uuid = hex('00112233445566778899aabbccddeeff');
  const bytes = encodeApf(apf('protocolVersion', { major: 1, minor: 0, triggerReason: 9, uuid }));
  assert.equal(Buffer.from(bytes.subarray(0, 29)).toString('hex'), [
    'c0', // type 192
    '00000001', // major
    '00000000', // minor
    '00000009', // trigger reason (rpc-go's LME value)
    '00112233445566778899aabbccddeeff', // system UUID
  ].join(''));
  assert.ok(bytes.subarray(29).every((b) => b === 0));
});

test('CHANNEL_OPEN golden bytes as rpc-go sends it on LME', () => {
  const expected = hex([
    '5a', // type 90
    str('forwarded-tcpip'),
    '00000001', // sender channel
    '00001000', // initial window 4096
    'ffffffff', // reserved
    str('::1'), '00004260', // connected address, port 16992
    str('::1'), '0000007b', // originator address, port 123
  ].join(''));
  const m = apf('channelOpen', {
    channelType: 'forwarded-tcpip', senderChannel: 1, initialWindow: 4096, reserved: 0xffffffff,
    connectedAddress: '::1', connectedPort: 16992, originatorAddress: '::1', originatorPort: 123,
  });
  assert.deepEqual(encodeApf(m), expected);
  assert.deepEqual(decodeApf(expected), m);
});

test('GLOBAL_REQUEST tcpip-forward, REQUEST_SUCCESS(port) and the cancel reply without a port', () => {
  const forward = hex(`50${str('tcpip-forward')}01${str('')}00004260`);
  assert.deepEqual(decodeApf(forward), { kind: 'globalRequest', request: 'tcpip-forward', wantReply: 1, forward: { address: '', port: 16992 } });
  assert.deepEqual(encodeApf(apf('requestSuccess', { port: 16992 })), hex('5100004260'));
  assert.deepEqual(encodeApf(apf('requestSuccess')), hex('51'));
  assert.deepEqual(decodeApf(hex('51')), { kind: 'requestSuccess', port: undefined });
});

test('DISCONNECT, CHANNEL_DATA, WINDOW_ADJUST and CLOSE golden bytes', () => {
  assert.deepEqual(encodeApf(apf('disconnect', { reason: 2 })), hex('01 00000002 0000'));
  assert.deepEqual(encodeApf(apf('channelData', { recipientChannel: 3, data: hex('474554') })), hex('5e 00000003 00000003 474554'));
  assert.deepEqual(encodeApf(apf('channelWindowAdjust', { recipientChannel: 3, bytesToAdd: 4096 })), hex('5d 00000003 00001000'));
  assert.deepEqual(encodeApf(apf('channelClose', { recipientChannel: 3 })), hex('61 00000003'));
});

test('USERAUTH_REQUEST with and without the password part', () => {
  const withPassword = apf('userauthRequest', { user: 'mps', service: 'pfwd@amt.intel.com', method: 'password', password: { changePassword: 0, password: 'secret' } });
  assert.deepEqual(decodeApf(encodeApf(withPassword)), withPassword);
  const none = apf('userauthRequest', { user: 'u', service: 'pfwd@amt.intel.com', method: 'none', password: undefined });
  assert.deepEqual(decodeApf(encodeApf(none)), none);
});

test('every message round-trips from its defaults', () => {
  for (const kind of Object.keys(APF_MESSAGES) as ApfMessage['kind'][]) {
    const m = apf(kind) as ApfMessage;
    assert.deepEqual(decodeApf(encodeApf(m)), m, kind);
  }
});

const reasonOf = (bytes: Uint8Array, max?: number): string => {
  try {
    decodeApf(bytes, max);
  } catch (error) {
    assert.ok(error instanceof ApfError);
    assert.equal(error.code, 'VME_ERR_APF_MALFORMED');
    return error.problem.reason;
  }
  return 'accepted';
};

test('malformed messages: empty, unknown type, truncated, oversized, trailing bytes', () => {
  assert.equal(reasonOf(new Uint8Array()), 'truncated');
  assert.equal(reasonOf(hex('02')), 'unknown type');
  assert.equal(reasonOf(hex('61 000000')), 'truncated'); // CHANNEL_CLOSE short by one byte
  assert.equal(reasonOf(hex('61 00000003 00')), 'trailing bytes');
  assert.equal(reasonOf(hex('5e 00000003 00000010 4142')), 'truncated'); // data length past the end
  assert.equal(reasonOf(hex('05 7fffffff')), 'oversized'); // service name of 2 GiB
  assert.equal(reasonOf(hex(`05${str('x'.repeat(65))}`)), 'oversized');
  assert.equal(reasonOf(new Uint8Array(5000).fill(0x5e), 4096), 'oversized');
  assert.equal(reasonOf(hex('c0 00000001')), 'truncated');
  assert.equal(reasonOf(hex('61 00000003')), 'accepted');
});

test('the error names the message, field and offset', () => {
  try {
    decodeApf(hex(`5a${str('forwarded-tcpip')}00000001`));
    assert.fail('accepted');
  } catch (error) {
    assert.ok(error instanceof ApfError);
    assert.deepEqual(error.problem, { message: 'CHANNEL_OPEN', field: 'initialWindow', offset: 24, reason: 'truncated' });
  }
});
