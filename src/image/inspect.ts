/**
 * `vme image inspect`: everything a flash image says about itself — descriptor, regions, access
 * per master, FMAP, GbE, BIOS volume, `$FPT` partitions, manifests, modules and signature status.
 * Each section is read independently, so a broken structure is reported and the rest still shown.
 */
import { parseDescriptor, findFmap, parseGbeRegion, parseFirmwareVolume, MASTER_NAMES, type Descriptor, type RegionName } from '../flash/index.js';
import { parseMeRegion, parseCodePartition, versionText, KEY_BLOCK_OFFSET, KEY_BLOCK_LENGTH, type CodePartitionName } from '../me/index.js';
import { sha256, toHex } from '../crypto/index.js';
import { verifyCodePartition, type RomFuses, type RomCheck } from '../rom/index.js';
import type { VmeError } from '../common/errors.js';

export interface SectionError {
  section: string;
  code: string;
  message: string;
}

export interface CodePartitionReport {
  name: CodePartitionName;
  offset: number;
  version: string;
  svn: number;
  arbSvn: number | null;
  platformId: string;
  date: string;
  keyHash: string;
  /** `trusted` = key hash equals the fuses'; `untrusted` = it does not; `unknown` = no fuse file given. */
  keyTrust: 'trusted' | 'untrusted' | 'unknown';
  /** Outcome of the ROM's checks (against the fuses, or self-consistency when none are given). */
  verified: boolean;
  failedCheck: RomCheck | null;
  failure: string | null;
  modules: { name: string; size: number; sha256: string }[];
  apps: string[];
}

export interface InspectReport {
  size: number;
  descriptor: (Pick<Descriptor, 'locked' | 'hap' | 'components'> & { signatureOffset: number }) | null;
  regions: { index: number; name: RegionName; base: number; limit: number; size: number }[];
  access: Record<string, { read: RegionName[]; write: RegionName[]; raw: number }>;
  fmap: { offset: number; areas: { name: string; offset: number; size: number }[] } | null;
  gbe: { mac: string } | null;
  biosVolume: { offset: number; length: number; files: { name: string; type: number; size: number }[] } | null;
  partitions: { name: string; type: number; offset: number; size: number; erased: boolean | null }[];
  code: CodePartitionReport[];
  errors: SectionError[];
}

/** Inspect `image`; with `fuses`, signature status is judged against the fused key as the ROM does. */
export function inspectImage(image: Uint8Array, fuses?: RomFuses): InspectReport {
  const report: InspectReport = { size: image.length, descriptor: null, regions: [], access: {}, fmap: null, gbe: null, biosVolume: null, partitions: [], code: [], errors: [] };
  const section = (name: string, body: () => void): void => {
    try {
      body();
    } catch (err) {
      const e = err as Partial<VmeError> & Error;
      report.errors.push({ section: name, code: e.code ?? 'VME_ERR_INTERNAL', message: e.message });
    }
  };
  let descriptor: Descriptor | undefined;
  section('descriptor', () => {
    descriptor = parseDescriptor(image);
    report.descriptor = { signatureOffset: 0x10, locked: descriptor.locked, hap: descriptor.hap, components: descriptor.components };
    report.regions = descriptor.regions.filter((r) => r.used).map(({ index, name, base, limit, size }) => ({ index, name, base, limit, size }));
    for (const m of MASTER_NAMES) report.access[m] = { read: descriptor.masters[m].read, write: descriptor.masters[m].write, raw: descriptor.masters[m].raw };
  });
  const region = (name: RegionName): { base: number; bytes: Uint8Array } | undefined => {
    const r = report.regions.find((x) => x.name === name);
    return r ? { base: r.base, bytes: image.subarray(r.base, r.limit + 1) } : undefined;
  };
  section('fmap', () => {
    const found = findFmap(image);
    if (found) report.fmap = { offset: found.offset, areas: found.fmap.areas.map((a) => ({ name: a.name, offset: a.offset, size: a.size })) };
  });
  section('gbe', () => {
    const gbe = region('gbe');
    if (gbe) report.gbe = { mac: parseGbeRegion(gbe.bytes, gbe.base).mac };
  });
  section('bios', () => inspectBios(report, region('bios')));
  section('me', () => inspectMe(report, region('me'), fuses));
  return report;
}

