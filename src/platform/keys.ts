/**
 * Development keys ("manufacturing"): an RSA-2048 firmware-signing key standing in for the
 * silicon vendor's, and an RSA-2048 OEM key (Boot Guard, later). Files are named so nobody
 * mistakes them for real keys; private key files are mode 0600.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { VmeError } from '../common/errors.js';
import { generateRsa2048, privateKeyFromPem, publicKeyFromPem, rsaModulusBits, toHex, bytesEqual } from '../crypto/index.js';
import { keyBlockBytes, keyBlockHash } from '../me/manifest.js';

export const DEFAULT_KEYS_DIR = './vme-keys';
export const KEY_FILES = {
  firmwareSigning: 'firmware-signing.DEVELOPMENT.key.pem',
  firmwareSigningPublic: 'firmware-signing.DEVELOPMENT.pub.pem',
  oem: 'oem.DEVELOPMENT.key.pem',
  oemPublic: 'oem.DEVELOPMENT.pub.pem',
  readme: 'README.txt',
} as const;

const README = `These are vme DEVELOPMENT keys, generated on this machine by \`vme keys init\`.

They are NOT Intel's keys, NOT any silicon vendor's or OEM's keys, and they protect nothing real.
They exist so that vme can sign and verify virtual firmware images:

  ${KEY_FILES.firmwareSigning}
      RSA-2048; signs the $MN2 manifests of the virtual ME firmware
      (stands in for the silicon vendor's firmware-signing key)
  ${KEY_FILES.oem}
      RSA-2048; the virtual OEM's key (Boot Guard, later)
  *.pub.pem
      the matching public keys

The virtual platform's fuse file (<image>.fuses.json) holds the SHA-256 of the firmware-signing
key block; an image signed with any other key does not boot. Keep the private files private
(mode 0600) anyway, so that habits carry over to real work.
`;

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface DevelopmentKeys {
  dir: string;
  firmwareSigning: KeyPair;
  oem: KeyPair;
}

export interface KeysInitResult {
  dir: string;
  files: string[];
  firmwareKeyHash: string;
  oemKeyHash: string;
}

/** Create development keys in `dir`. @throws VmeError VME_ERR_KEYS_EXIST unless `force`. */
export function initKeys(dir = DEFAULT_KEYS_DIR, opts: { force?: boolean } = {}): KeysInitResult {
  const files = Object.values(KEY_FILES).map((f) => join(dir, f));
  const existing = files.filter((f) => existsSync(f));
  if (existing.length > 0 && !opts.force) {
    throw new VmeError('VME_ERR_KEYS_EXIST', `${existing.join(', ')} already exist; pass --force to replace them`, { files: existing });
  }
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const firmwareSigning = generateRsa2048();
    const oem = generateRsa2048();
    writePair(dir, KEY_FILES.firmwareSigning, KEY_FILES.firmwareSigningPublic, firmwareSigning);
    writePair(dir, KEY_FILES.oem, KEY_FILES.oemPublic, oem);
    writeFileSync(join(dir, KEY_FILES.readme), README, { mode: 0o644 });
    return { dir, files, firmwareKeyHash: toHex(keyBlockHash(firmwareSigning.publicKey)), oemKeyHash: toHex(keyBlockHash(oem.publicKey)) };
  } catch (err) {
    throw new VmeError('VME_ERR_IO', `cannot write keys in ${dir}: ${(err as Error).message}`, { dir });
  }
}

function writePair(dir: string, privateName: string, publicName: string, pair: KeyPair): void {
  const privatePath = join(dir, privateName);
  // `mode` applies only when the file is created; chmod covers a replaced (--force) file.
  writeFileSync(privatePath, pair.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  chmodSync(privatePath, 0o600);
  writeFileSync(join(dir, publicName), pair.publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644 });
}

/** Load and check the development keys in `dir`. @throws VmeError VME_ERR_KEYS_MISSING / VME_ERR_KEYS_INVALID */
export function loadKeys(dir = DEFAULT_KEYS_DIR): DevelopmentKeys {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new VmeError('VME_ERR_KEYS_MISSING', `key directory ${dir} does not exist (create it with: vme keys init --dir ${dir})`, { dir });
  }
  return {
    dir,
    firmwareSigning: loadPair(dir, KEY_FILES.firmwareSigning, KEY_FILES.firmwareSigningPublic),
    oem: loadPair(dir, KEY_FILES.oem, KEY_FILES.oemPublic),
  };
}

function readKeyFile(path: string): string {
  if (!existsSync(path)) throw new VmeError('VME_ERR_KEYS_MISSING', `key file ${path} does not exist`, { path });
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new VmeError('VME_ERR_IO', `cannot read ${path}: ${(err as Error).message}`, { path });
  }
}

function parseKey(path: string, kind: 'private' | 'public'): KeyObject {
  const text = readKeyFile(path);
  let key: KeyObject;
  try {
    key = kind === 'private' ? privateKeyFromPem(text) : publicKeyFromPem(text);
  } catch (err) {
    throw new VmeError('VME_ERR_KEYS_INVALID', `${path} is not a PEM ${kind} key: ${(err as Error).message}`, { path });
  }
  const bits = rsaModulusBits(key);
  if (key.type !== kind || bits !== 2048) {
    throw new VmeError('VME_ERR_KEYS_INVALID', `${path} must be an RSA-2048 ${kind} key; found ${key.asymmetricKeyType ?? '?'} ${key.type}${bits ? ` ${bits}-bit` : ''}`, { path });
  }
  return key;
}

function loadPair(dir: string, privateName: string, publicName: string): KeyPair {
  const privateKey = parseKey(join(dir, privateName), 'private');
  const publicPath = join(dir, publicName);
  const publicKey = existsSync(publicPath) ? parseKey(publicPath, 'public') : createPublicKey(privateKey);
  if (!bytesEqual(keyBlockBytes(publicKey), keyBlockBytes(privateKey))) {
    throw new VmeError('VME_ERR_KEYS_INVALID', `${publicPath} does not match ${privateName}`, { path: publicPath });
  }
  return { privateKey, publicKey };
}
