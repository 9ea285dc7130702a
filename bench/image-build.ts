/**
 * Image build time: a whole signed 8 MiB and 16 MiB platform (two RSA-2048 signatures, hashing,
 * descriptor, FMAP, UEFI volume, fuses), against a same-run baseline of the irreducible work (two
 * RSA-2048 signatures and filling an 8 MiB buffer).
 *   node dist/bench/image-build.js [--runs N]
 */
import { sign } from 'node:crypto';
import { testPlatform, testDevelopmentKeys } from '../src/image/testing.js';
import { measure, printTable } from './lib/measure.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 50;
const privateKey = testDevelopmentKeys().firmwareSigning.privateKey;
const message = new Uint8Array(0x800);

const baseline = await measure('baseline: 2 × RSA-2048 sign + 8 MiB fill', () => {
  sign('sha256', message, privateKey);
  sign('sha256', message, privateKey);
  new Uint8Array(8 * 1024 * 1024).fill(0xff);
}, runs, 5);
const small = await measure('build 8 MiB platform', () => testPlatform(), runs, 5);
const large = await measure('build 16 MiB platform', () => testPlatform({ sizeBytes: 16 * 1024 * 1024 }), runs, 5);
printTable([baseline, small, large], baseline);
