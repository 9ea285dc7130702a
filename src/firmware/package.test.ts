// Tests of the firmware package container: golden header, round trip, and every malformed case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serializePackage, parsePackage, PackageHeader, PackageEntry } from './package.js';
import { DecodeError } from '../codec/index.js';

const pkg = {
  platformId: 'vme-virtual-pc', raiseSvnFloor: true,
  partitions: new Map([['FTPR', Uint8Array.from([1, 2, 3])], ['NFTP', Uint8Array.from([4, 5])]] as const),
};

test('header and entry sizes are as documented', () => {
  assert.equal(PackageHeader.size, 0x30);
  assert.equal(PackageEntry.size, 0x30);
});

test('golden header bytes', () => {
  const bytes = serializePackage(pkg);
  assert.equal(Buffer.from(bytes.subarray(0, 8)).toString('latin1'), 'VMEFWPKG'); // magic
  assert.equal(bytes[8], 1); // formatVersion
  assert.equal(bytes[0xa], 2); // entryCount
  assert.equal(bytes[0xc], 0x30); // headerLength
  assert.equal(Buffer.from(bytes.subarray(0x10, 0x1e)).toString('latin1'), 'vme-virtual-pc'); // platformId
  assert.equal(bytes[0x20], 1); // raiseSvnFloor
  assert.equal(bytes.length, 0x30 + 2 * 0x30 + 5);
});

test('round trip', () => {
  const back = parsePackage(serializePackage(pkg));
  assert.equal(back.platformId, pkg.platformId);
  assert.equal(back.raiseSvnFloor, true);
  assert.deepEqual([...back.partitions.keys()], ['FTPR', 'NFTP']);
  assert.deepEqual(back.partitions.get('NFTP'), Uint8Array.from([4, 5]));
});

const rejects = (mutate: (b: Uint8Array) => Uint8Array, field: RegExp) => {
  const bytes = mutate(Uint8Array.from(serializePackage(pkg)));
  assert.throws(() => parsePackage(bytes), (e: unknown) => e instanceof DecodeError && field.test(e.problem.field));
};

test('malformed packages are refused with the field at fault', () => {
  rejects((b) => { b[0] = 0; return b; }, /^magic$/);
  rejects((b) => b.subarray(0, 0x20), /\(whole\)/);
  rejects((b) => b.subarray(0, 0x50), /\(table\)/);
  rejects((b) => { b[8] = 9; return b; }, /formatVersion/);
  rejects((b) => { b[0xa] = 0; return b; }, /entryCount/);
  rejects((b) => { b[0xa] = 3; return b; }, /entryCount/);
  rejects((b) => { b[0x30] = 0x58; return b; }, /entry\[0\]\.name/);
  rejects((b) => { b.set(Buffer.from('FTPR'), 0x60); return b; }, /entry\[1\]\.name/);
  rejects((b) => { b[0x38] = 0xff; return b; }, /entry\[0\]\.offset/);
  rejects((b) => { b[b.length - 1] = (b[b.length - 1] ?? 0) ^ 1; return b; }, /entry\[1\]\.sha256/);
  rejects((b) => b.subarray(0, b.length - 1), /entry\[1\]\.offset/);
});
