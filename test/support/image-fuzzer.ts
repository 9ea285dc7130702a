/**
 * A deterministic, seeded fuzz engine over a real built platform (issue 2 §8). Each case applies
 * one mutation strategy (random or structure-aware, see image-fuzz-strategies.ts) to a shared copy
 * of the clean image or of a clean update package, runs every parser and the ROM on the result,
 * undoes the mutation, and judges the outcome against the oracle:
 * The image parsers, `bootImage` and `inspectImage` (what `vme image verify|inspect` run) see every
 * mutated image; the package parser and the ROM's partition checks see every mutated package.
 *   (a) every exception is a VmeError;  (b) no case takes longer than `slowMs`;
 *   (c) the ROM never boots tampered firmware (the booted partition's signed/hashed bytes equal
 *       the clean image's), and never firmware for another platform or below the SVN floor;
 *   (d) a DecodeError names a structure, a field and a plausible absolute offset.
 */
import { performance } from 'node:perf_hooks';
import type { KeyObject } from 'node:crypto';
import { VmeError } from '../../src/common/errors.js';
import { DecodeError } from '../../src/codec/index.js';
import { parseDescriptor, findRegion, regionBytes, findFmap, parseFirmwareVolume, parseGbeRegion, type Descriptor } from '../../src/flash/index.js';
import { parseMeRegion, parseCodePartition, parseFpt, findPartition, buildFirmwarePartitions, PartitionType, type CodePartitionName } from '../../src/me/index.js';
import { romBoot, verifyCodePartition, type BootLogEntry, type RomBootResult, type RomFuses } from '../../src/rom/index.js';
import { serializePackage, parsePackage, PackageHeader, PackageEntry } from '../../src/firmware/package.js';
import { firmwareOptions } from '../../src/image/build.js';
import { testPlatform, testDevelopmentKeys } from '../../src/image/testing.js';
import { bootImage, inspectImage, type ImageBootResult, type InspectReport } from '../../src/image/index.js';
import { testDefinition, TEST_DATE } from '../../src/me/testing.js';
import { SeededRandom } from './random.js';
import { describePlatform, structureSpans, type PlatformLayout, type NamedSpan } from './image-fuzz-layout.js';
import { Patch } from './image-fuzz-patch.js';
import { STRATEGIES, type Strategy, type Mutation } from './image-fuzz-strategies.js';

export { STRATEGIES, type Strategy } from './image-fuzz-strategies.js';

/** The clean firmware's SVN (and fuse floor), so an "old" genuinely signed build exists below it. */
export const CLEAN_SVN = 2;
export const CODE_PARTITIONS: readonly CodePartitionName[] = ['FTPR', 'NFTP'];
/** `inspectImage` costs ~10 ms (it scans erased partitions), so it runs on every 8th case (8 and the strategy count are coprime). */
export const INSPECT_EVERY = 8;
export type DonorName = 'other-platform' | 'other-key' | 'old-svn';

export interface PackageLayout {
  readonly pristine: Uint8Array;
  readonly work: Uint8Array;
  readonly entries: readonly { name: string; entryOffset: number; offset: number; size: number }[];
}

export interface FuzzContext {
  /** The clean image; never written. */
  readonly pristine: Uint8Array;
  /** Twice the image size: the clean image, then erased bytes (room for oversize cases). */
  readonly work: Uint8Array;
  readonly fuses: RomFuses;
  readonly layout: PlatformLayout;
  readonly spans: readonly NamedSpan[];
  readonly keys: { readonly genuine: KeyObject; readonly attacker: KeyObject };
  /** Whole code partitions of other genuine builds: another platform, another key, an older SVN. */
  readonly donors: Readonly<Record<DonorName, Readonly<Record<CodePartitionName, Uint8Array>>>>;
  /** The clean bytes [partition start, content end) the ROM must see to boot each partition. */
  readonly cleanSigned: Readonly<Record<CodePartitionName, Uint8Array>>;
  readonly cleanModules: Readonly<Record<CodePartitionName, ReadonlyMap<string, { data: Uint8Array; metadata: Uint8Array }>>>;
  readonly package: PackageLayout;
}

