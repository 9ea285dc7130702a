// The Host contract suite against the simulated host on a manual clock (a QEMU host runs it later).
import { hostContract } from '../src/host/host-contract.js';
import { testHost } from '../src/host/testing.js';

hostContract('simulated host', () => {
  const { host, clock } = testHost();
  return { host, settle: () => clock.runUntilIdle() };
});
