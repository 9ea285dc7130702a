/**
 * The DMA → decrypt → parse pipeline over engine buffers, in two schedules with identical results:
 *
 * - sequential: each chunk is DMA'd in, AES-GCM-decrypted in place, and parsed before the next;
 * - overlapped: three buffers rotate, so while chunk i+1 is DMA'd in, chunk i is decrypted on the
 *   crypto engine (libuv thread pool) and chunk i-1 is parsed on the main thread.
 *
 * Slot model: if each stage takes one slot, sequential takes 3n slots and overlapped n + 2, a
 * speed-up of 3n / (n + 2). The DMA and crypto engines' throughput models (timing.ts) make their
 * stages cost real wall time so the benchmark can balance the three.
 */
import type { CryptoSession } from './crypto-engine.js';
import type { KeyHandle } from './crypto-keys.js';
import { type DmaChannel, engineRange, type UntrustedHostRange } from './dma.js';
import type { EngineBuffer } from './engine-buffer.js';

/** One encrypted chunk in host memory: AES-GCM ciphertext ‖ tag, and its IV. */
export interface PipelineChunk {
  readonly source: UntrustedHostRange;
  readonly length: number;
  readonly iv: Uint8Array;
}

/** Everything a pipeline run needs; `parse` sees the plaintext only during its call. */
export interface PipelineSetup<T> {
  readonly channel: DmaChannel;
  readonly crypto: CryptoSession;
  readonly key: KeyHandle;
  /** At least 1 buffer for the sequential schedule, 3 for the overlapped one, each ≥ the longest chunk. */
  readonly buffers: readonly EngineBuffer[];
  readonly chunks: readonly PipelineChunk[];
  readonly parse: (plaintext: Uint8Array, index: number) => T;
}

/** Runs the chunks one after another through all three stages. */
export async function runSequential<T>(setup: PipelineSetup<T>): Promise<T[]> {
  const stages = new Stages(setup, 1);
  const results: T[] = [];
  for (let index = 0; index < setup.chunks.length; index++) {
    await stages.fetch(index);
    await stages.decrypt(index);
    results.push(stages.parse(index));
  }
  return results;
}

/** Runs the chunks through the three stages at once, one chunk per stage per step. */
export async function runOverlapped<T>(setup: PipelineSetup<T>): Promise<T[]> {
  const stages = new Stages(setup, 3);
  const count = setup.chunks.length;
  const results: T[] = [];
  for (let step = 0; step < count + 2; step++) {
    const work: Promise<void>[] = [];
    if (step < count) work.push(stages.fetch(step));
    if (step >= 1 && step - 1 < count) work.push(stages.decrypt(step - 1));
    let parseError: unknown;
    try {
      if (step >= 2) results.push(stages.parse(step - 2));
    } catch (error) {
      parseError = error;
    }
    const settled = await Promise.allSettled(work);
    if (parseError !== undefined) throw asError(parseError);
    const failed = settled.find((outcome) => outcome.status === 'rejected');
    if (failed) throw asError(failed.reason);
  }
  return results;
}

/** The three stages, with chunk i in buffer i mod (buffer count). */
class Stages<T> {
  readonly #plainLengths = new Map<number, number>();

  constructor(
    private readonly setup: PipelineSetup<T>,
    private readonly bufferCount: number,
  ) {
    if (setup.buffers.length < bufferCount) throw new RangeError(`this schedule needs ${bufferCount} buffers, got ${setup.buffers.length}`);
  }

  fetch(index: number): Promise<void> {
    const chunk = this.#chunk(index);
    return this.setup.channel.hostToEngine(chunk.source, engineRange(this.#buffer(index), 0, chunk.length));
  }

  async decrypt(index: number): Promise<void> {
    const chunk = this.#chunk(index);
    const buffer = this.#buffer(index);
    const plaintext = await this.setup.crypto.decrypt(this.setup.key, { mode: 'gcm', iv: chunk.iv }, buffer.bytes().subarray(0, chunk.length));
    buffer.bytes().set(plaintext);
    this.#plainLengths.set(index, plaintext.length);
    plaintext.fill(0);
  }

  parse(index: number): T {
    const length = this.#plainLengths.get(index) ?? 0;
    this.#plainLengths.delete(index);
    return this.setup.parse(this.#buffer(index).bytes().subarray(0, length), index);
  }

  #chunk(index: number): PipelineChunk {
    const chunk = this.setup.chunks[index];
    if (!chunk) throw new RangeError(`no chunk ${index}`);
    return chunk;
  }

  #buffer(index: number): EngineBuffer {
    const buffer = this.setup.buffers[index % this.bufferCount];
    if (!buffer) throw new RangeError(`no buffer for chunk ${index}`);
    return buffer;
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error('pipeline stage failed with a non-Error value', { cause: value });
}
