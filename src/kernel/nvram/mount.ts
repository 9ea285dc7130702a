/**
 * Mount: pick the valid area with the highest generation, read it, then judge it against the
 * anti-replay counter C. The partition's last valid sequence S must be C (clean) or C + 1 (a crash
 * after a commit was written but before the counter advanced: resync C). S < C means acknowledged
 * commits are missing: tampering if damaged bytes were found, else a replayed older image. S > C + 1
 * means the counter was rolled back or the partition belongs to another device. Damaged bytes after
 * the last valid record with S ≥ C are a torn write: discarded by compacting them away.
 */
import { firstNonErased, inspectArea, type AreaNumber, type AreaState } from './area.js';
import { advanceCounter, compact, highestGeneration } from './compaction.js';
import { NvramError, isNvramError } from './errors.js';
import type { ActiveState, NvramContext, NvramEvent } from './events.js';
import { AreaHeader, type AreaHeaderValue } from './format.js';
import { NvramIndex } from './index-map.js';
import { readArea, type LogState } from './scan.js';

export function mountPartition(context: NvramContext): ActiveState {
  const areas = [0, 1].map((area) => inspectArea(context.store, context.key, context.layout, area as AreaNumber));
  const chosen = chooseArea(areas);
  if (!chosen) return mountWithoutArea(context);
  const evidence = areas.some((state) => state.kind === 'invalid');
  const log = readChosen(context, chosen.area, chosen.header);
  checkFreshness(context, log, evidence);
  let state: ActiveState = { area: chosen.area, generation: chosen.header.generation, sequence: log.sequence, writeOffset: log.writeOffset, index: log.index };
  if (log.damage) {
    context.emit({ type: 'torn-tail-discarded', offset: log.damage.offset, reason: log.damage.reason });
    state = compact(context, state);
  }
  context.emit({ type: 'mounted', generation: state.generation, sequence: state.sequence, entries: state.index.entryCount() });
  return state;
}

/** Erases the partition's meaning: an empty file system at counter + 1, outranking any old area. */
export function formatPartition(context: NvramContext, reason: 'blank' | 'torn-format' | 'requested'): ActiveState {
  const base: ActiveState = { area: 1, generation: highestGeneration(context), sequence: context.counter.read(), writeOffset: 0, index: new NvramIndex() };
  const state = compact(context, base, { bumpSequence: true });
  context.emit({ type: 'formatted', reason, sequence: state.sequence });
  return state;
}

function chooseArea(areas: AreaState[]): { area: AreaNumber; header: AreaHeaderValue } | undefined {
  let best: { area: AreaNumber; header: AreaHeaderValue } | undefined;
  areas.forEach((state, area) => {
    if (state.kind !== 'valid') return;
    if (!best || state.header.generation > best.header.generation) best = { area: area as AreaNumber, header: state.header };
  });
  return best;
}

function readChosen(context: NvramContext, area: AreaNumber, header: AreaHeaderValue): LogState {
  try {
    return readArea(context.store, context.key, context.layout, area, header);
  } catch (e) {
    if (isNvramError(e, 'VME_ERR_NVRAM_INTEGRITY')) context.emit({ type: 'integrity-violation', offset: e.details.offset as number, reason: e.message });
    throw e;
  }
}

function checkFreshness(context: NvramContext, log: LogState, evidence: boolean): void {
  const counter = context.counter.read();
  if (log.sequence < counter && (log.damage || evidence)) {
    const offset = log.damage?.offset;
    refuse(context, { type: 'integrity-violation', offset, reason: `acknowledged commits ${log.sequence + 1}..${counter} fail their checks` },
      new NvramError('VME_ERR_NVRAM_INTEGRITY', `NVRAM is damaged: the last intact commit is ${log.sequence} but ${counter} were acknowledged (first damage at ${offset === undefined ? 'an area header' : `0x${offset.toString(16)}`}: ${log.damage?.reason ?? 'invalid area header'})`,
        { partitionSequence: log.sequence, counter, offset, reason: log.damage?.reason }));
  }
  if (log.sequence < counter) replay(context, log.sequence, counter, 'partition is older than the anti-replay counter');
  if (log.sequence > counter + 1) replay(context, log.sequence, counter, 'partition is newer than the anti-replay counter (counter rolled back or partition from another device)');
  if (log.sequence === counter + 1) {
    advanceCounter(context, log.sequence);
    context.emit({ type: 'counter-resynced', from: counter, to: log.sequence });
  }
}

function mountWithoutArea(context: NvramContext): ActiveState {
  const { store } = context;
  const counter = context.counter.read();
  const used = firstNonErased(store, 0, store.size);
  if (used < 0 && counter === 0) return formatPartition(context, 'blank');
  if (used < 0) replay(context, 0, counter, 'partition is erased but the anti-replay counter records commits');
  const headerOnly = used < AreaHeader.size && firstNonErased(store, AreaHeader.size, store.size - AreaHeader.size) < 0;
  if (headerOnly && counter === 0) return formatPartition(context, 'torn-format');
  return refuse(context, { type: 'integrity-violation', offset: used, reason: 'no valid area header' },
    new NvramError('VME_ERR_NVRAM_INTEGRITY', `NVRAM partition has no valid area header and is not erased (first used byte at 0x${used.toString(16)})`, { offset: used }));
}

function replay(context: NvramContext, partitionSequence: number, counter: number, reason: string): never {
  return refuse(context, { type: 'replay-detected', partitionSequence, counter, reason },
    new NvramError('VME_ERR_NVRAM_REPLAY', `NVRAM replay detected: ${reason} (partition at ${partitionSequence}, counter at ${counter})`, { partitionSequence, counter, reason }));
}

function refuse(context: NvramContext, event: NvramEvent, error: NvramError): never {
  context.emit(event);
  throw error;
}
