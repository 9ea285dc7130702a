/**
 * A ready-made pipeline platform for tests and the benchmark: host DRAM holding `count` AES-GCM
 * encrypted chunks, a DMA channel granted that window and three engine buffers, a crypto session
 * with the key, and a parse function (a checksum of 32-bit words, `passes` times over; with
 * `parseMilliseconds`, one pass and then busy work on the main thread until that much time has
 * passed, so the benchmark's parse stage has a fixed cost whatever the JIT or a noisy VM does).
 */
import { performance } from 'node:perf_hooks';
import { createCipheriv, randomBytes } from 'node:crypto';
import { CryptoEngine } from './crypto-engine.js';
import { DmaEngine, UntrustedHostRange } from './dma.js';
import { HostDram } from './host-dram.js';
import type { PipelineChunk, PipelineSetup } from './pipeline.js';
import { Sram } from './sram.js';
import type { ThroughputModel } from './timing.js';

export interface PipelineFixtureOptions {
  readonly count: number;
  readonly chunkBytes: number;
  readonly parsePasses?: number;
  /** When set, each parse takes at least this long on the main thread. */
  readonly parseMilliseconds?: number;
  readonly dmaThroughput?: ThroughputModel;
  readonly cryptoThroughput?: ThroughputModel;
}

const TAG = 16;

/** Builds the platform; every chunk's plaintext is random. */
export async function pipelineFixture(options: PipelineFixtureOptions): Promise<PipelineSetup<number>> {
  const stride = Math.ceil((options.chunkBytes + TAG) / 4096) * 4096;
  const dram = new HostDram(Math.max(4096, stride * options.count));
  const keyBytes = randomBytes(32);
  const chunks: PipelineChunk[] = [];
  for (let index = 0; index < options.count; index++) {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keyBytes, iv);
    const sealed = Buffer.concat([cipher.update(randomBytes(options.chunkBytes)), cipher.final(), cipher.getAuthTag()]);
    dram.write(index * stride, sealed);
    chunks.push({ source: UntrustedHostRange.allege(index * stride, sealed.length), length: sealed.length, iv });
  }
  const sram = new Sram(1024 * 1024);
  const buffers = [0, 1, 2].map(() => sram.allocateBuffer('app', options.chunkBytes + TAG));
  const dma = new DmaEngine({ dram, ...(options.dmaThroughput ? { throughput: options.dmaThroughput } : {}) });
  const channel = dma.createChannel('app', {
    hostWindows: [{ base: 0, length: dram.size, direction: 'to-engine' }],
    engineBuffers: buffers,
    maxTransferBytes: options.chunkBytes + TAG,
  });
  const engine = new CryptoEngine({ deviceSecret: randomBytes(32), ...(options.cryptoThroughput ? { throughput: options.cryptoThroughput } : {}) });
  const crypto = engine.session('app');
  const key = await crypto.importSecretKey('aes', keyBytes);
  keyBytes.fill(0);
  const passes = options.parsePasses ?? 1;
  const minimum = options.parseMilliseconds ?? 0;
  return { channel, crypto, key, buffers, chunks, parse: (plaintext) => parseFor(plaintext, passes, minimum) };
}

/** The "parse" stage: a rolling checksum over 32-bit little-endian words, repeated `passes` times. */
export function checksum(data: Uint8Array, passes: number): number {
  const words = new Uint32Array(data.buffer, data.byteOffset, Math.floor(data.length / 4));
  let sum = 0;
  for (let pass = 0; pass < passes; pass++) {
    for (let i = 0; i < words.length; i++) sum = (Math.imul(sum, 31) + (words[i] ?? 0)) >>> 0;
  }
  return sum;
}

function parseFor(plaintext: Uint8Array, passes: number, minimumMilliseconds: number): number {
  const start = performance.now();
  let sum = checksum(plaintext, passes);
  while (performance.now() - start < minimumMilliseconds) sum = checksum(plaintext.subarray(0, 4096), 1) ^ sum;
  return minimumMilliseconds > 0 ? checksum(plaintext, 1) : sum;
}
