// QmpSession, sans-I/O: greeting and negotiation, replies by id, events, and malformed input as typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VmeError } from '../../common/errors.js';
import { QmpSession } from './qmp-protocol.js';

const line = (value: unknown): Uint8Array => new TextEncoder().encode(`${JSON.stringify(value)}\r\n`);
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const GREETING = { QMP: { version: { qemu: { micro: 0, minor: 2, major: 7 }, package: 'Debian 1:7.2' }, capabilities: ['oob'] } };
const isCode = (code: string) => (error: unknown): boolean => error instanceof VmeError && error.code === code;

function ready(): QmpSession {
  const session = new QmpSession();
  const { send } = session.feed(line(GREETING));
  assert.equal(send.length, 1);
  session.feed(line({ return: {}, id: (JSON.parse(text(send[0] ?? new Uint8Array())) as { id: string }).id }));
  return session;
}

void test('greeting: version parsed, qmp_capabilities sent, ready after its reply', () => {
  const session = new QmpSession();
  assert.throws(() => session.command('query-status'), isCode('VME_ERR_QMP_UNAVAILABLE'));
  const { outputs, send } = session.feed(line(GREETING));
  assert.deepEqual(outputs, [{ kind: 'greeting', version: { major: 7, minor: 2, micro: 0, package: 'Debian 1:7.2' }, capabilities: ['oob'] }]);
  assert.equal(session.phase, 'negotiating');
  const caps = JSON.parse(text(send[0] ?? new Uint8Array())) as { execute: string; id: string };
  assert.equal(caps.execute, 'qmp_capabilities');
  assert.deepEqual(session.feed(line({ return: {}, id: caps.id })).outputs, []);
  assert.equal(session.phase, 'ready');
});

void test('commands get fresh ids; replies, errors and events are told apart, split across chunks', () => {
  const session = ready();
  const first = session.command('query-status');
  const second = session.command('blockdev-change-medium', { id: 'cd0', filename: '/x.iso' });
  assert.notEqual(first.id, second.id);
  assert.deepEqual(JSON.parse(text(second.bytes)), { execute: 'blockdev-change-medium', arguments: { id: 'cd0', filename: '/x.iso' }, id: second.id });
  const bytes = new Uint8Array([
    ...line({ event: 'STOP', timestamp: { seconds: 10, microseconds: 500000 } }),
    ...line({ return: { status: 'running', running: true }, id: first.id }),
    ...line({ error: { class: 'GenericError', desc: 'Device not found' }, id: second.id }),
  ]);
  const outputs = [...session.feed(bytes.subarray(0, 17)).outputs, ...session.feed(bytes.subarray(17)).outputs];
  assert.deepEqual(outputs, [
    { kind: 'event', event: { event: 'STOP', data: {}, timestamp: 10.5 } },
    { kind: 'return', id: first.id, value: { status: 'running', running: true } },
    { kind: 'error', id: second.id, errorClass: 'GenericError', description: 'Device not found' },
  ]);
  assert.deepEqual(session.pending, []);
});

void test('malformed input is VME_ERR_QMP_PROTOCOL: not JSON, not an object, no greeting, unknown id, no newline past the limit', () => {
  assert.throws(() => new QmpSession().feed(new TextEncoder().encode('{nope\n')), isCode('VME_ERR_QMP_PROTOCOL'));
  assert.throws(() => new QmpSession().feed(line([1, 2])), isCode('VME_ERR_QMP_PROTOCOL'));
  assert.throws(() => new QmpSession().feed(line({ return: {} })), isCode('VME_ERR_QMP_PROTOCOL'));
  assert.throws(() => ready().feed(line({ return: {}, id: 'vme-999' })), isCode('VME_ERR_QMP_PROTOCOL'));
  assert.throws(() => ready().feed(line({ id: 'vme-1' })), isCode('VME_ERR_QMP_PROTOCOL'));
  assert.throws(() => new QmpSession(64).feed(new Uint8Array(65).fill(0x20)), isCode('VME_ERR_QMP_PROTOCOL'));
  assert.throws(() => new QmpSession().feed(new Uint8Array([0xff, 0x0a])), isCode('VME_ERR_QMP_PROTOCOL'));
});

void test('a refused qmp_capabilities is a protocol error', () => {
  const session = new QmpSession();
  const { send } = session.feed(line(GREETING));
  const id = (JSON.parse(text(send[0] ?? new Uint8Array())) as { id: string }).id;
  assert.throws(() => session.feed(line({ error: { class: 'CommandNotFound', desc: 'x' }, id })), isCode('VME_ERR_QMP_PROTOCOL'));
});
