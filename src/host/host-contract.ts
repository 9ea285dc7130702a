/**
 * The contract every `Host` implementation keeps, as one exported test suite: the simulated host
 * runs it now, and a QEMU-backed host will run the same suite later (lesson 10). Tests use only the
 * `Host` interface plus `settle()` (run until the host is idle: a manual clock, or waiting on QEMU);
 * a host skips a clause that cannot apply to it by naming the reason (`options.skip`).
 */
import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { VmeError } from '../common/errors.js';
import type { Host } from './host.js';

export interface HostUnderTest {
  readonly host: Host;
  /** Resolves when the host has finished what it was doing (booted, shut down). */
  readonly settle: () => Promise<void>;
  /** Stops what the host runs (a QEMU process); called after each test. */
  readonly close?: () => Promise<void>;
}

/** The contract's clauses, by id (a host may skip one with the reason it does not apply). */
export type HostContractClause = 'starts-off' | 'serial-shell' | 'one-time-boot';

export interface HostContractOptions {
  readonly skip?: Partial<Record<HostContractClause, string>>;
}

const isCode = (code: string) => (error: unknown): boolean => error instanceof VmeError && error.code === code;

/** Registers the contract tests for `name`; `create` makes a fresh host, powered off (S5). */
export function hostContract(name: string, make: () => HostUnderTest, options: HostContractOptions = {}): void {
  const opened: HostUnderTest[] = [];
  const create = (): HostUnderTest => {
    const made = make();
    opened.push(made);
    return made;
  };
  const clause = (id: HostContractClause) => ({ skip: options.skip?.[id] ?? false, timeout: 120_000 });
  afterEach(async () => {
    for (const made of opened.splice(0)) await made.close?.();
  });

  void test(`${name}: starts off (S5, PowerState 8) and offers only power on`, clause('starts-off'), () => {
    const { host } = create();
    assert.deepEqual([host.state().powerState, host.state().cimPowerState, host.state().phase], ['S5', 8, 'off']);
    assert.deepEqual(host.availableRequestedPowerStates(), [2]);
    assert.throws(() => host.requestPowerState(10), isCode('VME_ERR_HOST_POWER_STATE'));
    assert.throws(() => host.requestPowerState(3), isCode('VME_ERR_HOST_POWER_REQUEST'));
  });

  void test(`${name}: power on boots an OS whose serial console answers hostname`, clause('serial-shell'), async () => {
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

  void test(`${name}: off-soft, then a one-time boot device is reported by the next boot`, clause('one-time-boot'), async () => {
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
