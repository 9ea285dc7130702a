/**
 * The fuse file (`<image>.fuses.json`, format `vme-fuses/1`): what a real chipset has burnt in
 * at manufacturing — the firmware key hash the ROM trusts, the OEM key hash, the platform id,
 * the anti-rollback floor (one-way) and per-device secrets. Written atomically.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync, unlinkSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { VmeError } from '../common/errors.js';
import { randomBytes, toHex } from '../crypto/index.js';
import { keyBlockHash } from '../me/manifest.js';
import { JsonChecker } from '../me/json-check.js';
import { PLATFORM_ID } from '../me/code-partition.js';
import { DEFAULT_PLATFORM_ID } from '../me/firmware-build.js';

export const FUSES_FORMAT = 'vme-fuses/1';
export const PLATFORM_ID_PATTERN = PLATFORM_ID;
export const SECRET_NAMES = ['deviceSecret', 'nvramKeySeed', 'umaKeySeed'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];
const HEX32 = /^[0-9a-f]{64}$/;

export interface Fuses {
  format: typeof FUSES_FORMAT;
  /** SHA-256 (hex) of the firmware key block: modulus LE ‖ exponent u32, as at manifest+0x80. */
  firmwareKeyHash: string;
  /** SHA-256 (hex) of the OEM key's block (same encoding; provisional until Boot Guard). */
  oemKeyHash: string;
  platformId: string;
  /** Anti-rollback floor: the ROM refuses firmware whose ARB SVN is lower. Only ever raised. */
  svnFloor: number;
  secrets: Record<SecretName, string>;
  createdAt: string;
}

/** The fuse file path for an image file. */
export const fusesPathFor = (imagePath: string): string => `${imagePath}.fuses.json`;

export interface CreateFusesOptions {
  firmwareKey: KeyObject;
  oemKey: KeyObject;
  platformId?: string;
  svnFloor?: number;
  now?: Date;
}

export function createFuses(opts: CreateFusesOptions): Fuses {
  const platformId = opts.platformId ?? DEFAULT_PLATFORM_ID;
  if (!PLATFORM_ID_PATTERN.test(platformId)) throw new VmeError('VME_ERR_USAGE', `platform id ${JSON.stringify(platformId)} must be 1-16 printable ASCII characters`);
  const svnFloor = opts.svnFloor ?? 0;
  if (!Number.isInteger(svnFloor) || svnFloor < 0 || svnFloor > 0xffffffff) throw new VmeError('VME_ERR_USAGE', `svn floor ${svnFloor} is not a u32`);
  const secrets = Object.fromEntries(SECRET_NAMES.map((n) => [n, toHex(randomBytes(32))])) as Record<SecretName, string>;
  return {
    format: FUSES_FORMAT, firmwareKeyHash: toHex(keyBlockHash(opts.firmwareKey)), oemKeyHash: toHex(keyBlockHash(opts.oemKey)),
    platformId, svnFloor, secrets, createdAt: (opts.now ?? new Date()).toISOString(),
  };
}

const check = new JsonChecker('VME_ERR_FUSES_INVALID', 'fuse file');

/** Validate a parsed fuse document. @throws VmeError VME_ERR_FUSES_INVALID naming the JSON path. */
export function checkFuses(value: unknown): Fuses {
  const o = check.object(value, '$', ['format', 'firmwareKeyHash', 'oemKeyHash', 'platformId', 'svnFloor', 'secrets', 'createdAt']);
  if (o.format !== FUSES_FORMAT) check.fail('$.format', `expected ${JSON.stringify(FUSES_FORMAT)}`);
  const secretsObject = check.object(o.secrets, '$.secrets', SECRET_NAMES);
  const secrets = Object.fromEntries(SECRET_NAMES.map((n) => [n, check.string(secretsObject[n], `$.secrets.${n}`, HEX32, '32 bytes of lower-case hex')])) as Record<SecretName, string>;
  const createdAt = check.string(o.createdAt, '$.createdAt', /^\d{4}-\d{2}-\d{2}T[\d:.]+Z$/, 'an ISO 8601 UTC time');
  if (Number.isNaN(Date.parse(createdAt))) check.fail('$.createdAt', 'not a valid time');
  return {
    format: FUSES_FORMAT,
    firmwareKeyHash: check.string(o.firmwareKeyHash, '$.firmwareKeyHash', HEX32, 'a SHA-256 in lower-case hex'),
    oemKeyHash: check.string(o.oemKeyHash, '$.oemKeyHash', HEX32, 'a SHA-256 in lower-case hex'),
    platformId: check.string(o.platformId, '$.platformId', PLATFORM_ID_PATTERN, '1-16 printable ASCII characters'),
    svnFloor: check.integer(o.svnFloor, '$.svnFloor', 0, 0xffffffff),
    secrets, createdAt,
  };
}

/** Read and validate a fuse file. @throws VmeError VME_ERR_FUSES_INVALID */
export function readFuses(path: string): Fuses {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new VmeError('VME_ERR_FUSES_INVALID', `cannot read fuse file ${path}: ${(err as Error).message}`, { path });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new VmeError('VME_ERR_FUSES_INVALID', `fuse file ${path} is not JSON: ${(err as Error).message}`, { path });
  }
  return checkFuses(value);
}

/** Write `fuses` to `path` atomically: temp file, fsync, rename, fsync of the directory. */
export function writeFusesAtomic(path: string, fuses: Fuses): void {
  const valid = checkFuses(fuses);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${toHex(randomBytes(4))}.tmp`);
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(valid, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    const dirFd = openSync(dirname(path), 'r');
    try {
      fsyncSync(dirFd);
    } finally {
      closeSync(dirFd);
    }
  } catch (err) {
    try { unlinkSync(temp); } catch { /* already renamed or never created */ }
    throw new VmeError('VME_ERR_IO', `cannot write fuse file ${path}: ${(err as Error).message}`, { path });
  }
}

/**
 * Raise the anti-rollback floor to `svn` (no change if already there). One-way.
 * @throws VmeError VME_ERR_FUSES_LOWER when `svn` is below the current floor.
 */
export function raiseSvnFloor(path: string, svn: number): Fuses {
  const fuses = readFuses(path);
  if (!Number.isInteger(svn) || svn < 0 || svn > 0xffffffff) throw new VmeError('VME_ERR_USAGE', `svn ${svn} is not a u32`);
  if (svn < fuses.svnFloor) {
    throw new VmeError('VME_ERR_FUSES_LOWER', `refusing to lower the anti-rollback floor from ${fuses.svnFloor} to ${svn}`, { path, current: fuses.svnFloor, requested: svn });
  }
  if (svn === fuses.svnFloor) return fuses;
  const raised = { ...fuses, svnFloor: svn };
  writeFusesAtomic(path, raised);
  return raised;
}
