/**
 * A dirty region as a short list of rectangles: add (dropping covered ones, collapsing to the
 * bounding box past a limit), and take the part inside a requested rectangle while keeping the rest.
 */
import type { Rect } from './encode.js';

const MAX_RECTS = 48;

const right = (r: Rect): number => r.x + r.width;
const bottom = (r: Rect): number => r.y + r.height;

export function intersect(a: Rect, b: Rect): Rect | undefined {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const w = Math.min(right(a), right(b)) - x;
  const h = Math.min(bottom(a), bottom(b)) - y;
  return w > 0 && h > 0 ? { x, y, width: w, height: h } : undefined;
}

const contains = (outer: Rect, inner: Rect): boolean => inner.x >= outer.x && inner.y >= outer.y && right(inner) <= right(outer) && bottom(inner) <= bottom(outer);

/** `a` minus `b`: up to four rectangles. */
export function subtract(a: Rect, b: Rect): Rect[] {
  const i = intersect(a, b);
  if (!i) return [a];
  const out: Rect[] = [];
  if (i.y > a.y) out.push({ x: a.x, y: a.y, width: a.width, height: i.y - a.y });
  if (bottom(i) < bottom(a)) out.push({ x: a.x, y: bottom(i), width: a.width, height: bottom(a) - bottom(i) });
  if (i.x > a.x) out.push({ x: a.x, y: i.y, width: i.x - a.x, height: i.height });
  if (right(i) < right(a)) out.push({ x: right(i), y: i.y, width: right(a) - right(i), height: i.height });
  return out;
}

export class DirtyRegion {
  #rects: Rect[] = [];

  get empty(): boolean {
    return this.#rects.length === 0;
  }

  add(rect: Rect): void {
    if (rect.width <= 0 || rect.height <= 0 || this.#rects.some((r) => contains(r, rect))) return;
    this.#rects = this.#rects.filter((r) => !contains(rect, r));
    this.#rects.push(rect);
    if (this.#rects.length > MAX_RECTS) this.#rects = [this.#bounds()];
  }

  /** Removes and returns the dirty parts inside `area`. */
  take(area: Rect): Rect[] {
    const taken: Rect[] = [];
    const kept: Rect[] = [];
    for (const r of this.#rects) {
      const inside = intersect(r, area);
      if (!inside) {
        kept.push(r);
        continue;
      }
      taken.push(inside);
      kept.push(...subtract(r, area));
    }
    this.#rects = kept;
    return taken;
  }

  #bounds(): Rect {
    const x = Math.min(...this.#rects.map((r) => r.x));
    const y = Math.min(...this.#rects.map((r) => r.y));
    return { x, y, width: Math.max(...this.#rects.map(right)) - x, height: Math.max(...this.#rects.map(bottom)) - y };
  }
}
