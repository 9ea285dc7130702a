// KVM pointer events as QMP input-send-event events, without QEMU: absolute axes scaled to 0..32767, button changes only, and the virtio tablet on the command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qemuArgs } from './qemu-args.js';
import { qmpPointerEvents } from './qemu-pointer.js';

void test('qmpPointerEvents: corners scale to 0 and 32767; only changed buttons are sent, in mask-bit order', () => {
  assert.deepEqual(qmpPointerEvents(0, { x: 0, y: 0, buttons: 0 }), [{ type: 'abs', data: { axis: 'x', value: 0 } }, { type: 'abs', data: { axis: 'y', value: 0 } }]);
  const corner = qmpPointerEvents(0, { x: 639, y: 399, buttons: 0b101 });
  assert.deepEqual(corner, [
    { type: 'abs', data: { axis: 'x', value: 32767 } }, { type: 'abs', data: { axis: 'y', value: 32767 } },
    { type: 'btn', data: { button: 'left', down: true } }, { type: 'btn', data: { button: 'right', down: true } },
  ]);
  assert.deepEqual(qmpPointerEvents(0b101, { x: 320, y: 200, buttons: 0b11100 }).slice(2), [
    { type: 'btn', data: { button: 'left', down: false } }, { type: 'btn', data: { button: 'wheel-up', down: true } }, { type: 'btn', data: { button: 'wheel-down', down: true } },
  ]);
  assert.deepEqual(qmpPointerEvents(0, { x: 9999, y: -3, buttons: 0b11100000 }), [{ type: 'abs', data: { axis: 'x', value: 32767 } }, { type: 'abs', data: { axis: 'y', value: 0 } }], 'clamped; bits 5..7 ignored');
});

void test('qemuArgs: a virtio tablet (absolute pointer), no USB controller (it would slow the boot)', () => {
  const args = qemuArgs({ memoryMiB: 64, qmpSocket: '/r/qmp.sock', serialSocket: '/r/com1.sock', bootOrder: [] });
  assert.equal(args[args.indexOf('virtio-tablet-pci,id=vme-tablet') - 1], '-device');
  assert.equal(args.some((arg) => /usb/.test(arg)), false);
});
