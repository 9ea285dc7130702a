// Bad input (issue 2 §8): a seeded 3,000-case fuzz run over a real platform keeps the oracle, and each
// item of the list gives one precise typed error (structure, field, offset) or ROM check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VmeError } from '../src/common/errors.js';
import { DecodeError, type DecodeProblem } from '../src/codec/index.js';
import { toHex } from '../src/crypto/index.js';
import { parseDescriptor, parseFmap, parseFirmwareVolume, parseGbeRegion } from '../src/flash/index.js';
import { parseMeRegion, parseCodePartition, keyBlockHash, type CodePartitionName } from '../src/me/index.js';
import { romBoot, type RomBootResult, type BootLogEntry } from '../src/rom/index.js';
import { parsePackage } from '../src/firmware/package.js';
import { readImageFile, MAX_IMAGE_BYTES } from '../src/image/files.js';
import { testKeys } from '../src/me/testing.js';
import {
  createFuzzContext, runCampaign, formatStatsTable, violationsOf, violationCount, bootedProblem, impreciseDecodeError, STRATEGIES, CLEAN_SVN, type FuzzContext,
} from './support/image-fuzzer.js';
import { Patch, fixFptChecksum, resignPartition } from './support/image-fuzz-patch.js';
import { SeededRandom } from './support/random.js';

const FUZZ_SEED = 20250115;
const FUZZ_CASES = 3000;

let shared: FuzzContext | undefined;
const context = (): FuzzContext => (shared ??= createFuzzContext());

/** A fresh copy of the clean image, and handy absolute offsets. */
function cleanImage(): { image: Uint8Array; me: () => Uint8Array; ctx: FuzzContext } {
  const ctx = context();
  const image = Uint8Array.from(ctx.pristine);
  return { image, ctx, me: () => image.subarray(ctx.layout.me.offset, ctx.layout.me.offset + ctx.layout.me.length) };
}

/** Assert `parse` throws one DecodeError whose problem matches `expected`; returns the problem. */
function rejects(parse: () => unknown, expected: Partial<DecodeProblem>): DecodeProblem {
  let problem: DecodeProblem | undefined;
  assert.throws(parse, (err: unknown) => {
    assert.ok(err instanceof DecodeError, `not a DecodeError: ${String(err)}`);
    problem = err.problem;
    return true;
  });
  assert.ok(problem);
  assert.deepEqual(pick(problem, Object.keys(expected) as (keyof DecodeProblem)[]), expected);
  return problem;
}

const pick = (problem: DecodeProblem, keys: readonly (keyof DecodeProblem)[]): Partial<DecodeProblem> => Object.fromEntries(keys.map((k) => [k, problem[k]]));

const boot = (ctx: FuzzContext, image: Uint8Array): RomBootResult =>
  romBoot(image.subarray(ctx.layout.me.offset, ctx.layout.me.offset + ctx.layout.me.length), ctx.fuses, { regionBase: ctx.layout.me.offset });
const failure = (r: RomBootResult, name: CodePartitionName | null): BootLogEntry | undefined => r.log.find((e) => e.partition === name && !e.ok);

// ---- the fuzz run ---------------------------------------------------------------------------------

test(`fuzz: ${FUZZ_CASES} seeded cases over every strategy keep the oracle`, () => {
  const ctx = context();
  const started = performance.now();
  const stats = runCampaign(ctx, { seed: FUZZ_SEED, cases: FUZZ_CASES });
  const seconds = (performance.now() - started) / 1000;
  const violations = violationsOf(stats).map((v) => `${v.kind} ${v.stage} [${v.strategy} case ${v.index}: ${v.note}] ${v.detail}`);
  assert.equal(violationCount(stats), 0, `oracle violated (seed ${FUZZ_SEED}):\n${violations.join('\n')}\n${formatStatsTable(stats)}`);
  for (const strategy of STRATEGIES) {
    const s = stats[strategy.name];
    assert.ok(s && s.cases >= Math.floor(FUZZ_CASES / STRATEGIES.length), `${strategy.name} ran ${s?.cases ?? 0} cases`);
    if (strategy.name !== 'flip-anywhere') assert.ok(s.rejected + Object.keys(s.romFailures).length > 0, `${strategy.name} never produced a rejection`);
  }
  assert.ok(seconds < 60, `${FUZZ_CASES} cases took ${seconds.toFixed(1)} s`);
});

