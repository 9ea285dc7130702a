// QemuHost.pointer against a real qemu-system-x86_64: KVM pointer events become QMP input-send-event on the virtio tablet and QEMU accepts them (no QMP error); refused while no VM runs. Skipped without QEMU.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkQemu, QemuHost } from '../src/host/qemu/index.js';
import { bootSector } from './support/boot-sector.js';
import { waitUntil } from './support/wait.js';

const qemuMissing = ((): string | undefined => {
  try {
    checkQemu();
    return undefined;
  } catch (error) {
    return `QEMU is not installed (${(error as Error).message}); run scripts/install-test-deps.sh`;
  }
})();

const work = mkdtempSync(join(tmpdir(), 'vme-qp-'));
const disk = join(work, 'disk.img');
writeFileSync(disk, bootSector('vme-pointer-ok\r\n'));
const host = new QemuHost({ runDir: work, disk, memoryMiB: 32, screenPollMs: 0, startTimeoutMs: 30_000, commandTimeoutMs: 10_000 });

after(async () => {
  await host.close();
  rmSync(work, { recursive: true, force: true });
});

void test('pointer events reach QEMU as input-send-event and are accepted', { skip: qemuMissing, timeout: 90_000 }, async () => {
  assert.equal(host.pointer({ x: 1, y: 1, buttons: 0 }), false, 'no VM: refused');
  host.powerOn();
  await waitUntil(() => host.serial.outputText().includes('vme-pointer-ok'), 'the boot sector on COM1', 30_000, 50);
  await host.settle();
  const taken = [{ x: 320, y: 200, buttons: 1 }, { x: 639, y: 399, buttons: 0 }, { x: 0, y: 0, buttons: 0b11000 }, { x: 0, y: 0, buttons: 0 }].map((event) => host.pointer(event));
  assert.deepEqual(taken, [true, true, true, true]);
  await waitUntil(() => host.pointerInFlight === 0, 'QEMU to answer the pointer events', 30_000, 20);
  assert.equal(host.lastError, undefined);
});
