/**
 * What the file system reports to the engine's log through the injected `onEvent` callback, and the
 * per-instance context every part of it shares (no global state: many instances per process).
 */
import type { AreaNumber, PartitionLayout } from './area.js';
import type { MonotonicCounter } from './counter.js';
import type { NvramErrorCode } from './errors.js';
import type { NvramIndex } from './index-map.js';
import type { PartitionStore } from './store.js';

export type NvramEvent =
  | { readonly type: 'mounted'; readonly generation: number; readonly sequence: number; readonly entries: number }
  | { readonly type: 'formatted'; readonly reason: 'blank' | 'torn-format' | 'requested'; readonly sequence: number }
  | { readonly type: 'counter-resynced'; readonly from: number; readonly to: number }
  | { readonly type: 'torn-tail-discarded'; readonly offset: number; readonly reason: string }
  | { readonly type: 'compacted'; readonly generation: number; readonly sequence: number; readonly snapshotBytes: number }
  | { readonly type: 'integrity-violation'; readonly offset?: number; readonly reason: string }
  | { readonly type: 'replay-detected'; readonly partitionSequence: number; readonly counter: number; readonly reason: string }
  | { readonly type: 'commit-rejected'; readonly namespace: string; readonly code: NvramErrorCode };

export type NvramEventListener = (event: NvramEvent) => void;

export interface NvramContext {
  readonly store: PartitionStore;
  readonly key: Buffer;
  readonly layout: PartitionLayout;
  readonly counter: MonotonicCounter;
  readonly emit: NvramEventListener;
}

/** Where the mounted file system stands. */
export interface ActiveState {
  readonly area: AreaNumber;
  readonly generation: number;
  /** Sequence number of the last durable commit. */
  readonly sequence: number;
  /** Absolute offset of the first free byte of the active area. */
  readonly writeOffset: number;
  readonly index: NvramIndex;
}