test('fuzz cases leave the shared image and package exactly as built', () => {
  const ctx = context();
  runCampaign(ctx, { seed: FUZZ_SEED + 1, cases: 2 * STRATEGIES.length });
  assert.ok(Buffer.from(ctx.work.subarray(0, ctx.pristine.length)).equals(Buffer.from(ctx.pristine)));
  assert.ok(ctx.work.subarray(ctx.pristine.length).every((b) => b === 0xff));
  assert.ok(Buffer.from(ctx.package.work).equals(Buffer.from(ctx.package.pristine)));
});

test('the oracle itself: a booted changed partition, another platform and a located error', () => {
  const ctx = context();
  const nftp = ctx.layout.partitions.NFTP;
  const bytes = ctx.pristine.slice(nftp.partition.offset, nftp.partition.offset + nftp.partition.length);
  assert.equal(bootedProblem(ctx, { partition: 'NFTP', firmware: undefined }, bytes, 'strict'), undefined);
  flip(bytes, (nftp.modules[0]?.offset ?? 0) - nftp.partition.offset, 1);
  assert.match(bootedProblem(ctx, { partition: 'NFTP', firmware: undefined }, bytes, 'strict') ?? '', /differs from the clean image/);
  assert.match(bootedProblem(ctx, { partition: 'NFTP', firmware: undefined }, bytes, 'modules') ?? '', /changed module kernel/);
  const located = new DecodeError({ structure: '$FPT header', field: 'signature', offset: 0x3010, reason: 'bad magic' });
  assert.equal(impreciseDecodeError(located, 0x800000), undefined);
  assert.match(impreciseDecodeError(new DecodeError({ structure: 'x', field: 'y', offset: -1, reason: 'r' }), 10) ?? '', /offset -1/);
});

// ---- the list, one precise error each --------------------------------------------------------

test('truncated image: descriptor truncated below 4 KiB, density mismatch above, $FPT entry out of range in the ME region', () => {
  const { image, ctx } = cleanImage();
  rejects(() => parseDescriptor(image.subarray(0, 0x7ff)), { structure: 'flash descriptor', field: '(whole)', offset: 0, reason: 'truncated', expected: '4096 bytes', actual: '2047 bytes' });
  rejects(() => parseDescriptor(image.subarray(0, image.length - 1)), {
    structure: 'flash descriptor component section', field: 'FLCOMP.comp1Density', offset: ctx.layout.descriptor.componentBase, expected: '0x00800000 bytes', actual: '0x007FFFFF bytes',
  });
  const nftp = ctx.layout.partitions.NFTP;
  const me = image.subarray(ctx.layout.me.offset, nftp.partition.offset + 0x100);
  const r = romBoot(me, ctx.fuses, { regionBase: ctx.layout.me.offset });
  assert.equal(r.state, 'down');
  assert.deepEqual([r.log[0]?.check, r.log[0]?.offset], ['fpt', nftp.fptEntryOffset + 0xc]);
  assert.match(r.log[0]?.message ?? '', /^\$FPT entry "NFTP"\.size at 0x[0-9A-F]+: out of range/);
});

test('garbled ME region: one $FPT magic error, the ROM stays down with the same offset', () => {
  const { image, ctx, me } = cleanImage();
  const random = new SeededRandom(7);
  for (let i = 0; i < 0x1000; i++) me()[i] = random.int(256);
  const fpt = ctx.layout.me.offset + 0x10;
  rejects(() => parseMeRegion(me(), ctx.layout.me.offset), { structure: '$FPT header', field: 'signature', offset: fpt, reason: 'bad magic', expected: '"$FPT"' });
  const r = boot(ctx, image);
  assert.deepEqual([r.state, r.log[0]?.check, r.log[0]?.offset], ['down', 'fpt', fpt]);
});

