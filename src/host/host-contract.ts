/**
 * The contract every `Host` implementation keeps, as one exported test suite: the simulated host
 * runs it now, and a QEMU-backed host will run the same suite later (lesson 10). Tests use only the
 * `Host` interface plus `settle()` (run until the host is idle: a manual clock, or waiting on QEMU).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VmeError } from '../common/errors.js';
import type { Host } from './host.js';

export interface HostUnderTest {
  readonly host: Host;
  /** Resolves when the host has finished what it was doing (booted, shut down). */
  readonly settle: () => Promise<void>;
}

const isCode = (code: string) => (error: unknown): boolean => error instanceof VmeError && error.code === code;

/** Registers the contract tests for `name`; `create` makes a fresh host, powered off (S5). */
export function hostContract(name: string, create: () => HostUnderTest): void {
  void test(`${name}: starts off (S5, PowerState 8) and offers only power on`, () => {
    const { host } = create();
    assert.deepEqual([host.state().powerState, host.state().cimPowerState, host.state().phase], ['S5', 8, 'off']);
    assert.deepEqual(host.availableRequestedPowerStates(), [2]);
    assert.throws(() => host.requestPowerState(10), isCode('VME_ERR_HOST_POWER_STATE'));
    assert.throws(() => host.requestPowerState(3), isCode('VME_ERR_HOST_POWER_REQUEST'));
  });

  void test(`${name}: power on boots an OS whose serial console answers hostname`, async () => {
    const { host, settle } = create();
    host.requestPowerState(2);
    await settle();
    assert.deepEqual([host.state().powerState, host.state().phase, host.state().os], ['S0', 'os', 'running']);
    const answer: string[] = [];
    host.serial.onOutput((bytes) => answer.push(Buffer.from(bytes).toString()));
    host.serial.inject('hostname\r');
    await settle();
    assert.match(answer.join(''), /hostname\r\n\S+\r\n/);
    assert.equal(host.screen.render().split('\n').length, host.screen.rows);
  });

  void test(`${name}: off-soft, then a one-time boot device is reported by the next boot`, async () => {
    const { host, settle } = create();
    host.setOneTimeBoot('pxe');
    host.requestPowerState(2);
    await settle();
    assert.equal(host.state().bootDevice, 'pxe');
    host.requestPowerState(8);
    await settle();
    assert.deepEqual([host.state().cimPowerState, host.state().phase], [8, 'off']);
    assert.ok(host.events().some((event) => event.kind === 'power'));
  });
}
