// Power state machine: the CIM numbers pinned one by one, every transition, invalid ones, events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HostError } from './errors.js';
import { availableRequestedPowerStates, CIM_POWER_STATE, POWER_REQUESTS, powerRequest, PowerStateMachine, REPORTED_POWER_STATE, type PowerAction, type PowerChange, type PowerState } from './power.js';

test('DMTF PowerState numbers are pinned to the spec values', () => {
  assert.deepEqual(Object.values(CIM_POWER_STATE), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
  assert.equal(CIM_POWER_STATE.on, 2);
  assert.equal(CIM_POWER_STATE.sleepDeep, 4);
  assert.equal(CIM_POWER_STATE.powerCycleOffSoft, 5);
  assert.equal(CIM_POWER_STATE.hibernate, 7);
  assert.equal(CIM_POWER_STATE.offSoft, 8);
  assert.equal(CIM_POWER_STATE.masterBusReset, 10);
  assert.equal(CIM_POWER_STATE.diagnosticInterrupt, 11);
  assert.equal(CIM_POWER_STATE.offSoftGraceful, 12);
  assert.equal(CIM_POWER_STATE.masterBusResetGraceful, 14);
});

test('each host state reports its AMT PowerState: S0 2, S3 4, S4 7, S5 8, G3 6', () => {
  assert.deepEqual(REPORTED_POWER_STATE, { S0: 2, S3: 4, S4: 7, S5: 8, G3: 6 });
});

test('each RequestPowerStateChange value maps to one action', () => {
  const table = Object.fromEntries(POWER_REQUESTS.map((spec) => [spec.value, `${spec.action}${spec.graceful ? ' graceful' : ''}`]));
  assert.deepEqual(table, {
    2: 'powerOn',
    4: 'sleep',
    5: 'powerCycle',
    7: 'hibernate',
    8: 'softOff',
    10: 'reset',
    11: 'diagnosticInterrupt',
    12: 'softOff graceful',
    14: 'reset graceful',
  });
  assert.equal(powerRequest(5).name, 'Power Cycle (Off - Soft)');
});

test('unsupported request numbers are a typed error naming the number', () => {
  for (const value of [0, 1, 3, 6, 9, 13, 15, 16, 100, 501]) {
    assert.throws(() => powerRequest(value), (error: unknown) => error instanceof HostError && error.code === 'VME_ERR_HOST_POWER_REQUEST' && error.message.includes(String(value)));
  }
});

const cases: [PowerState, PowerAction, PowerState][] = [
  ['S5', 'powerOn', 'S0'],
  ['S4', 'powerOn', 'S0'],
  ['S3', 'powerOn', 'S0'],
  ['S0', 'sleep', 'S3'],
  ['S0', 'hibernate', 'S4'],
  ['S0', 'softOff', 'S5'],
  ['S3', 'softOff', 'S5'],
  ['S0', 'reset', 'S0'],
  ['S0', 'diagnosticInterrupt', 'S0'],
  ['S0', 'removeAc', 'G3'],
  ['S3', 'removeAc', 'G3'],
  ['S4', 'removeAc', 'G3'],
  ['S5', 'removeAc', 'G3'],
  ['G3', 'restoreAc', 'S5'],
];

for (const [from, action, to] of cases) {
  test(`${action} takes the host from ${from} to ${to} and reports it with the reason`, () => {
    const machine = new PowerStateMachine(from);
    const seen: PowerChange[] = [];
    machine.onChange((change) => seen.push(change));
    const steps = machine.apply(action, 'management');
    assert.equal(machine.state, to);
    assert.equal(machine.reported, REPORTED_POWER_STATE[to]);
    assert.deepEqual(seen, [{ from, to, action, reason: 'management' }]);
    assert.deepEqual(steps, seen);
  });
}

test('a power cycle is two steps through S5 (off-soft, then on)', () => {
  for (const from of ['S0', 'S3'] as const) {
    const machine = new PowerStateMachine(from);
    const steps = machine.apply('powerCycle', 'management').map((step) => `${step.from}->${step.to}`);
    assert.deepEqual(steps, [`${from}->S5`, 'S5->S0']);
    assert.equal(machine.state, 'S0');
  }
});

const invalid: [PowerState, PowerAction][] = [
  ['S5', 'sleep'],
  ['S5', 'hibernate'],
  ['S5', 'softOff'],
  ['S5', 'reset'],
  ['S5', 'powerCycle'],
  ['S5', 'diagnosticInterrupt'],
  ['S0', 'powerOn'],
  ['S3', 'sleep'],
  ['S3', 'reset'],
  ['S4', 'softOff'],
  ['S4', 'sleep'],
  ['G3', 'powerOn'],
  ['G3', 'removeAc'],
  ['S0', 'restoreAc'],
];

for (const [state, action] of invalid) {
  test(`${action} while in ${state} is a typed error naming ${state}, and nothing changes`, () => {
    const machine = new PowerStateMachine(state);
    let notified = false;
    machine.onChange(() => (notified = true));
    assert.throws(
      () => machine.apply(action, 'management'),
      (error: unknown) => error instanceof HostError && error.code === 'VME_ERR_HOST_POWER_STATE' && error.message.includes(state) && error.details['state'] === state,
    );
    assert.equal(machine.state, state);
    assert.equal(notified, false);
  });
}

test('AvailableRequestedPowerStates follows AMT order and the state', () => {
  assert.deepEqual(availableRequestedPowerStates('S0'), [10, 8, 5, 11, 4, 7, 14, 12]);
  assert.deepEqual(availableRequestedPowerStates('S5'), [2]);
  assert.deepEqual(availableRequestedPowerStates('S4'), [2]);
  // The machine alone allows 12 from S3; the host also needs a running OS for graceful requests.
  assert.deepEqual(availableRequestedPowerStates('S3'), [2, 8, 5, 12]);
  assert.deepEqual(availableRequestedPowerStates('G3'), []);
});