test('oversized image file (> 128 MiB, sparse) is refused before reading; oversized in memory fails the density check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vme-fuzz-'));
  try {
    const path = join(dir, 'huge.bin');
    writeFileSync(path, new Uint8Array(0));
    truncateSync(path, MAX_IMAGE_BYTES + 0x1000);
    assert.throws(() => readImageFile(path), (err: unknown) => err instanceof VmeError && err.code === 'VME_ERR_DECODE' && err.details.size === MAX_IMAGE_BYTES + 0x1000 && /larger than the 134217728-byte maximum/.test(err.message));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const { ctx } = cleanImage();
  const bigger = new Uint8Array(ctx.pristine.length + 0x1000).fill(0xff);
  bigger.set(ctx.pristine);
  rejects(() => parseDescriptor(bigger), { field: 'FLCOMP.comp1Density', expected: '0x00800000 bytes', actual: '0x00801000 bytes' });
});

test('bad magic: FLVALSIG, __FMAP__, _FVH, $CPD and $MN2 each named with their offset', () => {
  const { image, ctx } = cleanImage();
  flip(image, 0x10, 0xff);
  rejects(() => parseDescriptor(image), { structure: 'flash descriptor map', field: 'flvalsig', offset: 0x10, reason: 'bad magic' });
  const fmapAt = ctx.layout.fmap.offset;
  image[fmapAt] = 0x5f ^ 1;
  rejects(() => parseFmap(image, fmapAt), { structure: 'FMAP header', field: 'signature', offset: fmapAt, reason: 'bad magic' });
  const fv = ctx.layout.volume.header.offset;
  image[fv + 0x28] = 0;
  rejects(() => parseFirmwareVolume(image, fv), { structure: 'EFI firmware volume header', field: 'signature', offset: fv + 0x28 });
  const nftp = ctx.layout.partitions.NFTP;
  const partition = (): Uint8Array => image.subarray(nftp.partition.offset, nftp.partition.offset + nftp.partition.length);
  image[nftp.manifest.offset + 0x1c] = 0x21;
  rejects(() => parseCodePartition(partition(), 'NFTP', nftp.partition.offset), { structure: '$MN2 header', field: 'tag', offset: nftp.manifest.offset + 0x1c });
  image[nftp.partition.offset] = 0;
  rejects(() => parseCodePartition(partition(), 'NFTP', nftp.partition.offset), { structure: '$CPD header', field: 'signature', offset: nftp.partition.offset });
  const r = boot(ctx, image);
  assert.deepEqual([r.state, failure(r, 'NFTP')?.check, failure(r, 'NFTP')?.offset], ['recovery', 'cpd', nftp.partition.offset]);
});

const flip = (bytes: Uint8Array, at: number, mask: number): void => {
  bytes[at] = (bytes[at] ?? 0) ^ mask;
};
const setU32 = (image: Uint8Array, at: number, value: number): void => new DataView(image.buffer, image.byteOffset).setUint32(at, value, true);

test('overlapping regions: FLREG and $FPT entries name the later entry and the one it overlaps', () => {
  const { image, ctx, me } = cleanImage();
  const { regionBase } = ctx.layout.descriptor;
  setU32(image, regionBase + 4 * 3, new DataView(image.buffer).getUint32(regionBase + 4 * 2, true)); // gbe := me
  const p = rejects(() => parseDescriptor(image), { structure: 'flash descriptor region section', field: 'FLREG3 (gbe)', offset: regionBase + 12, reason: 'regions overlap' });
  assert.match(p.expected ?? '', /FLREG2 \(me\)/);
  const ftpr = ctx.layout.partitions.FTPR;
  const nftp = ctx.layout.partitions.NFTP;
  setU32(image, nftp.fptEntryOffset + 8, ftpr.partition.offset - ctx.layout.me.offset);
  rejects(() => parseMeRegion(me(), ctx.layout.me.offset), { structure: '$FPT entry "NFTP"', field: 'offset', offset: nftp.fptEntryOffset + 8, reason: 'overlaps FTPR' });
});

