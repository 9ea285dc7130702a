/**
 * The state seam of the WS-Man layer. Classes keep their settable values in named slots; the AMT
 * app will back `WsmanState` with its NVRAM namespace later. `InMemoryWsmanState` keeps them in a
 * Map, for tests and for running the layer alone. Values are treated as immutable: `set` replaces.
 *
 * Factory reset (AMT_SetupAndConfigurationService.Unprovision): every slot goes back to its
 * `initial()` unless it is marked `unprovision: 'keep'`. A state that implements `reset` does it
 * over every slot it holds (plain `StateSlot` objects included); `resetSlots` falls back to the
 * slots registered with `defineSlot` for a state without `reset`.
 */
import { VmeError } from '../../common/errors.js';

export interface StateSlot<T> {
  /** Unique, stable name (the future NVRAM key), e.g. `wsman/general-settings`. */
  readonly name: string;
  /** The factory default. */
  readonly initial: () => T;
  /** What Unprovision does with the slot: back to `initial()` ('reset', the default) or nothing ('keep'). */
  readonly unprovision?: 'reset' | 'keep';
}

/** What a reset filter sees of a slot: the slot itself, or only its name when the state knows no more (stored values after a restart). */
export type SlotInfo = Pick<StateSlot<unknown>, 'name' | 'unprovision'>;

export interface WsmanState {
  get<T>(slot: StateSlot<T>): T;
  set<T>(slot: StateSlot<T>, value: T): void;
  /** Puts every slot it holds that `filter` selects back to its factory default (the next `get` is `initial()`). */
  reset?(filter: (slot: SlotInfo) => boolean): void;
}

const DEFINED = new Map<string, StateSlot<unknown>>();

/**
 * Declares a slot and registers it by name (opt-in: plain `StateSlot` objects work everywhere;
 * registered ones are also known to states without `reset` and to a state that only has the name).
 * @throws VmeError VME_ERR_WSMAN_DECLARATION when another slot already has this name.
 */
export function defineSlot<T>(name: string, initial: () => T, options: { readonly unprovision?: 'reset' | 'keep' } = {}): StateSlot<T> {
  if (DEFINED.has(name)) throw new VmeError('VME_ERR_WSMAN_DECLARATION', `state slot ${JSON.stringify(name)} is defined twice`, { slot: name });
  const slot: StateSlot<T> = { name, initial, ...(options.unprovision === undefined ? {} : { unprovision: options.unprovision }) };
  DEFINED.set(name, slot as StateSlot<unknown>);
  return slot;
}

/** The slot `defineSlot` registered under `name`, if any. */
export const definedSlot = (name: string): StateSlot<unknown> | undefined => DEFINED.get(name);

/** Every slot registered with `defineSlot`, in definition order. */
export const definedSlots = (): readonly StateSlot<unknown>[] => [...DEFINED.values()];

/** Unprovision's filter: every slot not marked 'keep' (looked up by name when only the name is known). */
export function resetOnUnprovision(slot: SlotInfo): boolean {
  return (slot.unprovision ?? DEFINED.get(slot.name)?.unprovision ?? 'reset') === 'reset';
}

/** Resets the slots `filter` selects: with `state.reset` when it has one, else every defined slot. */
export function resetSlots(state: WsmanState, filter: (slot: SlotInfo) => boolean): void {
  if (state.reset) return state.reset(filter);
  for (const slot of DEFINED.values()) if (filter(slot)) state.set(slot, slot.initial());
}

/** Volatile state: nothing survives the process. Named so no one mistakes it for persistence. */
export class InMemoryWsmanState implements WsmanState {
  readonly #values = new Map<string, { readonly slot: SlotInfo; value: unknown }>();

  get<T>(slot: StateSlot<T>): T {
    let held = this.#values.get(slot.name);
    if (held === undefined) {
      held = { slot, value: slot.initial() };
      this.#values.set(slot.name, held);
    }
    return held.value as T;
  }

  set<T>(slot: StateSlot<T>, value: T): void {
    this.#values.set(slot.name, { slot, value });
  }

  reset(filter: (slot: SlotInfo) => boolean): void {
    for (const [name, held] of [...this.#values]) if (filter(held.slot)) this.#values.delete(name);
  }
}
