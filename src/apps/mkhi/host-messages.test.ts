// MKHI host messages: GET_FW_VERSION golden bytes, header values pinned to coreboot's cse.h, refusals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerMkhi, MkhiHeader, MKHI_GEN_COMMAND, MKHI_GROUP, parseVersion } from './host-messages.js';

test('group and command numbers are those of coreboot cse.h', () => {
  assert.deepEqual(MKHI_GROUP, { cbm: 0x00, fwcaps: 0x03, hmrfpo: 0x05, bupCommon: 0xf0, gen: 0xff });
  assert.equal(MKHI_GEN_COMMAND.getFwVersion, 0x02);
  assert.equal(MKHI_GEN_COMMAND.endOfPost, 0x0c);
  assert.equal(MkhiHeader.size, 4);
});

test('GET_FW_VERSION answers with the response bit and three minor-first versions', () => {
  const reply = answerMkhi(Uint8Array.of(0xff, 0x02, 0x00, 0x00), '16.1.25.1932');
  assert.deepEqual([...reply], [
    0xff, 0x82, 0x00, 0x00, // group GEN, command 0x02 | is_response, reserved, result 0
    0x01, 0x00, 0x10, 0x00, 0x8c, 0x07, 0x19, 0x00, // code: minor 1, major 16, build 1932, hotfix 25
    0x01, 0x00, 0x10, 0x00, 0x8c, 0x07, 0x19, 0x00, // recovery
    0x01, 0x00, 0x10, 0x00, 0x8c, 0x07, 0x19, 0x00, // FITC
  ]);
  assert.deepEqual(parseVersion('1.2.3.4'), { major: 1, minor: 2, hotfix: 3, build: 4 });
});

test('short messages and unsupported commands are app errors, not faults', () => {
  assert.throws(() => answerMkhi(Uint8Array.of(0xff, 0x02), '1.0.0.0'), { name: 'AppError', status: 'malformed' });
  assert.throws(() => answerMkhi(Uint8Array.of(0xff, 0x0c, 0, 0), '1.0.0.0'), { name: 'AppError', status: 'unsupported-command' });
});