test('out-of-range regions: FLREG limit past the image, $FPT size past the region, FMAP area past the flash', () => {
  const { image, ctx, me } = cleanImage();
  const { regionBase } = ctx.layout.descriptor;
  setU32(image, regionBase + 4, (0x900 << 16) | 0x300); // bios 0x300000..0x900FFF
  rejects(() => parseDescriptor(image), { field: 'FLREG1 (bios)', offset: regionBase + 4, reason: 'region outside the image', actual: '0x00300000-0x00900FFF' });
  const mfsEntry = ctx.layout.me.offset + 0x30 + 2 * 0x20;
  setU32(image, mfsEntry + 0xc, 0x10000000);
  rejects(() => parseMeRegion(me(), ctx.layout.me.offset), { structure: '$FPT entry "MFS"', field: 'size', offset: mfsEntry + 0xc, reason: 'out of range' });
  const area = ctx.layout.fmap.offset + 0x38;
  setU32(image, area + 4, 0x7fffffff);
  rejects(() => parseFmap(image, ctx.layout.fmap.offset), { field: 'size', offset: area + 4, reason: 'area outside the flash' });
});

test('bad checksums: $FPT, $CPD CRC, volume header, FFS header and GbE each at their field', () => {
  const { image, ctx, me } = cleanImage();
  const fpt = ctx.layout.me.offset + 0x10;
  flip(image, fpt + 0x18, 1); // fitcMajor, outside nothing but the checksum
  rejects(() => parseMeRegion(me(), ctx.layout.me.offset), { structure: '$FPT header', field: 'headerChecksum', offset: fpt + 0xb, reason: 'bad checksum', actual: 'byte sum 0x1' });
  const ftpr = ctx.layout.partitions.FTPR;
  flip(image, ftpr.directory.offset + 0x14 + 0x14, 1); // first entry's reserved dword
  rejects(() => parseCodePartition(image.subarray(ftpr.partition.offset, ftpr.partition.offset + ftpr.partition.length), 'FTPR', ftpr.partition.offset), { structure: '$CPD header', field: 'crc32', offset: ftpr.partition.offset + 0x10, reason: 'bad CRC' });
  const fv = ctx.layout.volume.header.offset;
  flip(image, fv + 0x2c, 1); // attributes
  rejects(() => parseFirmwareVolume(image, fv), { structure: 'EFI firmware volume header', field: 'checksum', offset: fv + 0x32, reason: 'bad checksum' });
  flip(image, fv + 0x2c, 1);
  const file = ctx.layout.volume.files[0]?.offset ?? 0;
  flip(image, file + 0x12, 2); // FFS type
  rejects(() => parseFirmwareVolume(image, fv), { field: 'headerChecksum', offset: file + 0x10, reason: 'bad checksum' });
  const gbe = ctx.layout.gbe.offset;
  flip(image, gbe, 1); // MAC
  rejects(() => parseGbeRegion(image.subarray(gbe, gbe + ctx.layout.gbe.length), gbe), { structure: 'GbE NVM bank', field: 'checksum', offset: gbe + 0x7e, reason: 'bad checksum', actual: '0xBABB' });
});

test('forged manifest (SVN raised, not re-signed): NFTP fails the signature check at +0x184, FTPR recovers', () => {
  const { image, ctx } = cleanImage();
  const nftp = ctx.layout.partitions.NFTP;
  setU32(image, nftp.manifest.offset + 0x2c, 99);
  const r = boot(ctx, image);
  const f = failure(r, 'NFTP');
  assert.deepEqual([r.state, f?.check, f?.offset, f?.actual], ['recovery', 'signature', nftp.manifest.offset + 0x184, 'no match']);
  assert.match(f?.expected ?? '', /^signature over SHA-256 [0-9a-f]{64}$/);
});

test('re-signed manifest (attacker key, genuine key block kept): signature; swapped keys (attacker key block): key hash expected vs actual', () => {
  const { image, ctx } = cleanImage();
  const nftp = ctx.layout.partitions.NFTP;
  const patch = new Patch(image);
  setU32(image, nftp.manifest.offset + 0x2c, 99);
  resignPartition(patch, nftp, ctx.keys.attacker);
  assert.equal(failure(boot(ctx, image), 'NFTP')?.check, 'signature');
  resignPartition(patch, nftp, ctx.keys.attacker, { embedKeyOf: ctx.keys.attacker });
  const r = boot(ctx, image);
  const f = failure(r, 'NFTP');
  assert.deepEqual([r.state, f?.check, f?.offset], ['recovery', 'key', nftp.manifest.offset + 0x80]);
  assert.deepEqual([f?.expected, f?.actual], [ctx.fuses.firmwareKeyHash, toHex(keyBlockHash(testKeys().other))]);
  assert.equal(r.verdicts[0]?.errorCode, 'VME_ERR_VERIFY_KEY');
});