function inspectBios(report: InspectReport, bios: { base: number; bytes: Uint8Array } | undefined): void {
  if (!bios) return;
  // The volume sits at the top of the BIOS region; find its `_FVH` signature (at +0x28) on 4 KiB steps from the top.
  for (let off = bios.bytes.length - 0x1000; off >= 0; off -= 0x1000) {
    if (bios.bytes[off + 0x28] === 0x5f && Buffer.from(bios.bytes.subarray(off + 0x28, off + 0x2c)).toString('latin1') === '_FVH') {
      const fv = parseFirmwareVolume(bios.bytes, off, bios.base);
      report.biosVolume = { offset: bios.base + off, length: fv.length, files: fv.files.map((f) => ({ name: f.name, type: f.type, size: f.size })) };
      return;
    }
  }
}

function inspectMe(report: InspectReport, me: { base: number; bytes: Uint8Array } | undefined, fuses: RomFuses | undefined): void {
  if (!me) return;
  const parsed = parseMeRegion(me.bytes, me.base);
  for (const p of parsed.partitions) {
    const code = p.name === 'FTPR' || p.name === 'NFTP';
    report.partitions.push({ name: p.name, type: p.type, offset: me.base + p.offset, size: p.size, erased: code ? null : p.bytes.every((b) => b === 0xff) });
    if (code) {
      try {
        report.code.push(inspectCodePartition(p.name as CodePartitionName, p.bytes, me.base + p.offset, fuses));
      } catch (err) {
        const e = err as Partial<VmeError> & Error;
        report.errors.push({ section: `me/${p.name}`, code: e.code ?? 'VME_ERR_INTERNAL', message: e.message });
      }
    }
  }
}

function inspectCodePartition(name: CodePartitionName, bytes: Uint8Array, base: number, fuses: RomFuses | undefined): CodePartitionReport {
  const parsed = parseCodePartition(bytes, name, base);
  const m = parsed.manifest;
  const keyHash = toHex(sha256(m.bytes.subarray(KEY_BLOCK_OFFSET, KEY_BLOCK_OFFSET + KEY_BLOCK_LENGTH)));
  // Without fuses, judge self-consistency: the embedded key, the manifest's own platform, no floor.
  const judge: RomFuses = fuses ?? { firmwareKeyHash: keyHash, platformId: m.header.platformId, svnFloor: 0 };
  const verdict = verifyCodePartition(bytes, name, judge, base);
  const failed = verdict.log.find((e) => !e.ok);
  const date = m.header.date;
  return {
    name, offset: base, version: versionText(m.version), svn: m.header.svn,
    arbSvn: m.extensions.signedPackageInfo?.arbSvn ?? null, platformId: m.header.platformId,
    date: `${(date >>> 16).toString(16).padStart(4, '0')}-${((date >>> 8) & 0xff).toString(16).padStart(2, '0')}-${(date & 0xff).toString(16).padStart(2, '0')}`,
    keyHash, keyTrust: fuses ? (keyHash === fuses.firmwareKeyHash ? 'trusted' : 'untrusted') : 'unknown',
    verified: verdict.ok, failedCheck: verdict.failedCheck ?? null,
    failure: failed ? `${failed.message}${failed.expected !== undefined ? ` (expected ${failed.expected}, actual ${failed.actual ?? '?'})` : ''}` : null,
    modules: parsed.modules.map((mod) => ({ name: mod.name, size: mod.data.length, sha256: toHex(sha256(mod.data)) })),
    apps: verdict.firmware?.apps.map((a) => a.name) ?? [],
  };
}
