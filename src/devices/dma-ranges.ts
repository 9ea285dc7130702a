/**
 * The allegation types the DMA engine accepts and the checks that turn them into trusted ranges.
 * A host physical range arrives as an `UntrustedHostRange`: it holds whatever numbers the app or
 * host supplied and has no way to touch memory. Only `DmaChannel` checks it against its grant.
 */
import type { EngineBuffer } from './engine-buffer.js';
import { deviceFail } from './errors.js';

/** A host physical range as alleged by a less trusted party; unchecked until a DMA channel checks it. */
export class UntrustedHostRange {
  private constructor(
    readonly allegedAddress: bigint | number,
    readonly allegedLength: bigint | number,
  ) {}

  /** Wraps alleged values without judging them (negative, fractional or huge values are refused later). */
  static allege(address: bigint | number, length: bigint | number): UntrustedHostRange {
    return new UntrustedHostRange(address, length);
  }
}

/** A range of an engine buffer, the engine-side end of a transfer. */
export interface EngineRange {
  readonly buffer: EngineBuffer;
  readonly offset: number;
  readonly length: number;
}

/** `length` bytes of `buffer` from `offset` (default: the whole buffer). */
export function engineRange(buffer: EngineBuffer, offset = 0, length: number = buffer.length - offset): EngineRange {
  return { buffer, offset, length };
}

/** A host range after its checks: a plain physical address and length inside DRAM. */
export interface CheckedHostRange {
  readonly address: number;
  readonly length: number;
}

/** Converts an alleged number to a bigint, or undefined when it is not a non-negative integer. */
export function toWholeNumber(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n ? value : undefined;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  return undefined;
}

/** The size checks every transfer gets: non-zero, not over-long, no wrap past the address space, aligned. */
export function checkExtent(address: bigint, length: bigint, limits: { maxBytes: number; addressLimit: bigint; alignment: number }): void {
  const details = { address: address.toString(), length: length.toString() };
  if (length === 0n) deviceFail('VME_ERR_DMA_RANGE', 'zero-length DMA transfer', 'app', details);
  if (length > BigInt(limits.maxBytes)) deviceFail('VME_ERR_DMA_RANGE', `DMA transfer of ${length} bytes exceeds ${limits.maxBytes}`, 'app', details);
  if (address >= limits.addressLimit || address + length > limits.addressLimit) {
    deviceFail('VME_ERR_DMA_RANGE', `DMA range wraps past the ${limits.addressLimit.toString(2).length - 1}-bit address space`, 'app', details);
  }
  const alignment = BigInt(limits.alignment);
  if (address % alignment !== 0n || length % alignment !== 0n) {
    deviceFail('VME_ERR_DMA_RANGE', `DMA range is not ${limits.alignment}-byte aligned`, 'app', details);
  }
}
