/** `vme image build|verify|inspect`: make a platform, boot it through the ROM, look inside it. */
import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { VmeError, EXIT } from '../../common/errors.js';
import { loadKeys, DEFAULT_KEYS_DIR, readFuses, writeFusesAtomic, fusesPathFor, type Fuses } from '../../platform/index.js';
import { loadManifestDefinition, DEFAULT_MANIFESTS_PATH, DEFAULT_PLATFORM_ID } from '../../me/index.js';
import { buildPlatform, bootImage, inspectImage, readImageFile, writeFileAtomic } from '../../image/index.js';
import { emit, parseSize, selfCommand } from '../output.js';
import { parseVersion, parseCount, DEFAULT_FIRMWARE_VERSION_TEXT } from '../parse.js';
import { renderBoot, renderInspect } from './image-render.js';

interface BuildOptions {
  out: string; size: string; keys: string; platformId: string; firmwareVersion: string; firmwareSvn: string;
  svnFloor?: string; manifest?: string; unlocked?: boolean; force?: boolean; json?: boolean;
}

function build(opts: BuildOptions): void {
  const sizeBytes = parseSize(opts.size);
  if (sizeBytes !== 8 * 1024 * 1024 && sizeBytes !== 16 * 1024 * 1024) throw new VmeError('VME_ERR_USAGE', `--size must be 8M or 16M, got ${opts.size}`);
  const fusesPath = fusesPathFor(opts.out);
  for (const path of [opts.out, fusesPath]) {
    if (existsSync(path) && !opts.force) throw new VmeError('VME_ERR_USAGE', `${path} exists; pass --force to replace it (its platform's fuses would be lost)`, { path });
  }
  const keys = loadKeys(opts.keys);
  const definition = loadManifestDefinition(opts.manifest ?? DEFAULT_MANIFESTS_PATH);
  const firmwareSvn = parseCount(opts.firmwareSvn, '--firmware-svn');
  const built = buildPlatform({
    sizeBytes, keys, definition, platformId: opts.platformId, version: parseVersion(opts.firmwareVersion), firmwareSvn,
    svnFloor: opts.svnFloor === undefined ? firmwareSvn : parseCount(opts.svnFloor, '--svn-floor'),
    access: opts.unlocked ? 'unlocked' : 'locked',
  });
  writeFileAtomic(opts.out, built.image);
  writeFusesAtomic(fusesPath, built.fuses);
  const boot = bootImage(built.image, built.fuses);
  const result = {
    image: opts.out, fuses: fusesPath, size: sizeBytes, platformId: built.fuses.platformId, svnFloor: built.fuses.svnFloor,
    firmwareKeyHash: built.fuses.firmwareKeyHash, descriptor: opts.unlocked ? 'unlocked' : 'locked',
    apps: boot.firmware?.apps.map((a) => a.name) ?? [], boot: boot.state,
  };
  emit(result, opts, (r) => [
    `built ${r.image} (${r.size / 1024 / 1024} MiB, descriptor ${r.descriptor}) and its fuses ${r.fuses}`,
    `platform ${r.platformId}, anti-rollback floor ${r.svnFloor}, firmware key hash ${r.firmwareKeyHash.slice(0, 16)}...`,
    `apps: ${r.apps.join(', ')}; ROM boot: ${r.boot}`,
    `next: ${selfCommand()} image verify ${r.image}   |   ${selfCommand()} image inspect ${r.image}`,
  ].join('\n'));
}

function loadFusesFor(image: string, fusesPath: string | undefined, required: boolean): Fuses | undefined {
  const path = fusesPath ?? fusesPathFor(image);
  if (!fusesPath && !existsSync(path)) {
    if (required) throw new VmeError('VME_ERR_IO', `no fuse file for ${image} (looked for ${path}); pass --fuses FILE`, { path });
    return undefined;
  }
  return readFuses(path);
}

function verify(file: string, opts: { fuses?: string; json?: boolean }): void {
  const image = readImageFile(file);
  const fuses = loadFusesFor(file, opts.fuses, true) as Fuses;
  const boot = bootImage(image, fuses);
  const result = { image: file, state: boot.state, partition: boot.partition, firmware: boot.firmware ?? null, log: boot.log };
  emit(result, opts, () => renderBoot(boot));
  process.exitCode = boot.state === 'operational' ? EXIT.ok : boot.state === 'recovery' ? EXIT.degraded : EXIT.failure;
}

function inspect(file: string, opts: { fuses?: string; json?: boolean }): void {
  const image = readImageFile(file);
  const report = inspectImage(image, loadFusesFor(file, opts.fuses, false));
  emit(report, opts, renderInspect);
  if (report.errors.length > 0) process.exitCode = EXIT.badInput;
}

export function registerImage(program: Command): void {
  const image = program.command('image').description('build, verify and inspect SPI flash images');
  image.command('build')
    .description('build a signed platform image and its fuse file (FILE.fuses.json)')
    .requiredOption('-o, --out <file>', 'image file to write')
    .addOption(new Option('--size <size>', 'flash size').choices(['8M', '16M']).default('8M'))
    .option('--keys <dir>', 'development keys (from `vme keys init`)', DEFAULT_KEYS_DIR)
    .option('--platform-id <id>', 'platform the firmware is bound to (1-16 printable ASCII)', DEFAULT_PLATFORM_ID)
    .option('--firmware-version <a.b.c.d>', 'firmware version in the manifests', DEFAULT_FIRMWARE_VERSION_TEXT)
    .option('--firmware-svn <n>', 'security version of the firmware (manifest SVN and ARB SVN)', '1')
    .option('--svn-floor <n>', 'anti-rollback floor burnt into the fuses (default: the firmware SVN)')
    .option('--manifest <file>', 'application manifest definition (default: manifests/default.json)')
    .option('--unlocked', 'leave every master access bit set, as `ifdtool -u` does')
    .option('--force', 'replace an existing image and fuse file')
    .option('--json', 'print the result as JSON')
    .action((opts: BuildOptions) => build(opts));
  image.command('verify')
    .description('run the ROM: check keys, signatures, hashes, platform binding and anti-rollback; print the boot log')
    .argument('<file>', 'flash image')
    .option('--fuses <file>', 'fuse file (default: FILE.fuses.json)')
    .option('--json', 'print the boot result as JSON')
    .addHelpText('after', '\nExit status: 0 operational firmware boots, 6 only the recovery firmware boots, 1 nothing boots.')
    .action((file: string, opts: { fuses?: string; json?: boolean }) => verify(file, opts));
  image.command('inspect')
    .description('show descriptor, regions, access per master, partitions, manifests, modules and signature status')
    .argument('<file>', 'flash image')
    .option('--fuses <file>', 'judge signatures against this fuse file (default: FILE.fuses.json when present)')
    .option('--json', 'print the report as JSON')
    .action((file: string, opts: { fuses?: string; json?: boolean }) => inspect(file, opts));
}
