/**
 * DMA engines: copy host→engine, engine→host and engine→engine (host→host is refused). Whoever
 * creates a channel (the kernel, from the app's manifest grant) fixes what it may touch: host
 * windows with a direction, and engine buffers the app owns. Every transfer is checked against that
 * grant before anything moves. Engine buffers are lent to the transfer at submission and returned
 * when its promise settles, so the submitter cannot touch them meanwhile (`VME_ERR_DMA_BUSY`).
 * Data moves when the (optionally modelled) transfer time has elapsed, not at submission.
 */
import type { EngineBuffer, OwnerId } from './engine-buffer.js';
import { lendBuffer, returnBuffer } from './engine-buffer.js';
import { checkExtent, type CheckedHostRange, type EngineRange, toWholeNumber, UntrustedHostRange } from './dma-ranges.js';
import { deviceFail } from './errors.js';
import type { HostDram } from './host-dram.js';
import { DeviceClock, type ThroughputModel } from './timing.js';
import type { Uma } from './uma.js';

export { UntrustedHostRange, engineRange, type EngineRange } from './dma-ranges.js';

/** Which way a host window may be used. */
export type HostDirection = 'to-engine' | 'to-host' | 'both';

/** One granted host window. */
export interface HostWindow {
  readonly base: bigint | number;
  readonly length: bigint | number;
  readonly direction: HostDirection;
}

/** What a channel may touch; fixed when the channel is created. */
export interface DmaGrant {
  readonly hostWindows: readonly HostWindow[];
  readonly engineBuffers: readonly EngineBuffer[];
  /** Largest single transfer in bytes (default 1 MiB). */
  readonly maxTransferBytes?: number;
  /** Required alignment of host addresses and lengths, a power of two (default 1). */
  readonly hostAlignment?: number;
}

/** Options of a platform's DMA engine. */
export interface DmaEngineOptions {
  readonly dram: HostDram;
  /** When given, transfers touching the UMA region are refused. */
  readonly uma?: Uma;
  /** Width of host physical addresses the engine can emit (default 64). */
  readonly addressBits?: 32 | 39 | 48 | 64;
  readonly throughput?: ThroughputModel;
}

export type DmaEndpoint = UntrustedHostRange | EngineRange;

/** Counters for the status tool. */
export interface DmaCounters {
  transfers: number;
  bytes: number;
  refused: number;
}

interface CompiledWindow {
  readonly base: bigint;
  readonly end: bigint;
  readonly direction: HostDirection;
}

const DEFAULT_MAX_TRANSFER = 1024 * 1024;

/** One platform's DMA engine; transfers from all its channels are served one at a time. */
export class DmaEngine {
  readonly counters: DmaCounters = { transfers: 0, bytes: 0, refused: 0 };
  readonly dram: HostDram;
  readonly uma: Uma | undefined;
  readonly addressLimit: bigint;
  readonly clock: DeviceClock;
  inFlight = 0;

  constructor(options: DmaEngineOptions) {
    this.dram = options.dram;
    this.uma = options.uma;
    this.addressLimit = 1n << BigInt(options.addressBits ?? 64);
    this.clock = new DeviceClock(options.throughput);
  }

  /**
   * A channel for `owner` limited to `grant`. Only the kernel should call this.
   * @throws DeviceError VME_ERR_DMA_RANGE for a malformed grant, VME_ERR_DMA_DENIED for a buffer of another owner.
   */
  createChannel(owner: OwnerId, grant: DmaGrant): DmaChannel {
    const maxBytes = grant.maxTransferBytes ?? DEFAULT_MAX_TRANSFER;
    const alignment = grant.hostAlignment ?? 1;
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) deviceFail('VME_ERR_DMA_RANGE', `maxTransferBytes ${maxBytes} is not a positive integer`, 'kernel');
    if (!Number.isSafeInteger(alignment) || alignment < 1 || (alignment & (alignment - 1)) !== 0) {
      deviceFail('VME_ERR_DMA_RANGE', `hostAlignment ${alignment} is not a power of two`, 'kernel');
    }
    for (const buffer of grant.engineBuffers) {
      if (buffer.owner !== owner) deviceFail('VME_ERR_DMA_DENIED', `grant names a buffer of ${buffer.owner}, not ${owner}`, 'kernel');
    }
    const windows = grant.hostWindows.map((window) => this.#compileWindow(window));
    return new DmaChannel(this, owner, { windows, buffers: new Set(grant.engineBuffers), maxBytes, alignment });
  }