/** Build the clean platform, the donor builds and the clean package (about a second). */
export function createFuzzContext(): FuzzContext {
  const clean = testPlatform({ firmwareSvn: CLEAN_SVN });
  const layout = describePlatform(clean.image);
  const keys = testDevelopmentKeys();
  const donor = (overrides: { platformId?: string; firmwareSvn?: number; attacker?: boolean }): Record<CodePartitionName, Uint8Array> => {
    const signingKeys = overrides.attacker ? { ...keys, firmwareSigning: keys.oem } : keys;
    const built = buildFirmwarePartitions(firmwareOptions({
      keys: signingKeys, definition: testDefinition(), date: TEST_DATE, firmwareSvn: overrides.firmwareSvn ?? CLEAN_SVN,
      ...(overrides.platformId ? { platformId: overrides.platformId } : {}),
    }));
    return { FTPR: built.ftpr, NFTP: built.nftp };
  };
  const partitionBytes = (name: CodePartitionName): Uint8Array => clean.image.slice(layout.partitions[name].partition.offset, layout.partitions[name].partition.offset + layout.partitions[name].partition.length);
  const work = new Uint8Array(2 * clean.image.length).fill(0xff);
  work.set(clean.image, 0);
  return {
    pristine: clean.image, work, fuses: clean.fuses, layout, spans: structureSpans(layout),
    keys: { genuine: keys.firmwareSigning.privateKey, attacker: keys.oem.privateKey },
    donors: { 'other-platform': donor({ platformId: 'other-pc' }), 'other-key': donor({ attacker: true }), 'old-svn': donor({ firmwareSvn: CLEAN_SVN - 1 }) },
    cleanSigned: { FTPR: signedBytes(clean.image, layout, 'FTPR'), NFTP: signedBytes(clean.image, layout, 'NFTP') },
    cleanModules: { FTPR: modulesOf(partitionBytes('FTPR'), 'FTPR'), NFTP: modulesOf(partitionBytes('NFTP'), 'NFTP') },
    package: buildCleanPackage(clean.fuses.platformId, partitionBytes('FTPR'), partitionBytes('NFTP')),
  };
}

function signedBytes(image: Uint8Array, layout: PlatformLayout, name: CodePartitionName): Uint8Array {
  const part = layout.partitions[name];
  return image.slice(part.partition.offset, part.partition.offset + part.contentEnd);
}

function modulesOf(partition: Uint8Array, name: CodePartitionName): Map<string, { data: Uint8Array; metadata: Uint8Array }> {
  return new Map(parseCodePartition(partition, name).modules.map((m) => [m.name, { data: m.data, metadata: m.metadata }]));
}

function buildCleanPackage(platformId: string, ftpr: Uint8Array, nftp: Uint8Array): PackageLayout {
  const pristine = serializePackage({ platformId, raiseSvnFloor: false, partitions: new Map([['FTPR', ftpr], ['NFTP', nftp]]) });
  const count = pristine[PackageHeader.offsetOf('entryCount')] ?? 0;
  const entries = Array.from({ length: count }, (_, i) => {
    const entryOffset = PackageHeader.size + i * PackageEntry.size;
    const entry = PackageEntry.parse(pristine, entryOffset);
    return { name: entry.name, entryOffset, offset: entry.offset, size: entry.size };
  });
  return { pristine, work: Uint8Array.from(pristine), entries };
}

// ---- one case ---------------------------------------------------------------------------------

export interface StageError {
  readonly stage: string;
  readonly code: string;
  readonly structure?: string;
  readonly field?: string;
  readonly offset?: number;
  readonly message: string;
}

export type ViolationKind = 'untyped-exception' | 'slow' | 'tampered-boot' | 'imprecise-error' | 'imprecise-rom-failure' | 'rom-threw' | 'rom-unexpected-error';

export interface Violation {
  readonly kind: ViolationKind;
  readonly stage: string;
  readonly detail: string;
}