/** The image with both code partitions replaced by a donor build's. */
function withDonor(ctx: FuzzContext, donor: 'other-platform' | 'other-key' | 'old-svn', names: readonly CodePartitionName[]): Uint8Array {
  const image = Uint8Array.from(ctx.pristine);
  for (const name of names) image.set(ctx.donors[donor][name], ctx.layout.partitions[name].partition.offset);
  return image;
}

test('genuine firmware signed with another key (swapped signing key): both partitions fail the key check, engine down', () => {
  const ctx = context();
  const r = boot(ctx, withDonor(ctx, 'other-key', ['FTPR', 'NFTP']));
  assert.equal(r.state, 'down');
  for (const name of ['NFTP', 'FTPR'] as const) assert.deepEqual([failure(r, name)?.check, failure(r, name)?.actual], ['key', toHex(keyBlockHash(testKeys().other))]);
});

test("another platform's genuine firmware: platform check, expected this platform's id, actual the other's", () => {
  const ctx = context();
  const r = boot(ctx, withDonor(ctx, 'other-platform', ['FTPR', 'NFTP']));
  assert.equal(r.state, 'down');
  const f = failure(r, 'NFTP');
  assert.deepEqual([f?.check, f?.expected, f?.actual, f?.offset], ['platform', 'vme-virtual-pc', 'other-pc', ctx.layout.partitions.NFTP.manifest.offset + 0x58]);
  assert.deepEqual(r.verdicts.map((v) => v.errorCode), ['VME_ERR_VERIFY_PLATFORM', 'VME_ERR_VERIFY_PLATFORM']);
});

test('old security version: a genuine SVN 1 NFTP is refused by the fuse floor 2, FTPR boots as recovery', () => {
  const ctx = context();
  assert.equal(ctx.fuses.svnFloor, CLEAN_SVN);
  const r = boot(ctx, withDonor(ctx, 'old-svn', ['NFTP']));
  const f = failure(r, 'NFTP');
  assert.deepEqual([r.state, f?.check, f?.expected, f?.actual], ['recovery', 'rollback', `>= ${CLEAN_SVN}`, String(CLEAN_SVN - 1)]);
  assert.equal(r.verdicts[0]?.errorCode, 'VME_ERR_VERIFY_ROLLBACK');
});

test('swapped FTPR and NFTP: each fails $CPD partitionName at its own offset', () => {
  const { image, ctx } = cleanImage();
  const { FTPR, NFTP } = ctx.layout.partitions;
  const patch = new Patch(image);
  patch.set(FTPR.fptEntryOffset, Buffer.from('NFTP'));
  patch.set(NFTP.fptEntryOffset, Buffer.from('FTPR'));
  fixFptChecksum(patch, ctx.layout);
  const r = boot(ctx, image);
  assert.equal(r.state, 'down');
  assert.deepEqual([failure(r, 'NFTP')?.check, failure(r, 'NFTP')?.offset, failure(r, 'NFTP')?.expected, failure(r, 'NFTP')?.actual], ['cpd', FTPR.partition.offset + 0xc, 'NFTP', 'FTPR']);
});

test('update package: truncated table and a tampered body each name the entry field', () => {
  const ctx = context();
  const pkg = Uint8Array.from(ctx.package.pristine);
  rejects(() => parsePackage(pkg.subarray(0, 0x40)), { structure: 'firmware package entry[2]', field: '(table)', offset: 0x30, reason: 'truncated' });
  const nftp = ctx.package.entries.find((e) => e.name === 'NFTP');
  assert.ok(nftp);
  flip(pkg, nftp.offset + 0x200, 1);
  rejects(() => parsePackage(pkg), { structure: 'firmware package', field: 'entry[1].sha256', offset: nftp.entryOffset + 0x10, reason: 'bad digest' });
});