  /** Counters (a channel's grant is fixed state of its creator, so counters are all there is). */
  snapshot(): DmaCounters {
    return { ...this.counters };
  }

  /** @throws DeviceError VME_ERR_DMA_BUSY while transfers are in flight. */
  restore(snapshot: DmaCounters): void {
    if (this.inFlight > 0) deviceFail('VME_ERR_DMA_BUSY', `${this.inFlight} transfers are in flight`, 'kernel');
    Object.assign(this.counters, snapshot);
  }

  #compileWindow(window: HostWindow): CompiledWindow {
    const base = toWholeNumber(window.base);
    const length = toWholeNumber(window.length);
    if (base === undefined || length === undefined || length === 0n || base + length > BigInt(this.dram.size)) {
      deviceFail('VME_ERR_DMA_RANGE', `granted host window [${window.base}, +${window.length}) is empty or outside host DRAM`, 'kernel');
    }
    return { base, end: base + length, direction: window.direction };
  }
}

interface CompiledGrant {
  readonly windows: readonly CompiledWindow[];
  readonly buffers: ReadonlySet<EngineBuffer>;
  readonly maxBytes: number;
  readonly alignment: number;
}

/** A granted DMA channel of one owner. */
export class DmaChannel {
  #closed = false;
  // ES private fields: an app holding a channel cannot reach host DRAM or widen its grant at run time.
  readonly #engine: DmaEngine;
  readonly #grant: CompiledGrant;

  /** @internal Created by `DmaEngine.createChannel`. */
  constructor(
    engine: DmaEngine,
    readonly owner: OwnerId,
    grant: CompiledGrant,
  ) {
    this.#engine = engine;
    this.#grant = grant;
  }

  /**
   * Copies `source` to `destination`; resolves when the data has moved.
   * @throws (as a rejection) DeviceError VME_ERR_DMA_DENIED, VME_ERR_DMA_RANGE, VME_ERR_DMA_BUSY, VME_ERR_PAGE_ACCESS
   * @example await channel.transfer(UntrustedHostRange.allege(0x1000n, 4096n), engineRange(buffer));
   */
  async transfer(source: DmaEndpoint, destination: DmaEndpoint): Promise<void> {
    const plan = this.#plan(source, destination);
    const loans = new Map<EngineBuffer, Uint8Array>();
    try {
      for (const range of plan.engineRanges) if (!loans.has(range.buffer)) loans.set(range.buffer, lendBuffer(range.buffer));
    } catch (error) {
      for (const buffer of loans.keys()) returnBuffer(buffer);
      throw error;
    }
    this.#engine.inFlight++;
    try {
      await this.#engine.clock.occupy(plan.length);
      plan.move(loans);
      this.#engine.counters.transfers++;
      this.#engine.counters.bytes += plan.length;
    } finally {
      this.#engine.inFlight--;
      for (const buffer of loans.keys()) returnBuffer(buffer);
    }
  }

  /** Host → engine: fills `destination` from the host range (lengths must match). */
  hostToEngine(source: UntrustedHostRange, destination: EngineRange): Promise<void> {
    return this.transfer(source, destination);
  }

  /** Engine → host. */
  engineToHost(source: EngineRange, destination: UntrustedHostRange): Promise<void> {
    return this.transfer(source, destination);
  }

  /** Engine → engine (ranges in one buffer must not overlap). */
  engineToEngine(source: EngineRange, destination: EngineRange): Promise<void> {
    return this.transfer(source, destination);
  }

  /** Revokes the channel: later transfers are refused (in-flight ones complete). */
  close(): void {
    this.#closed = true;
  }

  #plan(source: DmaEndpoint, destination: DmaEndpoint): TransferPlan {
    try {
      if (this.#closed) deviceFail('VME_ERR_DMA_DENIED', 'DMA channel is closed', 'app');
      const fromHost = source instanceof UntrustedHostRange;
      const toHost = destination instanceof UntrustedHostRange;
      if (fromHost && toHost) deviceFail('VME_ERR_DMA_DENIED', 'host-to-host DMA is not an engine transfer', 'app');
      if (fromHost) return this.#hostToEnginePlan(this.#checkHost(source, 'to-engine'), this.#checkEngine(destination as EngineRange));
      if (toHost) return this.#engineToHostPlan(this.#checkEngine(source), this.#checkHost(destination, 'to-host'));
      return this.#engineToEnginePlan(this.#checkEngine(source), this.#checkEngine(destination));
    } catch (error) {
      this.#engine.counters.refused++;
      throw error;
    }
  }