export interface CaseReport {
  readonly strategy: string;
  readonly index: number;
  readonly seed: number;
  readonly note: string;
  readonly length: number;
  readonly errors: StageError[];
  /** Image: operational / recovery / down; package: which partitions the ROM's checks accepted. */
  romOutcome: string;
  /** First failed ROM check per tried partition, e.g. `NFTP:signature`. */
  readonly romFailures: string[];
  readonly violations: Violation[];
  ms: number;
}

export interface CaseOptions {
  readonly slowMs?: number;
}

/** The seed of case `index` of a campaign seeded with `seed` (murmur3 finalizer of both). */
export function caseSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Run case `index` of campaign `seed` with `strategy`; the shared buffers are restored afterwards. */
export function runCase(ctx: FuzzContext, strategy: Strategy, seed: number, index: number, options: CaseOptions = {}): CaseReport {
  const random = new SeededRandom(caseSeed(seed, index));
  const patches = { image: new Patch(ctx.work), package: new Patch(ctx.package.work) };
  const started = performance.now();
  const report: CaseReport = { strategy: strategy.name, index, seed, note: '', length: 0, errors: [], romOutcome: 'not run', romFailures: [], violations: [], ms: 0 };
  try {
    const mutation = strategy.mutate(ctx, random, patches);
    Object.assign(report, { note: mutation.note, length: mutation.length });
    if (mutation.target === 'package') inspectPackage(ctx, ctx.package.work.subarray(0, mutation.length), report);
    else inspectPlatformImage(ctx, ctx.work.subarray(0, mutation.length), mutation, report);
  } catch (err) {
    report.violations.push({ kind: 'untyped-exception', stage: 'fuzzer', detail: describeError(err) });
  } finally {
    patches.image.restore();
    patches.package.restore();
  }
  report.ms = performance.now() - started;
  if (report.ms > (options.slowMs ?? 2000)) report.violations.push({ kind: 'slow', stage: 'case', detail: `${report.ms.toFixed(0)} ms` });
  return report;
}

