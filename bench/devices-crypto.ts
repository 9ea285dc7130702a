/**
 * Benchmark: the crypto engine's AES-256-GCM encryption throughput against raw node:crypto
 * (createCipheriv, same key, same sizes, same run), plus raw WebCrypto for reference. The engine
 * adds the handle/owner lookup, parameter checks and (from 64 KiB) the thread-pool path, whose
 * single-request latency is worse than a synchronous call but which leaves the main thread free and
 * can keep several requests in flight; both are measured ("engine ×4" = 4 requests in flight).
 * Run: npx tsc -p . && node dist/bench/devices-crypto.js
 */
import { createCipheriv, randomBytes, webcrypto } from 'node:crypto';
import { loadavg } from 'node:os';
import { measure, printTable, type Summary } from './lib/measure.js';
import { CryptoEngine } from '../src/devices/crypto-engine.js';

const SIZES = [16 * 1024, 256 * 1024, 1024 * 1024];

function rawNode(key: Buffer, iv: Buffer, data: Buffer): Buffer {
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  return Buffer.concat([cipher.update(data), cipher.final(), cipher.getAuthTag()]);
}

async function main(): Promise<void> {
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
  const keyBytes = randomBytes(32);
  const iv = randomBytes(12);
  const session = new CryptoEngine({ deviceSecret: randomBytes(32) }).session('bench');
  const handle = await session.importSecretKey('aes', keyBytes);
  const inline = new CryptoEngine({ deviceSecret: randomBytes(32), offloadThresholdBytes: Infinity }).session('bench');
  const inlineHandle = await inline.importSecretKey('aes', keyBytes);
  const webKey = await webcrypto.subtle.importKey('raw', keyBytes, { name: 'AES-GCM' }, false, ['encrypt']);
  const lines = [
    '| size | node:crypto MB/s | engine MB/s | engine ÷ node:crypto | engine ×4 in flight MB/s | ×4 ÷ node:crypto | engine, no offload MB/s | no offload ÷ node:crypto | WebCrypto MB/s |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const rows: Summary[] = [];
  for (const size of SIZES) {
    const data = randomBytes(size);
    const runs = Math.max(50, Math.round((64 * 1024 * 1024) / size));
    const label = `${size / 1024} KiB`;
    const raw = await measure(`node:crypto ${label}`, () => rawNode(keyBytes, iv, data), runs, 20);
    const engine = await measure(`engine ${label}`, () => session.encrypt(handle, { mode: 'gcm', iv }, data), runs, 20);
    const four = await measure(`engine ×4 ${label}`, () => Promise.all([0, 1, 2, 3].map(() => session.encrypt(handle, { mode: 'gcm', iv }, data))), Math.ceil(runs / 4), 5);
    const web = await measure(`WebCrypto ${label}`, () => webcrypto.subtle.encrypt({ name: 'AES-GCM', iv }, webKey, data), runs, 20);
    const noOffload = await measure(`engine no offload ${label}`, () => inline.encrypt(inlineHandle, { mode: 'gcm', iv }, data), runs, 20);
    rows.push(raw, engine, four, noOffload, web);
    const rate = (s: Summary, requests = 1): number => (requests * size) / 1e6 / (s.medianMs / 1000);
    const percent = (engineRate: number): string => `${((100 * engineRate) / rate(raw)).toFixed(0)}%`;
    lines.push(`| ${label} | ${rate(raw).toFixed(0)} | ${rate(engine).toFixed(0)} | ${percent(rate(engine))} | ${rate(four, 4).toFixed(0)} | ${percent(rate(four, 4))} | ${rate(noOffload).toFixed(0)} | ${percent(rate(noOffload))} | ${rate(web).toFixed(0)} |`);
  }
  printTable(rows);
  console.log('');
  console.log(lines.join('\n'));
}

await main();
