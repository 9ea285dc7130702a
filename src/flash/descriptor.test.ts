// Descriptor tests: golden bytes of the 8 MiB layout, round trips, lock/unlock, every validation error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DecodeError } from '../codec/index.js';
import { VmeError } from '../common/errors.js';
import { buildDescriptor, parseDescriptor, defaultLayout, lockDescriptor, unlockDescriptor, lockedMasterValues, findRegion, DESCRIPTOR_SIZE } from './descriptor.js';
import { FlashRangeError } from './errors.js';

const MiB = 1024 * 1024;
const build8 = (access?: 'locked' | 'unlocked'): Uint8Array => buildDescriptor({ sizeBytes: 8 * MiB, regions: defaultLayout(8 * MiB), ...(access ? { access } : {}) });

/** Every dword of the 8 MiB descriptor that is not 0xFFFFFFFF (brief §1.6 plus the GbE region). */
const GOLDEN_8MIB: [offset: number, value: number][] = [
  [0x010, 0x0ff0a55a], // FLVALSIG: valid-descriptor signature
  [0x014, 0x00040003], // FLMAP0: FCBA 0x30, NC 0 (one component), FRBA 0x40, NR 0
  [0x018, 0x12100208], // FLMAP1: FMBA 0x80, NM 2, FPSBA 0x100, PSL 0x12 dwords
  [0x01c, 0x00310030], // FLMAP2: FMSBA 0x300, MSL 0, ICCRIBA 0x31, RIL 0
  [0x030, 0x36cc00f4], // FLCOMP: every clock 17 MHz, component 2 unused (0xF), component 1 8 MiB (4)
  [0x034, 0x00000000], // FLILL: no invalid instructions
  [0x038, 0x00000000], // FLILL1: no invalid instructions
  [0x040, 0x00000000], // FLREG0 descriptor 0x000000-0x000FFF
  [0x044, 0x07ff0300], // FLREG1 BIOS 0x300000-0x7FFFFF
  [0x048, 0x02ff0003], // FLREG2 ME 0x003000-0x2FFFFF
  [0x04c, 0x00020001], // FLREG3 GbE 0x001000-0x002FFF
  ...Array.from({ length: 12 }, (_, i): [number, number] => [0x050 + 4 * i, 0x00007fff]), // FLREG4..15 unused
  [0x080, 0x00a00b00], // FLMSTR1 host: read fd, BIOS, GbE; write BIOS, GbE
  [0x084, 0x00400d00], // FLMSTR2 ME: read fd, ME, GbE; write ME
  [0x088, 0x00800900], // FLMSTR3 GbE: read fd, GbE; write GbE
  [0x08c, 0x00000000], // FLMSTR4: written explicitly (0xFF bytes would mean "all access")
  [0x090, 0x00000000], // FLMSTR5 EC: no EC region, no access
  ...Array.from({ length: 18 }, (_, i): [number, number] => [0x100 + 4 * i, 0]), // PCHSTRP0..17 (HAP clear)
  [0xefc, 0x00000000], // FLUMAP1: no ME VSCC table
];

test('the 8 MiB descriptor matches the golden bytes dword by dword', () => {
  const bytes = build8();
  assert.equal(bytes.length, DESCRIPTOR_SIZE);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const golden = new Map(GOLDEN_8MIB);
  for (let offset = 0; offset < DESCRIPTOR_SIZE; offset += 4) {
    const want = golden.get(offset) ?? 0xffffffff;
    assert.equal(view.getUint32(offset, true), want, `dword at 0x${offset.toString(16)}`);
  }
});

test('parse gives back the regions, masters and density of the 8 and 16 MiB layouts', () => {
  for (const size of [8 * MiB, 16 * MiB]) {
    const d = parseDescriptor(buildDescriptor({ sizeBytes: size, regions: defaultLayout(size) }), { imageSize: size });
    const used = d.regions.filter((r) => r.used).map((r) => ({ name: r.name, base: r.base, limit: r.limit }));
    assert.deepEqual(used.sort((a, b) => a.base - b.base), defaultLayout(size));
    assert.deepEqual(d.components, [size]);
    assert.equal(d.locked, true);
    assert.equal(d.hap, false);
    assert.deepEqual(d.masters.host, { master: 'host', register: 'FLMSTR1', raw: 0x00a00b00, read: ['fd', 'bios', 'gbe'], write: ['bios', 'gbe'] });
    assert.deepEqual(d.masters.me.read, ['fd', 'me', 'gbe']);
    assert.deepEqual(d.masters.me.write, ['me']);
    assert.equal(findRegion(d, 'me').size, (size === 8 * MiB ? 0x300000 : 0x500000) - 0x3000);
  }
});