const describeError = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message} ${err.stack?.split('\n')[1]?.trim() ?? ''}` : String(err));

/** Run one parser; a VmeError is recorded (and its precision judged), anything else is a bug. */
function stage<T>(report: CaseReport, name: string, inputLength: number, parse: () => T): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof VmeError)) {
      report.violations.push({ kind: 'untyped-exception', stage: name, detail: describeError(err) });
      return undefined;
    }
    const problem = err instanceof DecodeError ? err.problem : undefined;
    report.errors.push({ stage: name, code: err.code, message: err.message, ...(problem ? { structure: problem.structure, field: problem.field, offset: problem.offset } : {}) });
    const imprecise = err instanceof DecodeError ? impreciseDecodeError(err, inputLength) : undefined;
    if (imprecise) report.violations.push({ kind: 'imprecise-error', stage: name, detail: `${imprecise}: ${err.message}` });
    return undefined;
  }
}

/** Why a DecodeError does not name structure, field and a plausible offset (undefined if it does). */
export function impreciseDecodeError(err: DecodeError, inputLength: number): string | undefined {
  const { structure, field, offset } = err.problem;
  if (!structure || !field) return 'no structure or field';
  if (!Number.isInteger(offset) || offset < 0 || offset > inputLength) return `offset ${offset} outside 0..${inputLength}`;
  if (!err.message.includes(`${structure}.${field}`)) return 'message does not name structure.field';
  return undefined;
}

/** Checks whose failures must point at the bytes at fault (apps and the final decision need not). */
const LOCATED_CHECKS = new Set(['fpt', 'partition', 'cpd', 'manifest', 'key', 'signature', 'partition-hash', 'metadata-hash', 'module-hash', 'platform', 'rollback']);

/** Why a failed ROM check is not precise: no message, or no offset inside the ME region. */
export function impreciseRomFailure(entry: BootLogEntry, regionEnd: number): string | undefined {
  if (!entry.message) return 'no message';
  if (!LOCATED_CHECKS.has(entry.check)) return undefined;
  if (entry.offset === undefined || !Number.isInteger(entry.offset) || entry.offset < 0 || entry.offset > regionEnd) return `offset ${String(entry.offset)} outside the region`;
  return undefined;
}

interface MeLocation {
  readonly base: number;
  readonly bytes: Uint8Array;
}

function inspectPlatformImage(ctx: FuzzContext, image: Uint8Array, mutation: Mutation, report: CaseReport): void {
  const bound = Math.max(image.length, ctx.pristine.length);
  const descriptor = stage(report, 'descriptor', bound, () => parseDescriptor(image));
  if (descriptor) stage(report, 'gbe', bound, () => parseGbe(image, descriptor));
  stage(report, 'fmap', bound, () => findFmap(image));
  stage(report, 'uefi-volume', bound, () => parseFirmwareVolume(image, ctx.layout.volume.header.offset));
  const located = descriptor ? stage(report, 'me-region', bound, () => ({ base: findRegion(descriptor, 'me').base, bytes: regionBytes(image, 'me') })) : undefined;
  const parsed = located ? stage(report, 'me-region', bound, () => parseMeRegion(located.bytes, located.base)) : undefined;
  for (const p of parsed?.partitions ?? []) {
    const name = CODE_PARTITIONS.find((n) => n === p.name);
    if (name && p.type === PartitionType.code && located) stage(report, 'code-partition', bound, () => parseCodePartition(p.bytes, name, located.base + p.offset));
  }
  bootWholeImage(ctx, image, mutation, report);
  if (report.index % INSPECT_EVERY === 0) inspectWholeImage(ctx, image, mutation, report);
}

/**
 * `bootImage` (descriptor → ME region → ROM) must never throw and never boot tampered firmware.
 * When the descriptor is rejected it stays down; the ROM then also runs on the clean layout's ME
 * range (clipped to the image) so that truncated and garbled ME regions still reach it.
 */
function bootWholeImage(ctx: FuzzContext, image: Uint8Array, mutation: Mutation, report: CaseReport): void {
  let booted: ImageBootResult;
  try {
    booted = bootImage(image, ctx.fuses);
  } catch (err) {
    report.violations.push({ kind: 'rom-threw', stage: 'image-boot', detail: describeError(err) });
    return;
  }
  if (booted.meRegion) {
    judgeBoot(ctx, { base: booted.meRegion.base, bytes: image.subarray(booted.meRegion.base, booted.meRegion.base + booted.meRegion.size) }, booted, mutation, report);
    return;
  }
  if (booted.state !== 'down') report.violations.push({ kind: 'tampered-boot', stage: 'image-boot', detail: `booted ${booted.partition ?? '?'} without an ME region` });
  const me = cleanMeLocation(ctx, image);
  try {
    judgeBoot(ctx, me, romBoot(me.bytes, ctx.fuses, { regionBase: me.base }), mutation, report);
  } catch (err) {
    report.violations.push({ kind: 'rom-threw', stage: 'rom', detail: describeError(err) });
  }
}

/** `inspectImage` (vme image inspect) must never throw, never hide a non-VmeError, never call tampered code verified. */
function inspectWholeImage(ctx: FuzzContext, image: Uint8Array, mutation: Mutation, report: CaseReport): void {
  let inspected: InspectReport;
  try {
    inspected = inspectImage(image, ctx.fuses);
  } catch (err) {
    report.violations.push({ kind: 'untyped-exception', stage: 'inspect', detail: `inspectImage threw: ${describeError(err)}` });
    return;
  }
  for (const e of inspected.errors) {
    if (e.code === 'VME_ERR_INTERNAL') report.violations.push({ kind: 'untyped-exception', stage: `inspect ${e.section}`, detail: e.message });
  }
  for (const code of inspected.code.filter((c) => c.verified)) {
    const size = inspected.partitions.find((p) => p.offset === code.offset)?.size ?? 0;
    const problem = bootedProblem(ctx, { partition: code.name, firmware: undefined }, image.subarray(code.offset, code.offset + size), mutation.oracle);
    if (problem) report.violations.push({ kind: 'tampered-boot', stage: `inspect ${code.name}`, detail: `reported verified: ${problem}` });
  }
}

function parseGbe(image: Uint8Array, descriptor: Descriptor): unknown {
  const gbe = findRegion(descriptor, 'gbe');
  return parseGbeRegion(image.subarray(gbe.base, gbe.limit + 1), gbe.base);
}

/** Where the ME region is in the clean layout, clipped to the (possibly truncated) image. */
function cleanMeLocation(ctx: FuzzContext, image: Uint8Array): MeLocation {
  const { offset, length } = ctx.layout.me;
  return { base: offset, bytes: image.subarray(Math.min(offset, image.length), Math.min(offset + length, image.length)) };
}

function judgeBoot(ctx: FuzzContext, me: MeLocation, result: RomBootResult, mutation: Mutation, report: CaseReport): void {
  report.romOutcome = result.state;
  report.romFailures.push(...result.verdicts.filter((v) => !v.ok).map((v) => `${v.partition}:${v.failedCheck ?? '?'}`));
  const regionEnd = Math.max(me.base + me.bytes.length, ctx.layout.me.offset + ctx.layout.me.length);
  for (const entry of result.log) {
    if (entry.message.startsWith('unexpected error')) report.violations.push({ kind: 'rom-unexpected-error', stage: `rom ${entry.partition ?? '-'} ${entry.check}`, detail: entry.message });
    const imprecise = entry.ok ? undefined : impreciseRomFailure(entry, regionEnd);
    if (imprecise) report.violations.push({ kind: 'imprecise-rom-failure', stage: `rom ${entry.partition ?? '-'} ${entry.check}`, detail: `${imprecise}: ${entry.message}` });
  }
  if (result.state !== 'down' && result.partition) {
    const bytes = bootedPartition(me, result.partition);
    const problem = bytes ? bootedProblem(ctx, result, bytes, mutation.oracle) : 'booted partition not found in $FPT';
    if (problem) report.violations.push({ kind: 'tampered-boot', stage: `rom ${result.partition}`, detail: problem });
  }
}

/** The bytes of the partition the ROM booted, found through the (mutated) `$FPT` as the ROM did. */
function bootedPartition(me: MeLocation, name: CodePartitionName): Uint8Array | undefined {
  try {
    const entry = findPartition(parseFpt(me.bytes, me.base), name);
    return entry ? me.bytes.subarray(entry.offset, entry.offset + entry.size) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why booting `bytes` breaks the oracle, if it does. `strict`: the signed/hashed bytes equal the
 * clean ones. `modules` (a genuine insider re-signed the manifest): every module and `.met` the ROM
 * accepted equals the clean one. Always: the right platform and an SVN at or above the floor.
 */
export function bootedProblem(ctx: FuzzContext, result: Pick<RomBootResult, 'partition' | 'firmware'>, bytes: Uint8Array, oracle: Mutation['oracle']): string | undefined {
  const name = result.partition;
  if (!name) return undefined;
  const firmware = result.firmware;
  if (firmware && firmware.platformId !== ctx.fuses.platformId) return `booted firmware for platform ${firmware.platformId}`;
  if (firmware && firmware.arbSvn < ctx.fuses.svnFloor) return `booted ARB SVN ${firmware.arbSvn} below floor ${ctx.fuses.svnFloor}`;
  if (oracle === 'modules') return changedModule(ctx, name, bytes);
  const clean = ctx.cleanSigned[name];
  const seen = bytes.subarray(0, clean.length);
  const differsAt = seen.length === clean.length ? seen.findIndex((b, i) => b !== clean[i]) : seen.length;
  return differsAt < 0 ? undefined : `booted ${name} differs from the clean image at partition offset 0x${differsAt.toString(16)}`;
}

function changedModule(ctx: FuzzContext, name: CodePartitionName, bytes: Uint8Array): string | undefined {
  let modules: ReturnType<typeof parseCodePartition>['modules'];
  try {
    modules = parseCodePartition(bytes, name).modules;
  } catch (err) {
    return `booted ${name} does not parse: ${describeError(err)}`;
  }
  const clean = ctx.cleanModules[name];
  if (modules.map((m) => m.name).join() !== [...clean.keys()].join()) return `booted ${name} with modules ${modules.map((m) => m.name).join()}`;
  const changed = modules.find((m) => !sameBytes(m.data, clean.get(m.name)?.data) || !sameBytes(m.metadata, clean.get(m.name)?.metadata));
  return changed ? `booted ${name} with a changed module ${changed.name}` : undefined;
}

const sameBytes = (a: Uint8Array, b: Uint8Array | undefined): boolean => b !== undefined && Buffer.from(a).equals(Buffer.from(b));

function inspectPackage(ctx: FuzzContext, bytes: Uint8Array, report: CaseReport): void {
  const pkg = stage(report, 'package', bytes.length, () => parsePackage(bytes));
  report.romOutcome = 'not run (package rejected)';
  if (!pkg) return;
  const accepted: string[] = [];
  for (const [name, data] of pkg.partitions) {
    try {
      const verdict = verifyCodePartition(data, name, ctx.fuses);
      if (!verdict.ok) report.romFailures.push(`${name}:${verdict.failedCheck ?? '?'}`);
      if (!verdict.ok) continue;
      accepted.push(name);
      const problem = bootedProblem(ctx, { partition: name, firmware: verdict.firmware }, data, 'strict');
      if (problem) report.violations.push({ kind: 'tampered-boot', stage: `package ${name}`, detail: problem });
    } catch (err) {
      report.violations.push({ kind: 'rom-threw', stage: `package ${name}`, detail: describeError(err) });
    }
  }
  report.romOutcome = accepted.length ? `verified ${accepted.join('+')}` : 'none verified';
}

// ---- campaigns and statistics -------------------------------------------------------------------

export interface ViolationRecord extends Violation {
  readonly strategy: string;
  readonly seed: number;
  readonly index: number;
  readonly note: string;
}

export interface StrategyStats {
  cases: number;
  accepted: number;
  rejected: number;
  rejections: Record<string, number>;
  romOutcomes: Record<string, number>;
  romFailures: Record<string, number>;
  slow: number;
  maxMs: number;
  totalMs: number;
  violationCount: number;
  violations: ViolationRecord[];
}

export type CampaignStats = Record<string, StrategyStats>;

const MAX_KEPT_VIOLATIONS = 20;

export const emptyStats = (): StrategyStats => ({ cases: 0, accepted: 0, rejected: 0, rejections: {}, romOutcomes: {}, romFailures: {}, slow: 0, maxMs: 0, totalMs: 0, violationCount: 0, violations: [] });
const bump = (counts: Record<string, number>, key: string, by = 1): void => {
  counts[key] = (counts[key] ?? 0) + by;
};

/** A rejection's class: stage, error code, structure (entry names and GUIDs folded) and field. */
export function rejectionKey(error: StageError): string {
  const structure = (error.structure ?? '')
    .replace(/ "[^]*"$/, '')
    .replace(/ \([^)]*\)$/, '')
    .replace(/ [0-9A-F]{8}-[0-9A-F-]{27}$/i, '')
    .replace(/\[\d+\]/g, '[]')
    .replace(/extension 0x([0-9A-F]+)$/, (_m, type: string) => (['3', 'A', 'F'].includes(type) ? `extension 0x${type}` : 'extension (other)'));
  const field = (error.field ?? '').replace(/\[\d+\]/g, '[]').replace(/^FLREG\d+ /, 'FLREGn ');
  return error.structure ? `${error.stage}: ${structure}.${field}` : `${error.stage}: ${error.code}`;
}

export function record(stats: StrategyStats, report: CaseReport): void {
  stats.cases++;
  const first = report.errors[0];
  if (first) {
    stats.rejected++;
    bump(stats.rejections, rejectionKey(first));
  } else {
    stats.accepted++;
  }
  bump(stats.romOutcomes, report.romOutcome);
  for (const failure of report.romFailures) bump(stats.romFailures, failure);
  if (report.violations.some((v) => v.kind === 'slow')) stats.slow++;
  stats.maxMs = Math.max(stats.maxMs, report.ms);
  stats.totalMs += report.ms;
  stats.violationCount += report.violations.length;
  for (const v of report.violations) {
    if (stats.violations.length < MAX_KEPT_VIOLATIONS) stats.violations.push({ ...v, strategy: report.strategy, seed: report.seed, index: report.index, note: report.note });
  }
}

export function mergeStats(into: CampaignStats, from: CampaignStats): CampaignStats {
  for (const [name, s] of Object.entries(from)) {
    const t = (into[name] ??= emptyStats());
    t.cases += s.cases;
    t.accepted += s.accepted;
    t.rejected += s.rejected;
    t.slow += s.slow;
    t.maxMs = Math.max(t.maxMs, s.maxMs);
    t.totalMs += s.totalMs;
    t.violationCount += s.violationCount;
    t.violations.push(...s.violations.slice(0, MAX_KEPT_VIOLATIONS - t.violations.length));
    for (const key of ['rejections', 'romOutcomes', 'romFailures'] as const) for (const [k, n] of Object.entries(s[key])) bump(t[key], k, n);
  }
  return into;
}

export interface CampaignOptions {
  readonly seed: number;
  readonly cases: number;
  /** First case index (default 0); with `stride`, lets workers split one campaign. */
  readonly first?: number;
  readonly stride?: number;
  /** Restrict to these strategy names (default: all). */
  readonly strategies?: readonly string[];
  readonly slowMs?: number;
  readonly onCaseStart?: (index: number) => void;
  readonly onCaseDone?: (report: CaseReport) => void;
}

/** The strategies a campaign cycles through. @throws Error naming the known ones for an unknown name. */
export function selectStrategies(names?: readonly string[]): Strategy[] {
  if (!names || names.length === 0) return [...STRATEGIES];
  return names.map((name) => {
    const found = STRATEGIES.find((s) => s.name === name);
    if (!found) throw new Error(`unknown strategy ${name}; known: ${STRATEGIES.map((s) => s.name).join(', ')}`);
    return found;
  });
}

/** Case `index` uses strategy `index mod n`, so every strategy gets an equal share. */
export function runCampaign(ctx: FuzzContext, options: CampaignOptions): CampaignStats {
  const strategies = selectStrategies(options.strategies);
  const stats: CampaignStats = Object.fromEntries(strategies.map((s) => [s.name, emptyStats()]));
  for (let index = options.first ?? 0; index < options.cases; index += options.stride ?? 1) {
    const strategy = strategies[index % strategies.length] as Strategy;
    options.onCaseStart?.(index);
    const report = runCase(ctx, strategy, options.seed, index, options.slowMs !== undefined ? { slowMs: options.slowMs } : {});
    record(stats[strategy.name] ?? emptyStats(), report);
    options.onCaseDone?.(report);
  }
  return stats;
}

/** Total violations over all strategies. */
export const violationsOf = (stats: CampaignStats): ViolationRecord[] => Object.values(stats).flatMap((s) => s.violations);
export const violationCount = (stats: CampaignStats): number => Object.values(stats).reduce((n, s) => n + s.violationCount, 0);

const top = (counts: Record<string, number>, n: number): string =>
  Object.entries(counts).sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, c]) => `${k} ×${c}`).join('; ');

/** A Markdown table: one row per strategy with its outcomes. */
export function formatStatsTable(stats: CampaignStats): string {
  const head = ['strategy', 'cases', 'parsed ok', 'rejected', 'ROM outcomes', 'top rejections (first error)', 'top ROM failures', 'max ms', 'slow', 'violations'];
  const rows = Object.entries(stats).map(([name, s]) => [
    name, s.cases, s.accepted, s.rejected, top(s.romOutcomes, 4), top(s.rejections, 3), top(s.romFailures, 3), s.maxMs.toFixed(1), s.slow, s.violationCount,
  ].join(' | '));
  const total = emptyStats();
  for (const s of Object.values(stats)) mergeStats({ all: total }, { all: s });
  rows.push([`**all**`, total.cases, total.accepted, total.rejected, top(total.romOutcomes, 6), `${Object.keys(total.rejections).length} distinct`, `${Object.keys(total.romFailures).length} distinct`, total.maxMs.toFixed(1), total.slow, total.violationCount].join(' | '));
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r} |`)].join('\n');
}
