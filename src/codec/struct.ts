/**
 * Declare-once binary structures: a struct lists its fields (width, endianness, magic values) and
 * parse, serialize, byte size, field offsets and a documentation table are all derived from that
 * one declaration. Parsing checks the whole length first and reports errors by structure, field
 * and absolute offset.
 */
import { DecodeError } from './errors.js';

/** One field kind: how many bytes it takes and how to read and write it. */
export interface FieldCodec<T> {
  readonly size: number;
  readonly kind: string;
  read(view: DataView, offset: number): T;
  write(view: DataView, offset: number, value: T): void;
  /** For magic fields: the value that must be present; checked by parse. */
  readonly expected?: T;
  /** Value used by `defaults()` when a caller leaves the field out. */
  readonly fallback: T;
  /** Compare for magic checks. */
  equals?(a: T, b: T): boolean;
  describe?(value: T): string;
}

const hex = (n: number | bigint, width: number): string => `0x${n.toString(16).toUpperCase().padStart(width, '0')}`;

export const u8 = (): FieldCodec<number> => ({
  size: 1, kind: 'u8', fallback: 0,
  read: (v, o) => v.getUint8(o),
  write: (v, o, x) => v.setUint8(o, x),
  describe: (x) => hex(x, 2),
});
export const u16 = (): FieldCodec<number> => ({
  size: 2, kind: 'u16le', fallback: 0,
  read: (v, o) => v.getUint16(o, true),
  write: (v, o, x) => v.setUint16(o, x, true),
  describe: (x) => hex(x, 4),
});
export const u32 = (): FieldCodec<number> => ({
  size: 4, kind: 'u32le', fallback: 0,
  read: (v, o) => v.getUint32(o, true),
  write: (v, o, x) => v.setUint32(o, x >>> 0, true),
  describe: (x) => hex(x, 8),
});
export const u64 = (): FieldCodec<bigint> => ({
  size: 8, kind: 'u64le', fallback: 0n,
  read: (v, o) => v.getBigUint64(o, true),
  write: (v, o, x) => v.setBigUint64(o, x, true),
  describe: (x) => hex(x, 16),
});
/** Big-endian variants, for the few wire formats that use network byte order. */
export const u16be = (): FieldCodec<number> => ({
  size: 2, kind: 'u16be', fallback: 0,
  read: (v, o) => v.getUint16(o, false),
  write: (v, o, x) => v.setUint16(o, x, false),
  describe: (x) => hex(x, 4),
});
export const u32be = (): FieldCodec<number> => ({
  size: 4, kind: 'u32be', fallback: 0,
  read: (v, o) => v.getUint32(o, false),
  write: (v, o, x) => v.setUint32(o, x >>> 0, false),
  describe: (x) => hex(x, 8),
});

/** A fixed number of raw bytes (copied out on parse, so the result does not alias the input). */
export const bytes = (length: number): FieldCodec<Uint8Array> => ({
  size: length, kind: `bytes[${length}]`, fallback: new Uint8Array(length),
  read: (v, o) => new Uint8Array(v.buffer.slice(v.byteOffset + o, v.byteOffset + o + length)),
  write: (v, o, x) => {
    if (x.length !== length) throw new RangeError(`bytes field expects ${length} bytes, got ${x.length}`);
    new Uint8Array(v.buffer, v.byteOffset + o, length).set(x);
  },
  equals: (a, b) => a.length === b.length && a.every((x, i) => x === b[i]),
  describe: (x) => Buffer.from(x).toString('hex'),
});

/** A fixed-width ASCII string, NUL-padded; parse strips the padding. */
export const ascii = (length: number): FieldCodec<string> => ({
  size: length, kind: `char[${length}]`, fallback: '',
  read: (v, o) => {
    const raw = new Uint8Array(v.buffer, v.byteOffset + o, length);
    const end = raw.indexOf(0);
    return Buffer.from(raw.subarray(0, end < 0 ? length : end)).toString('latin1');
  },
  write: (v, o, x) => {
    const enc = Buffer.from(x, 'latin1');
    if (enc.length > length) throw new RangeError(`string "${x}" longer than ${length} bytes`);
    const dst = new Uint8Array(v.buffer, v.byteOffset + o, length);
    dst.fill(0);
    dst.set(enc);
  },
  describe: (x) => JSON.stringify(x),
});

/** A field whose bytes must equal a constant (a signature such as `$FPT`). */
export function magic<T>(inner: FieldCodec<T>, value: T): FieldCodec<T> {
  const equals = (a: T, b: T): boolean => (inner.equals ? inner.equals(a, b) : a === b);
  return { ...inner, kind: `${inner.kind} magic`, expected: value, fallback: value, equals };
}
/** Magic given as an ASCII string, stored without padding (e.g. `magicAscii('$CPD')`). */
export const magicAscii = (text: string): FieldCodec<string> => magic(ascii(text.length), text);

