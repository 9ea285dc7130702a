// The QEMU host's pure parts, without QEMU: the command line (boot order as bootindex), key codes, PPM screen dumps, the VGA text screen loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VmeError } from '../../common/errors.js';
import { qemuArgs, qemuValue } from './qemu-args.js';
import { qcodesFor } from './qemu-keys.js';
import { parsePpm, QemuTextScreen, VGA_TEXT_BYTES } from './qemu-screen.js';

const base = { memoryMiB: 64, qmpSocket: '/r/qmp.sock', serialSocket: '/r/com1.sock' };
const deviceArg = (args: string[], prefix: string): string | undefined => args.find((arg) => arg.startsWith(prefix));

void test('qemuArgs: paused TCG PC without reboot, QMP and COM1 as client sockets, bootindex in order, strict boot', () => {
  const args = qemuArgs({ ...base, disk: { path: '/d/a,b.img' }, bootOrder: ['pxe', 'disk'], pxeBootFile: { tftpRoot: '/t', file: 'vme.pxe' } });
  for (const flag of ['-S', '-no-reboot', '-nodefaults']) assert.ok(args.includes(flag), flag);
  assert.deepEqual(args.slice(args.indexOf('-accel'), args.indexOf('-accel') + 2), ['-accel', 'tcg']);
  assert.ok(args.includes('strict=on,menu=off'));
  assert.ok(args.includes('socket,id=vme-qmp,path=/r/qmp.sock,server=off'));
  assert.ok(args.includes('chardev:vme-com1'));
  assert.equal(deviceArg(args, 'ide-hd'), 'ide-hd,drive=vme-disk-drive,id=vme-disk,bus=ide.0,unit=0,bootindex=1');
  assert.equal(deviceArg(args, 'e1000'), 'e1000,netdev=vme-net,id=vme-nic,bootindex=0');
  assert.equal(deviceArg(args, 'ide-cd,drive=vme-cd-drive'), 'ide-cd,drive=vme-cd-drive,id=vme-cd,bus=ide.1,unit=0', 'the CD drive exists, empty, and does not boot');
  assert.ok(args.includes('if=none,id=vme-disk-drive,file=/d/a,,b.img,format=raw'), 'commas in paths are doubled');
  assert.ok(args.includes('user,id=vme-net,tftp=/t,bootfile=vme.pxe'));
  assert.equal(args.includes('-vnc'), false);
  assert.ok(qemuArgs({ ...base, bootOrder: [], vncSocket: '/r/vnc.sock' }).includes('unix:/r/vnc.sock'));
  assert.equal(qemuValue('a,b,,c'), 'a,,b,,,,c');
});

void test('qcodesFor: letters, shifted characters, Enter, Ctrl-P; nothing for non-ASCII', () => {
  assert.deepEqual(['a', 'Z', '7', '!', '\r', ' ', '\x10', '\x1b', '~'].map(qcodesFor), [['a'], ['shift', 'z'], ['7'], ['shift', '1'], ['ret'], ['spc'], ['ctrl', 'p'], ['esc'], ['shift', 'grave_accent']]);
  assert.equal(qcodesFor('é'), undefined);
});

void test('parsePpm: P6 with a comment; bad magic, huge sizes and truncation are VME_ERR_DECODE', () => {
  const header = new TextEncoder().encode('P6\n# qemu\n2 1\n255\n');
  const frame = parsePpm(new Uint8Array([...header, 1, 2, 3, 4, 5, 6]));
  assert.deepEqual([frame.width, frame.height, [...frame.rgb]], [2, 1, [1, 2, 3, 4, 5, 6]]);
  const decode = (error: unknown): boolean => error instanceof VmeError && error.code === 'VME_ERR_DECODE';
  assert.throws(() => parsePpm(new TextEncoder().encode('P3\n2 1\n255\n')), decode);
  assert.throws(() => parsePpm(new TextEncoder().encode('P6\n99999 1\n255\n')), decode);
  assert.throws(() => parsePpm(new Uint8Array([...header, 1, 2])), decode);
});

void test('QemuTextScreen: loads VGA words and the BDA cursor; an identical page is no change', () => {
  const screen = new QemuTextScreen();
  const page = new Uint8Array(VGA_TEXT_BYTES);
  for (let i = 0; i < page.length; i += 2) { page[i] = 0x20; page[i + 1] = 0x07; }
  page.set([0x48, 0x1f, 0x69, 0x1f], 160); // "Hi" on row 1, white on blue
  assert.equal(screen.load(page, new Uint8Array([2, 1])), true);
  assert.equal(screen.view.render().split('\n')[1], 'Hi');
  assert.deepEqual(screen.view.cell(1, 0), { character: 'H', attribute: 0x1f });
  assert.deepEqual(screen.view.cursor, { row: 1, column: 2 });
  const count = screen.view.changeCount;
  assert.equal(screen.load(page, new Uint8Array([2, 1])), false);
  assert.equal(screen.view.changeCount, count);
  assert.throws(() => screen.load(new Uint8Array(10), new Uint8Array(2)), RangeError);
});
