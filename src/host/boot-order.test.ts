// Boot order and one-time override: used once, fallback when not ready, validation, AMT names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BOOT_DEVICES, BootOrder, type BootDeviceName } from './boot-order.js';
import { HostError } from './errors.js';

const all = (): boolean => true;

test('the one-time boot is used by the next selection only, then the order applies again', () => {
  const order = new BootOrder(['disk', 'pxe']);
  order.setOneTime('pxe');
  assert.deepEqual(order.select(all), { device: 'pxe', oneTime: true });
  assert.equal(order.oneTime, undefined);
  assert.deepEqual(order.select(all), { device: 'disk', oneTime: false });
});

test('an override without media is consumed and the order is used instead', () => {
  const order = new BootOrder(['disk', 'pxe', 'cd']);
  order.setOneTime('cd');
  const bootable = (device: BootDeviceName): boolean => device !== 'cd' && device !== 'disk';
  assert.deepEqual(order.select(bootable), { device: 'pxe', oneTime: false, overrideNotReady: 'cd' });
  assert.deepEqual(order.select(() => false), { device: undefined, oneTime: false });
});

test('unknown and repeated devices are typed errors', () => {
  const isBootOrderError = (error: unknown): boolean => error instanceof HostError && error.code === 'VME_ERR_HOST_BOOT_ORDER';
  assert.throws(() => new BootOrder(['disk', 'floppy']), isBootOrderError);
  assert.throws(() => new BootOrder(['disk', 'disk']), isBootOrderError);
  assert.throws(() => new BootOrder().setOneTime('usb'), isBootOrderError);
  assert.throws(() => new BootOrder().setOneTime('toString'), isBootOrderError);
});

test('boot devices carry the AMT CIM_BootSourceSetting names', () => {
  assert.equal(BOOT_DEVICES.disk.instanceId, 'Intel(r) AMT: Force Hard-drive Boot');
  assert.equal(BOOT_DEVICES.pxe.cimBootString, 'CIM:Network:1');
  assert.equal(BOOT_DEVICES.cd.cimBootString, 'CIM:CD/DVD:1');
});
