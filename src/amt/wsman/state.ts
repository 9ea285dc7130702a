/**
 * The state seam of the WS-Man layer. Classes keep their settable values in named slots; the AMT
 * app will back `WsmanState` with its NVRAM namespace later. `InMemoryWsmanState` keeps them in a
 * Map, for tests and for running the layer alone. Values are treated as immutable: `set` replaces.
 */
export interface StateSlot<T> {
  /** Unique, stable name (the future NVRAM key), e.g. `wsman/general-settings`. */
  readonly name: string;
  /** The factory default. */
  readonly initial: () => T;
}

export interface WsmanState {
  get<T>(slot: StateSlot<T>): T;
  set<T>(slot: StateSlot<T>, value: T): void;
}

/** Volatile state: nothing survives the process. Named so no one mistakes it for persistence. */
export class InMemoryWsmanState implements WsmanState {
  readonly #values = new Map<string, unknown>();

  get<T>(slot: StateSlot<T>): T {
    if (!this.#values.has(slot.name)) this.#values.set(slot.name, slot.initial());
    return this.#values.get(slot.name) as T;
  }

  set<T>(slot: StateSlot<T>, value: T): void {
    this.#values.set(slot.name, value);
  }
}
