/**
 * Declare-once bit fields inside a register word (e.g. the descriptor's FLMAP0): name each field's
 * low bit and width once; get, set, pack and unpack are derived from that declaration.
 */

export interface BitField {
  readonly shift: number;
  readonly width: number;
}

type BitSpec = Record<string, BitField>;
type BitValues<S extends BitSpec> = { [K in keyof S]: number };

export class BitLayout<S extends BitSpec> {
  constructor(readonly name: string, readonly fields: S) {
    for (const [k, f] of Object.entries(fields)) {
      if (f.shift < 0 || f.width < 1 || f.shift + f.width > 32) throw new RangeError(`${name}.${k}: bits out of range`);
    }
  }

  get(word: number, field: keyof S): number {
    const f = this.fields[field] as BitField;
    return f.width === 32 ? word >>> 0 : (word >>> f.shift) & ((1 << f.width) - 1);
  }

  set(word: number, field: keyof S, value: number): number {
    const f = this.fields[field] as BitField;
    const max = f.width === 32 ? 0xffffffff : (1 << f.width) - 1;
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw new RangeError(`${this.name}.${String(field)}: ${value} does not fit in ${f.width} bits`);
    }
    const mask = (max << f.shift) >>> 0;
    return ((word & ~mask) | (value << f.shift)) >>> 0;
  }

  unpack(word: number): BitValues<S> {
    const out: Record<string, number> = {};
    for (const k of Object.keys(this.fields)) out[k] = this.get(word, k);
    return out as BitValues<S>;
  }

  /** Pack named values into a word, starting from `base` (bits not named keep base's value). */
  pack(values: Partial<BitValues<S>>, base = 0): number {
    let word = base >>> 0;
    for (const [k, v] of Object.entries(values)) if (v !== undefined) word = this.set(word, k, v);
    return word;
  }
}

export const bits = <S extends BitSpec>(name: string, fields: S): BitLayout<S> => new BitLayout(name, fields);
export const at = (shift: number, width = 1): BitField => ({ shift, width });
