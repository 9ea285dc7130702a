/**
 * ROM verification of one 8 MiB image: the whole boot decision (descriptor → $FPT → NFTP checks),
 * and the recovery path (NFTP corrupted → FTPR), against a same-run baseline of the irreducible
 * work (one RSA-2048 verify of 2 KiB with node:crypto). Goal: ≤ 5 ms median.
 *   node dist/bench/rom-verify.js [--runs N]
 */
import { createPublicKey, sign, verify } from 'node:crypto';
import { bootImage } from '../src/image/index.js';
import { testPlatform, testDevelopmentKeys } from '../src/image/testing.js';
import { measure, printTable } from './lib/measure.js';

const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 500;
const { image, fuses } = testPlatform();
const firstModule = bootImage(image, fuses).log.find((e) => e.partition === 'NFTP' && e.check === 'module-hash');
if (firstModule?.offset === undefined) throw new Error('no NFTP module found');
const recovery = Uint8Array.from(image);
recovery[firstModule.offset + 0x40] = (recovery[firstModule.offset + 0x40] ?? 0) ^ 0xff;

const privateKey = testDevelopmentKeys().firmwareSigning.privateKey;
const publicKey = createPublicKey(privateKey);
const message = image.subarray(0x84000, 0x84800);
const signature = sign('sha256', message, privateKey);

const baseline = await measure('baseline: RSA-2048 verify (node:crypto)', () => {
  if (!verify('sha256', message, publicKey, signature)) throw new Error('baseline signature failed');
}, runs);
const operational = await measure('ROM boot, operational (NFTP)', () => {
  if (bootImage(image, fuses).state !== 'operational') throw new Error('expected operational');
}, runs);
const fallback = await measure('ROM boot, NFTP corrupted → recovery (FTPR)', () => {
  if (bootImage(recovery, fuses).state !== 'recovery') throw new Error('expected recovery');
}, runs);
printTable([baseline, operational, fallback], baseline);
console.log(`\ngoal: operational median ≤ 5 ms → ${operational.medianMs <= 5 ? 'met' : 'NOT met'} (${operational.medianMs.toFixed(3)} ms)`);
