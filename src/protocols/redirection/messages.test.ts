// The redirection declarations against the byte strings of the brief (§4.1–§4.3) and amtterm's
// `redir.c`: sizes, little-endian fields, element strings, and typed errors for bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeElements, encodeFrame, readFrame, RedirectionError, REDIRECTION_MESSAGES } from './index.js';
import { consoleMessages as c } from './testing.js';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

test('fixed sizes as amtterm expects them', () => {
  const sizes = Object.fromEntries(Object.values(REDIRECTION_MESSAGES).map((m) => [m.label, m.head.size]));
  assert.equal(sizes['StartRedirectionSession'], 8);
  assert.equal(sizes['StartRedirectionSessionReply'], 13);
  assert.equal(sizes['EndRedirectionSession'], 4);
  assert.equal(sizes['AuthenticateSession'], 9);
  assert.equal(sizes['StartSOLRedirection'], 24);
  assert.equal(sizes['StartSOLRedirectionReply'], 23);
  assert.equal(sizes['EndSOLRedirection'], 8);
  assert.equal(sizes['SOLHeartbeat'], 8);
  assert.equal(sizes['SOLControlsToHost'], 14);
  assert.equal(sizes['SOLDataToHost'], 10);
  assert.equal(sizes['SOLControlsFromHost'], 10);
});

test('the brief\'s byte strings', () => {
  assert.equal(hex(c.start()), '10000000534f4c20');
  assert.equal(hex(c.start('kvm')), '100100004b564d52');
  assert.equal(hex(c.end()), '12000000');
  assert.equal(hex(c.query()), '130000000000000000');
  assert.equal(hex(c.plain('admin', 'pw')), `13000000010900000005${Buffer.from('admin').toString('hex')}02${Buffer.from('pw').toString('hex')}`);
  assert.equal(hex(c.startSol()), '2000000000000000e80364000000102700008813' + '00000000');
  assert.equal(hex(c.data('ab')), '280000000000000002006162');
});

test('readFrame: complete, incomplete, unknown and oversized', () => {
  const data = c.data('hello');
  assert.equal(readFrame(data.subarray(0, 9), 'console'), undefined);
  assert.equal(readFrame(data.subarray(0, 12), 'console'), undefined);
  const whole = readFrame(Buffer.concat([data, c.end()]), 'console');
  assert.equal(whole?.size, 15);
  assert.equal(Buffer.from(whole?.frame.payload ?? []).toString(), 'hello');
  assert.throws(() => readFrame(Uint8Array.of(0x77), 'console'), (e: unknown) => e instanceof RedirectionError && e.code === 'VME_ERR_REDIRECTION_MALFORMED');
  assert.throws(() => readFrame(encodeFrame('solDataFromHost'), 'console'), RedirectionError, 'a device message from the console');
  assert.throws(() => readFrame(Uint8Array.of(0x13, 0, 0, 0, 4, 0, 0, 1, 0), 'console'), /oversized/);
  assert.throws(() => readFrame(Uint8Array.of(0x28, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff), 'console'), /oversized/);
});

test('element strings: round trip, and a string past the end is malformed', () => {
  assert.deepEqual(decodeElements(Uint8Array.of(1, 0x61, 0, 2, 0x62, 0x63)), ['a', '', 'bc']);
  assert.throws(() => decodeElements(Uint8Array.of(3, 0x61)), (e: unknown) => e instanceof RedirectionError && /truncated/.test(e.message));
});