test('parse accepts a whole image and finds it locked; findRegion refuses unused regions', () => {
  const image = new Uint8Array(8 * MiB).fill(0xff);
  image.set(build8());
  const d = parseDescriptor(image);
  assert.equal(d.imageSize, 8 * MiB);
  assert.throws(() => findRegion(d, 'ec'), FlashRangeError);
});

test('unlock sets every read/write bit of FLMSTR1/2/3/5; lock restores the built bytes', () => {
  const locked = build8();
  const unlocked = unlockDescriptor(locked);
  const d = parseDescriptor(unlocked, { imageSize: 8 * MiB });
  assert.equal(d.locked, false);
  for (const m of ['host', 'me', 'gbe', 'ec'] as const) assert.equal(d.masters[m].raw, 0xffffff00);
  assert.equal(d.flmstr4, 0);
  assert.deepEqual(build8('unlocked'), unlocked);
  assert.deepEqual(lockDescriptor(unlocked), locked);
  assert.deepEqual(lockDescriptor(locked), locked);
});

test('lock grants follow the region set (GbE, PDR, EC) and keep the low bytes', () => {
  assert.deepEqual(lockedMasterValues(new Set(['fd', 'bios', 'me'])), { host: 0x00200300, me: 0x00400500, gbe: 0, ec: 0 });
  assert.deepEqual(lockedMasterValues(new Set(['fd', 'bios', 'me', 'gbe', 'pd', 'ec'])), { host: 0x01a11b00, me: 0x00400d00, gbe: 0x00800900, ec: 0x10010100 });
  const bytes = build8();
  bytes[0x80] = 0x5a; // FLMSTR1 low byte (requester-id bits on v1, extended regions on v2)
  assert.equal(lockDescriptor(bytes)[0x80], 0x5a);
});

/** Build, let `mutate` damage a copy, and return the DecodeError parse raises. */
function decodeErrorOf(mutate: (view: DataView, bytes: Uint8Array) => Uint8Array | void, imageSize = 8 * MiB): DecodeError {
  const bytes = build8();
  const view = new DataView(bytes.buffer);
  const input = mutate(view, bytes) ?? bytes;
  try {
    parseDescriptor(input, { imageSize });
  } catch (err) {
    assert.ok(err instanceof DecodeError, `expected DecodeError, got ${String(err)}`);
    return err;
  }
  assert.fail('parse accepted a damaged descriptor');
}

test('a missing signature is reported at 0x10 with expected and actual values', () => {
  const e = decodeErrorOf((v) => v.setUint32(0x10, 0x12345678, true));
  assert.deepEqual([e.problem.structure, e.problem.field, e.problem.offset, e.problem.reason], ['flash descriptor map', 'flvalsig', 0x10, 'bad magic']);
  assert.equal(e.problem.expected, '0x0FF0A55A');
  assert.equal(e.problem.actual, '0x12345678');
});

test('inputs shorter than 4 KiB are truncated', () => {
  for (const length of [0, 0x14, 0xfff]) {
    const e = decodeErrorOf((_v, b) => b.subarray(0, length));
    assert.deepEqual([e.problem.field, e.problem.offset, e.problem.reason, e.problem.actual], ['(whole)', 0, 'truncated', `${length} bytes`]);
  }
});

