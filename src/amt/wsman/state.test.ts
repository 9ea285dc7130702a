// WsmanState factory reset: InMemoryWsmanState.reset over every slot it holds (plain or defined),
// the 'keep' mark, the defineSlot registry and resetSlots' fallback for states without reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VmeError } from '../../common/errors.js';
import { defineSlot, definedSlot, definedSlots, InMemoryWsmanState, resetOnUnprovision, resetSlots, type StateSlot, type WsmanState } from './state.js';

const PLAIN: StateSlot<number> = { name: 'test/state-plain', initial: () => 1 };
const KEPT: StateSlot<number> = { name: 'test/state-kept', initial: () => 1, unprovision: 'keep' };
const DEFINED = defineSlot('test/state-defined', () => 'factory');
const DEFINED_KEPT = defineSlot('test/state-defined-kept', () => 'factory', { unprovision: 'keep' });

test('reset puts every held slot the filter selects back to initial(); kept slots stay', () => {
  const state = new InMemoryWsmanState();
  state.set(PLAIN, 5);
  state.set(KEPT, 5);
  state.set(DEFINED, 'changed');
  state.set(DEFINED_KEPT, 'changed');
  resetSlots(state, resetOnUnprovision);
  assert.equal(state.get(PLAIN), 1);
  assert.equal(state.get(KEPT), 5);
  assert.equal(state.get(DEFINED), 'factory');
  assert.equal(state.get(DEFINED_KEPT), 'changed');
});

test('a state without reset: resetSlots sets every defined slot the filter selects', () => {
  const values = new Map<string, unknown>();
  const bare: WsmanState = {
    get: <T>(slot: StateSlot<T>): T => (values.has(slot.name) ? values.get(slot.name) as T : slot.initial()),
    set: <T>(slot: StateSlot<T>, value: T): void => void values.set(slot.name, value),
  };
  bare.set(DEFINED, 'changed');
  bare.set(DEFINED_KEPT, 'changed');
  resetSlots(bare, resetOnUnprovision);
  assert.equal(bare.get(DEFINED), 'factory');
  assert.equal(bare.get(DEFINED_KEPT), 'changed');
});

test('the registry: lookup by name (a state that only knows stored names), duplicates refused', () => {
  assert.equal(definedSlot('test/state-defined'), DEFINED);
  assert.ok(definedSlots().includes(DEFINED_KEPT as StateSlot<unknown>));
  assert.equal(resetOnUnprovision({ name: 'test/state-defined-kept' }), false, 'kept by name');
  assert.equal(resetOnUnprovision({ name: 'test/never-defined' }), true, 'unknown names reset');
  assert.throws(() => defineSlot('test/state-defined', () => 0), (e: unknown) => e instanceof VmeError && e.code === 'VME_ERR_WSMAN_DECLARATION');
});
