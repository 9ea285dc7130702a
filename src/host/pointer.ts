/**
 * The host's pointing device as KVM sees it: an absolute pointer over the 640×400 picture of the
 * text screen (`PointerEvent`: pixel x, y and the RFB button mask, bit 0 left, 1 middle, 2 right,
 * 3/4 wheel up/down). `PointerDevice` is the simulated host's model: the last position, the buttons
 * held, and counts (events, button presses, a short ring of the latest events). The simulated PC is
 * text-mode with no mouse driver, so nothing draws a cursor; the model is what tests and status see.
 */

/** The picture KVM shows of the host's text screen (80×25 cells of 8×16 pixels). */
export const POINTER_WIDTH = 640;
export const POINTER_HEIGHT = 400;

export interface PointerEvent {
  readonly x: number;
  readonly y: number;
  /** RFB button mask (0..255). */
  readonly buttons: number;
}

export interface PointerState extends PointerEvent {
  /** Pointer events taken since the host was made. */
  readonly events: number;
  /** Button-down transitions (clicks) since the host was made. */
  readonly presses: number;
  /** The latest events, oldest first (at most `RECENT_POINTER_EVENTS`). */
  readonly recent: readonly PointerEvent[];
}

export const RECENT_POINTER_EVENTS = 16;

/** A pointer event with its coordinates clamped to the picture and the mask to 8 bits. */
export function clampPointer(event: PointerEvent): PointerEvent {
  const clamp = (value: number, max: number): number => (Number.isFinite(value) ? Math.min(Math.max(Math.trunc(value), 0), max) : 0);
  return { x: clamp(event.x, POINTER_WIDTH - 1), y: clamp(event.y, POINTER_HEIGHT - 1), buttons: clamp(event.buttons, 0xff) };
}

export class PointerDevice {
  #x = 0;
  #y = 0;
  #buttons = 0;
  #events = 0;
  #presses = 0;
  #recent: PointerEvent[] = [];

  /** Takes one event (clamped); always accepted. */
  move(event: PointerEvent): boolean {
    const next = clampPointer(event);
    this.#presses += popCount(next.buttons & ~this.#buttons);
    this.#x = next.x;
    this.#y = next.y;
    this.#buttons = next.buttons;
    this.#events++;
    this.#recent.push(next);
    if (this.#recent.length > RECENT_POINTER_EVENTS) this.#recent.shift();
    return true;
  }

  get state(): PointerState {
    return { x: this.#x, y: this.#y, buttons: this.#buttons, events: this.#events, presses: this.#presses, recent: [...this.#recent] };
  }

  /** Power loss: no button stays held (position and counts remain). */
  reset(): void {
    this.#buttons = 0;
  }
}

function popCount(bits: number): number {
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count++;
  return count;
}