test('base pointers outside the 4 KiB descriptor or into the map are refused', () => {
  const cases: [offset: number, value: number, field: string][] = [
    [0x14, 0x00ff0003, 'FLMAP0.FRBA'], // regions at 0xFF0 run past 4 KiB
    [0x14, 0x00040000, 'FLMAP0.FCBA'], // components at 0x000, inside the map
    [0x18, 0x121002ff, 'FLMAP1.FMBA'], // masters at 0xFF0
    [0x18, 0xfff00208, 'FLMAP1.FPSBA'], // straps at 0xF00, 0xFF dwords long
    [0x1c, 0x0031ffff, 'FLMAP2.FMSBA'], // processor straps at 0xFF0, 0xFF dwords long
  ];
  for (const [offset, value, field] of cases) {
    const e = decodeErrorOf((v) => v.setUint32(offset, value, true));
    assert.equal(e.problem.field, field);
    assert.equal(e.problem.offset, offset);
    assert.equal(e.problem.reason, 'section outside the descriptor');
  }
});

const setRegion = (view: DataView, index: number, base: number, limit: number): void =>
  view.setUint32(0x40 + 4 * index, ((limit >>> 12) << 16) | (base >>> 12), true);

test('a region past the end of the image is refused with its register and span', () => {
  const e = decodeErrorOf((v) => setRegion(v, 1, 0x300000, 0x8fffff));
  assert.deepEqual([e.problem.field, e.problem.offset, e.problem.reason], ['FLREG1 (bios)', 0x44, 'region outside the image']);
  assert.equal(e.problem.actual, '0x00300000-0x008FFFFF');
});

test('overlapping regions are refused, naming both', () => {
  const e = decodeErrorOf((v) => setRegion(v, 3, 0x2000, 0x3fff)); // GbE runs into ME at 0x3000
  assert.deepEqual([e.problem.field, e.problem.offset, e.problem.reason], ['FLREG3 (gbe)', 0x4c, 'regions overlap']);
  assert.match(e.problem.expected ?? '', /FLREG2 \(me\) 0x00003000-0x002FFFFF/);
});

test('a descriptor region that is not 0x0-0xFFF is refused', () => {
  assert.equal(decodeErrorOf((v) => setRegion(v, 0, 0x1000, 0x1fff)).problem.reason, 'descriptor region not at 0');
  const e = decodeErrorOf((v) => v.setUint32(0x40, 0x7fff, true));
  assert.deepEqual([e.problem.field, e.problem.actual], ['FLREG0 (fd)', 'unused']);
});

test('an image whose size differs from the FLCOMP density is refused', () => {
  const e = decodeErrorOf(() => undefined, 16 * MiB);
  assert.deepEqual([e.problem.field, e.problem.offset, e.problem.reason], ['FLCOMP.comp1Density', 0x30, 'image size does not match density']);
  assert.deepEqual([e.problem.expected, e.problem.actual], ['0x00800000 bytes', '0x01000000 bytes']);
  assert.equal(decodeErrorOf((v) => v.setUint32(0x30, 0x36cc00f9, true)).problem.reason, 'out of range'); // density code 9
  assert.equal(decodeErrorOf((v) => v.setUint32(0x14, 0x00040203, true)).problem.field, 'FLMAP0.NC'); // three components
});

test('buildDescriptor refuses impossible specs with usage errors', () => {
  const layout = defaultLayout(8 * MiB);
  const gbe = { name: 'gbe' as const, base: 0x1000, limit: 0x2fff };
  const bad = [
    { sizeBytes: 3 * MiB, regions: layout },
    { sizeBytes: 8 * MiB, regions: layout.filter((r) => r.name !== 'fd') },
    { sizeBytes: 8 * MiB, regions: [...layout, { name: 'ec' as const, base: 0x2000, limit: 0x2fff }] },
    { sizeBytes: 8 * MiB, regions: [...layout, { name: 'pd' as const, base: 0x800000, limit: 0x800fff }] },
    { sizeBytes: 8 * MiB, regions: [...layout, { name: 'pd' as const, base: 0x100, limit: 0x800 }] },
    { sizeBytes: 8 * MiB, regions: [...layout, gbe] }, // listed twice
  ];
  for (const spec of bad) assert.throws(() => buildDescriptor(spec), (e: unknown) => e instanceof VmeError && e.code === 'VME_ERR_USAGE');
});

test('defaultLayout exists for 8 and 16 MiB only', () => {
  assert.deepEqual(defaultLayout(16 * MiB).map((r) => r.limit), [0xfff, 0x2fff, 0x4fffff, 0xffffff]);
  assert.throws(() => defaultLayout(4 * MiB), /no default flash layout for 4194304 bytes/);
});