  #hostToEnginePlan(host: CheckedHostRange, engine: EngineRange): TransferPlan {
    sameLength(host.length, engine.length);
    const dram = this.#engine.dram;
    return {
      length: host.length, engineRanges: [engine],
      move: (loans) => dram.copyOut(host.address, loaned(loans, engine)),
    };
  }

  #engineToHostPlan(engine: EngineRange, host: CheckedHostRange): TransferPlan {
    sameLength(engine.length, host.length);
    const dram = this.#engine.dram;
    return {
      length: host.length, engineRanges: [engine],
      move: (loans) => dram.copyIn(host.address, loaned(loans, engine)),
    };
  }

  #engineToEnginePlan(from: EngineRange, to: EngineRange): TransferPlan {
    sameLength(from.length, to.length);
    if (from.buffer === to.buffer && from.offset < to.offset + to.length && to.offset < from.offset + from.length) {
      deviceFail('VME_ERR_DMA_RANGE', 'engine-to-engine ranges overlap', 'app', { from: from.offset, to: to.offset, length: from.length });
    }
    return { length: from.length, engineRanges: [from, to], move: (loans) => loaned(loans, to).set(loaned(loans, from)) };
  }

  #checkHost(range: UntrustedHostRange, direction: 'to-engine' | 'to-host'): CheckedHostRange {
    const address = toWholeNumber(range.allegedAddress);
    const length = toWholeNumber(range.allegedLength);
    if (address === undefined || length === undefined) {
      return deviceFail('VME_ERR_DMA_RANGE', `host range [${range.allegedAddress}, +${range.allegedLength}) is not a pair of non-negative integers`, 'app');
    }
    checkExtent(address, length, { maxBytes: this.#grant.maxBytes, addressLimit: this.#engine.addressLimit, alignment: this.#grant.alignment });
    const end = address + length;
    const window = this.#grant.windows.find((w) => w.base <= address && end <= w.end && (w.direction === 'both' || w.direction === direction));
    const details = { address: address.toString(), length: length.toString(), direction };
    if (!window) deviceFail('VME_ERR_DMA_DENIED', `host range [0x${address.toString(16)}, +${length}) ${direction} is outside the grant`, 'app', details);
    const checked = { address: Number(address), length: Number(length) };
    if (this.#engine.uma?.overlaps(checked.address, checked.length)) deviceFail('VME_ERR_DMA_DENIED', 'host range touches the UMA region', 'app', details);
    return checked;
  }

  #checkEngine(range: EngineRange): EngineRange {
    if (!this.#grant.buffers.has(range.buffer) || range.buffer.owner !== this.owner) {
      deviceFail('VME_ERR_DMA_DENIED', 'engine buffer is not in the grant', 'app', { owner: this.owner });
    }
    const { offset, length } = range;
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      deviceFail('VME_ERR_DMA_RANGE', `engine range [${offset}, +${length}) is not a pair of non-negative integers`, 'app');
    }
    if (length === 0) deviceFail('VME_ERR_DMA_RANGE', 'zero-length DMA transfer', 'app');
    if (length > this.#grant.maxBytes) deviceFail('VME_ERR_DMA_RANGE', `DMA transfer of ${length} bytes exceeds ${this.#grant.maxBytes}`, 'app');
    if (offset + length > range.buffer.length) {
      deviceFail('VME_ERR_DMA_RANGE', `engine range [${offset}, +${length}) is outside a ${range.buffer.length}-byte buffer`, 'app');
    }
    return range;
  }
}

interface TransferPlan {
  readonly length: number;
  readonly engineRanges: readonly EngineRange[];
  move(loans: ReadonlyMap<EngineBuffer, Uint8Array>): void;
}

function loaned(loans: ReadonlyMap<EngineBuffer, Uint8Array>, range: EngineRange): Uint8Array {
  const bytes = loans.get(range.buffer) ?? deviceFail('VME_ERR_INTERNAL', 'DMA buffer was not lent', 'kernel');
  return bytes.subarray(range.offset, range.offset + range.length);
}

function sameLength(a: number, b: number): void {
  if (a !== b) deviceFail('VME_ERR_DMA_RANGE', `source is ${a} bytes but destination is ${b}`, 'app', { source: a, destination: b });
}