type Fields = Record<string, FieldCodec<unknown>>;
type ValueOf<F> = F extends FieldCodec<infer T> ? T : never;
/** The plain-object type a struct declaration parses to. */
export type Infer<S> = S extends Struct<infer F> ? { [K in keyof F]: ValueOf<F[K]> } : never;
type Values<F extends Fields> = { [K in keyof F]: ValueOf<F[K]> };

export interface FieldLayout {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
  readonly kind: string;
}

/** A declared structure; create with `struct(name, fields)`. */
export class Struct<F extends Fields> {
  readonly size: number;
  readonly layout: readonly FieldLayout[];
  readonly #offsets: Map<string, number>;

  constructor(readonly name: string, readonly fields: F) {
    let offset = 0;
    const layout: FieldLayout[] = [];
    this.#offsets = new Map();
    for (const [fieldName, codec] of Object.entries(fields)) {
      layout.push({ name: fieldName, offset, size: codec.size, kind: codec.kind });
      this.#offsets.set(fieldName, offset);
      offset += codec.size;
    }
    this.size = offset;
    this.layout = layout;
  }

  /** Byte offset of a field from the start of the structure. */
  offsetOf(field: keyof F & string): number {
    const o = this.#offsets.get(field);
    if (o === undefined) throw new RangeError(`${this.name} has no field ${field}`);
    return o;
  }

  /**
   * Parse one structure at `offset` of `data`. `base` is added to offsets in error messages so
   * they are absolute within the enclosing image.
   * @throws DecodeError when the input is too short or a magic field does not match.
   */
  parse(data: Uint8Array, offset = 0, base = 0): Values<F> {
    if (offset < 0 || offset + this.size > data.length) {
      throw new DecodeError({
        structure: this.name, field: '(whole)', offset: base + offset,
        reason: 'truncated', expected: `${this.size} bytes`, actual: `${Math.max(0, data.length - offset)} bytes`,
      });
    }
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const out: Record<string, unknown> = {};
    for (const f of this.layout) {
      const codec = this.fields[f.name] as FieldCodec<unknown>;
      const value = codec.read(view, offset + f.offset);
      if (codec.expected !== undefined && !sameValue(codec, value, codec.expected)) {
        throw new DecodeError({
          structure: this.name, field: f.name, offset: base + offset + f.offset, reason: 'bad magic',
          expected: describe(codec, codec.expected), actual: describe(codec, value),
        });
      }
      out[f.name] = value;
    }
    return out as Values<F>;
  }

  /** Serialize into a fresh buffer, or into `target` at `offset`. */
  serialize(value: Values<F>, target?: Uint8Array, offset = 0): Uint8Array {
    const buf = target ?? new Uint8Array(this.size);
    if (offset + this.size > buf.length) throw new RangeError(`${this.name} does not fit at ${offset}`);
    const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    for (const f of this.layout) {
      const codec = this.fields[f.name] as FieldCodec<unknown>;
      codec.write(view, offset + f.offset, (value as Record<string, unknown>)[f.name]);
    }
    return buf;
  }

  /** A complete value with every field at its fallback (magic fields at their magic). */
  defaults(overrides: Partial<Values<F>> = {}): Values<F> {
    const out: Record<string, unknown> = {};
    for (const f of this.layout) out[f.name] = (this.fields[f.name] as FieldCodec<unknown>).fallback;
    return { ...(out as Values<F>), ...overrides };
  }

  /** A Markdown table of the layout, for reference docs. */
  docTable(): string {
    const rows = this.layout.map((f) => `| 0x${f.offset.toString(16).toUpperCase()} | ${f.size} | ${f.name} | ${f.kind} |`);
    return [`**${this.name}** (${this.size} bytes)`, '', '| Offset | Size | Field | Type |', '|---|---|---|---|', ...rows].join('\n');
  }
}

function sameValue(codec: FieldCodec<unknown>, a: unknown, b: unknown): boolean {
  return codec.equals ? codec.equals(a, b) : Object.is(a, b);
}

function describe(codec: FieldCodec<unknown>, v: unknown): string {
  return codec.describe ? codec.describe(v) : String(v);
}

/** Declare a structure. Field order in the object literal is the byte order on the wire. */
export const struct = <F extends Fields>(name: string, fields: F): Struct<F> => new Struct(name, fields);

/**
 * Parse `count` consecutive structures (a table), checking the table's total length up front.
 * @throws DecodeError naming the table when it would run past the end of `data`.
 */
export function parseArray<F extends Fields>(s: Struct<F>, data: Uint8Array, offset: number, count: number, base = 0): Values<F>[] {
  const need = s.size * count;
  if (count < 0 || offset + need > data.length) {
    throw new DecodeError({
      structure: `${s.name}[${count}]`, field: '(table)', offset: base + offset, reason: 'truncated',
      expected: `${need} bytes`, actual: `${Math.max(0, data.length - offset)} bytes`,
    });
  }
  const out: Values<F>[] = [];
  for (let i = 0; i < count; i++) out.push(s.parse(data, offset + i * s.size, base));
  return out;
}
