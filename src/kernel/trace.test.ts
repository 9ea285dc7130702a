// Trace rings stay bounded and counters count every event kind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Trace, TraceRing } from './trace.js';

test('a ring keeps the newest entries, oldest first, and counts what it dropped', () => {
  const ring = new TraceRing(3);
  for (let i = 0; i < 5; i++) ring.push({ sequence: i, atMs: i, event: { kind: 'power', state: 'asleep', reason: 'idle' } });
  assert.deepEqual(ring.records().map((r) => r.sequence), [2, 3, 4]);
  assert.equal(ring.dropped, 2);
  assert.throws(() => new TraceRing(0), RangeError);
});

test('rings are per component and created on first use; counters are component.kind', () => {
  const trace = new Trace(2);
  assert.deepEqual(trace.snapshot(), { rings: {}, counters: {} });
  for (let i = 0; i < 3; i++) trace.record('audit', { kind: 'capability-denied', app: 'a', capability: 'nvram', operation: 'get', reason: 'not granted' });
  trace.record('power', { kind: 'power', state: 'awake', reason: 'heci' });
  trace.count('ipc.calls', 2);
  const snapshot = trace.snapshot();
  assert.equal(snapshot.rings.audit?.records.length, 2);
  assert.equal(snapshot.rings.audit?.dropped, 1);
  assert.deepEqual(snapshot.counters, { 'audit.capability-denied': 3, 'power.power': 1, 'ipc.calls': 2 });
  assert.deepEqual(trace.events('power'), [{ kind: 'power', state: 'awake', reason: 'heci' }]);
});
