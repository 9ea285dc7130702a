/**
 * `vme firmware pack` (sign a release into an update package) and `vme firmware update IMAGE`
 * (apply a package to an image file as the ME master, then boot the result with the ROM).
 * Refusals carry the failed check's error code; rollback refusals exit with "denied" (4).
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { VmeError } from '../../common/errors.js';
import { loadKeys, DEFAULT_KEYS_DIR } from '../../platform/keys.js';
import { readFuses, fusesPathFor } from '../../platform/fuses.js';
import { loadManifestDefinition } from '../../me/app-manifest.js';
import { DEFAULT_PLATFORM_ID } from '../../me/firmware-build.js';
import { PLATFORM_ID } from '../../me/code-partition.js';
import { FileBacking } from '../../flash/backing.js';
import { FlashController } from '../../flash/controller.js';
import { romBoot, type RomState } from '../../rom/index.js';
import { writeFileAtomic } from '../../image/files.js';
import { packFirmware, applyUpdate, versionText, UPDATE_MASTER, type UpdateResult, type UpdateProgress } from '../../firmware/index.js';
import { emit } from '../output.js';
import { DEFAULT_FIRMWARE_VERSION_TEXT, parseCount, parseVersion } from '../parse.js';

interface PackOptions {
  keys: string;
  out: string;
  platformId: string;
  firmwareVersion: string;
  svn: string;
  raiseFloor?: boolean;
  manifest?: string;
  json?: boolean;
}

interface UpdateCommandOptions {
  package: string;
  fuses?: string;
  json?: boolean;
}

interface PackResult {
  out: string;
  bytes: number;
  sha256: string;
  platformId: string;
  version: string;
  svn: number;
  raiseSvnFloor: boolean;
}

interface UpdateCommandResult extends UpdateResult {
  image: string;
  fuses: string;
  boot: { state: RomState; partition: string | null; version: string | null };
}

const usage = (message: string): VmeError => new VmeError('VME_ERR_USAGE', message);

function readInput(path: string, what: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new VmeError('VME_ERR_IO', `cannot read ${what} ${path}: ${(err as Error).message}`, { path });
  }
}

function runPack(opts: PackOptions): PackResult {
  if (!PLATFORM_ID.test(opts.platformId)) throw usage(`--platform-id must be 1-16 printable ASCII characters (got ${JSON.stringify(opts.platformId)})`);
  const version = parseVersion(opts.firmwareVersion);
  const svn = parseCount(opts.svn, '--svn');
  const definition = opts.manifest ? loadManifestDefinition(opts.manifest) : loadManifestDefinition();
  const bytes = packFirmware({ keys: loadKeys(opts.keys), definition, platformId: opts.platformId, version, svn, raiseSvnFloor: opts.raiseFloor ?? false });
  writeFileAtomic(opts.out, bytes);
  return {
    out: opts.out, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'),
    platformId: opts.platformId, version: versionText(version), svn, raiseSvnFloor: opts.raiseFloor ?? false,
  };
}

function runUpdate(image: string, opts: UpdateCommandOptions): UpdateCommandResult {
  const packageBytes = readInput(opts.package, 'update package');
  const fusesPath = opts.fuses ?? fusesPathFor(image);
  const fuses = readFuses(fusesPath);
  const backing = FileBacking.open(image);
  try {
    const controller = new FlashController(backing);
    const onProgress = opts.json ? undefined : (p: UpdateProgress) => {
      if (p.step !== 'chunk' || p.written) process.stderr.write(`vme: ${p.message}\n`);
    };
    const result = applyUpdate({ controller, fuses, fusesPath, packageBytes, ...(onProgress ? { onProgress } : {}) });
    const region = controller.region('me');
    const boot = romBoot(controller.read(UPDATE_MASTER, 'me', 0, region.size), readFuses(fusesPath), { regionBase: region.base });
    const version = boot.firmware ? versionText(boot.firmware.version) : null;
    return { image, fuses: fusesPath, ...result, boot: { state: boot.state, partition: boot.partition, version } };
  } finally {
    backing.close();
  }
}

function renderPack(r: PackResult): string {
  return [
    `wrote update package ${r.out} (${r.bytes} bytes, sha256 ${r.sha256})`,
    `firmware ${r.version} for platform ${r.platformId}, SVN ${r.svn}${r.raiseSvnFloor ? `; raises the anti-rollback floor to ${r.svn} when applied` : ''}`,
  ].join('\n');
}

function renderUpdate(r: UpdateCommandResult): string {
  const before = r.before.version ? `${r.before.version} (${r.before.state})` : 'down';
  return [
    `updated ${r.image}: ${before} -> ${r.newVersion}`,
    ...r.partitions.map((p) => `  ${p.partition}: ${p.chunksWritten} chunks rewritten, ${p.chunksUnchanged} unchanged, ${p.bytesWritten} bytes programmed`),
    `bytes programmed: ${r.bytesWritten}; write order: ${r.order.join(', ')}`,
    `anti-rollback floor (${r.fuses}): ${r.svnFloorBefore}${r.svnFloorAfter !== r.svnFloorBefore ? ` -> ${r.svnFloorAfter}` : ' (unchanged)'}`,
    `ROM boot: ${r.boot.state}${r.boot.partition ? ` from ${r.boot.partition}, firmware ${r.boot.version ?? '?'}` : ''}`,
  ].join('\n');
}

export function registerFirmware(program: Command): void {
  const firmware = program.command('firmware').description('signed firmware update packages: build them, apply them to an image');
  firmware.command('pack')
    .description('build and sign FTPR and NFTP for one platform and write them as an update package')
    .option('--keys <dir>', 'development key directory holding the firmware signing key (see: vme keys init)', DEFAULT_KEYS_DIR)
    .requiredOption('--out <file>', 'where to write the package (written atomically)')
    .option('--platform-id <id>', 'platform the firmware is bound to (must equal the fuse file\'s platformId)', DEFAULT_PLATFORM_ID)
    .option('--firmware-version <A.B.C.D>', 'firmware version written into both manifests (named like `vme image build`; -V/--version is vme\'s own)', DEFAULT_FIRMWARE_VERSION_TEXT)
    .option('--svn <n>', 'security version (manifest SVN and anti-rollback ARB SVN); must be >= the fuse floor to install', '1')
    .option('--raise-floor', 'ask the updater to raise the fuse floor to --svn once both partitions are written (old firmware then stops booting)')
    .option('--manifest <file>', 'application manifest definition (JSON, vme-manifests/1; default: manifests/default.json)')
    .option('--json', 'print the result as JSON')
    .action((opts: PackOptions) => emit(runPack(opts), opts, renderPack));
  firmware.command('update <image>')
    .description('verify a package against the fuses, then rewrite NFTP and FTPR as the ME master so the image boots at every instant; boot the result')
    .requiredOption('--package <file>', 'update package made by `vme firmware pack`')
    .option('--fuses <file>', 'the platform\'s fuse file (default: <image>.fuses.json); its floor is raised if the package asks')
    .option('--json', 'print the result as JSON (no progress lines on stderr)')
    .action((image: string, opts: UpdateCommandOptions) => emit(runUpdate(image, opts), opts, renderUpdate));
}
