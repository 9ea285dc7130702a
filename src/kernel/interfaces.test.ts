// Declared interfaces: the dispatcher check (operation, caller, fields, sizes) and the derived client.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCall, checkFields, checkReply, defineInterface, makeClient } from './interfaces.js';

const SPEC = defineInterface({
  app: 'demo',
  operations: {
    put: {
      args: { key: { type: 'string', maxLength: 4 }, value: { type: 'bytes', maxBytes: 2 }, n: { type: 'integer', min: 0, max: 9 }, flag: { type: 'boolean' }, tags: { type: 'strings', maxItems: 2, maxLength: 3 } },
      reply: { ok: { type: 'boolean' } },
      allowedCallers: ['alpha'],
    },
  },
});
const good = { key: 'abcd', value: Uint8Array.of(1, 2), n: 9, flag: false, tags: ['x', 'yyy'] };
const ENTRIES = { type: 'entries', maxItems: 2, maxKeyLength: 3, maxBytes: 2, maxTotalBytes: 3 } as const;

test('a well-formed call from an allowed caller passes', () => {
  checkCall(SPEC, 'put', 'alpha', good);
  checkReply(SPEC, 'put', { ok: true });
});

test('unknown operations and disallowed callers are VME_ERR_IPC_DENIED (also for inherited names)', () => {
  assert.throws(() => checkCall(SPEC, 'get', 'alpha', {}), { code: 'VME_ERR_IPC_DENIED' });
  assert.throws(() => checkCall(SPEC, 'toString', 'alpha', {}), { code: 'VME_ERR_IPC_DENIED' });
  assert.throws(() => checkCall(SPEC, 'put', 'beta', good), { code: 'VME_ERR_IPC_DENIED' });
});

test('each field limit is enforced at its boundary', () => {
  const bad: Record<string, unknown>[] = [
    { ...good, key: 'abcde' }, { ...good, value: Uint8Array.of(1, 2, 3) }, { ...good, value: [1] }, { ...good, n: 10 }, { ...good, n: 1.5 },
    { ...good, flag: 0 }, { ...good, tags: ['a', 'b', 'c'] }, { ...good, tags: ['abcd'] }, { ...good, extra: 1 }, { key: 'a' },
  ];
  for (const args of bad) assert.throws(() => checkCall(SPEC, 'put', 'alpha', args), { code: 'VME_ERR_IPC_INVALID' }, JSON.stringify(args));
  assert.throws(() => checkCall(SPEC, 'put', 'alpha', null), { code: 'VME_ERR_IPC_INVALID' });
  assert.throws(() => checkReply(SPEC, 'put', { ok: 'yes' }), { code: 'VME_ERR_IPC_INVALID' });
});

test('the derived client checks arguments before sending', async () => {
  const sent: string[] = [];
  const client = makeClient(SPEC, (operation) => {
    sent.push(operation);
    return Promise.resolve({ ok: true });
  });
  assert.deepEqual(await client.put(good), { ok: true });
  await assert.rejects(client.put({ ...good, n: -1 }), { code: 'VME_ERR_IPC_INVALID' });
  assert.deepEqual(sent, ['put']);
});

test('entries: items, key and value sizes, total size and shape are checked', () => {
  const check = (puts: unknown) => checkFields({ puts: ENTRIES }, { puts }, 'x');
  check([{ key: 'abc', value: Uint8Array.of(1, 2) }, { key: 'd', value: Uint8Array.of(3) }]);
  for (const puts of [
    [{ key: 'a', value: Uint8Array.of(1) }, { key: 'b', value: Uint8Array.of(1) }, { key: 'c', value: Uint8Array.of(1) }],
    [{ key: 'abcd', value: Uint8Array.of(1) }],
    [{ key: 'a', value: Uint8Array.of(1, 2, 3) }],
    [{ key: 'a', value: Uint8Array.of(1, 2) }, { key: 'b', value: Uint8Array.of(1, 2) }],
    [{ key: 'a', value: [1] }], [{ key: 'a' }], [{ key: 'a', value: Uint8Array.of(1), more: 1 }], [null], 'abc',
  ]) assert.throws(() => check(puts), { code: 'VME_ERR_IPC_INVALID' }, JSON.stringify(puts));
});
