/**
 * Declare-once APF messages. APF is SSH-like: big-endian integers and `u32 length + bytes` strings,
 * so a message is a type byte followed by a sequence of fixed fields (the codec's big-endian
 * `FieldCodec`s) and variable ones (strings, data, an optional tail). Parse, serialize, size and
 * the reference table all derive from one declaration. Parsing checks every length before reading
 * it, caps strings and data, refuses trailing bytes, and raises only `ApfError` (MALFORMED).
 */
import { bytes as fixedBytes, u8 as codecU8, u32be, type FieldCodec } from '../../codec/index.js';
import { APF_TYPE, type ApfMessageName } from './constants.js';
import { malformed } from './errors.js';

/** Reads one message front to back; every read is preceded by a length check. */
export class ApfReader {
  offset = 1;
  field = '(whole)';
  readonly view: DataView;

  constructor(readonly data: Uint8Array, readonly message: string) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  get remaining(): number {
    return this.data.length - this.offset;
  }

  /** @throws ApfError truncated when fewer than `count` bytes are left. */
  need(count: number, what: string): void {
    if (count > this.remaining) throw malformed(this.message, this.field, this.offset, 'truncated', `${what}: need ${count} bytes, ${this.remaining} left`);
  }
}

/** Writes one message into a buffer sized beforehand from the declaration. */
export class ApfWriter {
  offset = 1;
  readonly view: DataView;

  constructor(readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
}

/** One field kind: how it reads, writes and sizes itself, and how the reference names it. */
export interface ApfField<T> {
  readonly kind: string;
  /** Byte size when it does not depend on the value. */
  readonly fixedSize?: number;
  readonly fallback: T;
  read(reader: ApfReader): T;
  write(writer: ApfWriter, value: T): void;
  size(value: T): number;
  /** Sub-fields (groups), for the reference table. */
  readonly members?: Readonly<Record<string, ApfField<unknown>>>;
}

/** A fixed-width field from the codec. */
export function fixed<T>(codec: FieldCodec<T>, kind = codec.kind): ApfField<T> {
  return {
    kind, fixedSize: codec.size, fallback: codec.fallback,
    read: (reader) => {
      reader.need(codec.size, kind);
      const value = codec.read(reader.view, reader.offset);
      reader.offset += codec.size;
      return value;
    },
    write: (writer, value) => {
      codec.write(writer.view, writer.offset, value);
      writer.offset += codec.size;
    },
    size: () => codec.size,
  };
}

export const u8 = (): ApfField<number> => fixed(codecU8(), 'u8');
export const u32 = (): ApfField<number> => fixed(u32be(), 'u32be');
export const raw = (length: number): ApfField<Uint8Array> => fixed(fixedBytes(length));

/** `u32 length` then that many bytes, at most `max`. */
function lengthPrefixed<T>(kind: string, max: number, fallback: T, decode: (b: Uint8Array) => T, encode: (v: T) => Uint8Array): ApfField<T> {
  return {
    kind: `${kind} (u32be length + ≤ ${max} bytes)`, fallback,
    read: (reader) => {
      reader.need(4, `${kind} length`);
      const length = reader.view.getUint32(reader.offset, false);
      if (length > max) throw malformed(reader.message, reader.field, reader.offset, 'oversized', `${kind} of ${length} bytes, at most ${max}`);
      reader.offset += 4;
      reader.need(length, kind);
      const value = decode(reader.data.slice(reader.offset, reader.offset + length));
      reader.offset += length;
      return value;
    },
    write: (writer, value) => {
      const body = encode(value);
      if (body.length > max) throw new RangeError(`${kind} of ${body.length} bytes exceeds ${max}`);
      writer.view.setUint32(writer.offset, body.length, false);
      writer.data.set(body, writer.offset + 4);
      writer.offset += 4 + body.length;
    },
    size: (value) => 4 + encode(value).length,
  };
}

/** An SSH string read as latin1 text (names, addresses, passwords: byte-exact round trip). */
export const text = (max: number): ApfField<string> =>
  lengthPrefixed('string', max, '', (b) => Buffer.from(b).toString('latin1'), (v) => Buffer.from(v, 'latin1'));

/** Length-prefixed raw bytes (CHANNEL_DATA payload). */
export const data = (max: number): ApfField<Uint8Array> => lengthPrefixed('data', max, new Uint8Array(), (b) => b, (v) => v);

type Fields = Record<string, ApfField<unknown>>;
type ValueOf<F> = F extends ApfField<infer T> ? T : never;
/** The plain object a field list parses to. */
export type Values<F> = { readonly [K in keyof F]: ValueOf<F[K]> };

/** Several fields as one value (e.g. USERAUTH's password part). */
export function group<F extends Fields>(members: F): ApfField<Values<F>> {
  const entries = Object.entries(members);
  const fallback = Object.fromEntries(entries.map(([name, field]) => [name, field.fallback])) as Values<F>;
  return {
    kind: 'group', members, fallback,
    read: (reader) => readFields(reader, members),
    write: (writer, value) => writeFields(writer, members, value),
    size: (value) => sizeOfFields(members, value),
  };
}

/** A field present only when bytes remain (must be the last field of a message). */
export function optional<T>(inner: ApfField<T>): ApfField<T | undefined> {
  return {
    kind: `optional ${inner.kind}`, fallback: undefined, ...(inner.members ? { members: inner.members } : {}),
    read: (reader) => (reader.remaining === 0 ? undefined : inner.read(reader)),
    write: (writer, value) => { if (value !== undefined) inner.write(writer, value); },
    size: (value) => (value === undefined ? 0 : inner.size(value)),
  };
}

function readFields<F extends Fields>(reader: ApfReader, fields: F): Values<F> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(fields)) {
    reader.field = name;
    out[name] = field.read(reader);
  }
  return out as Values<F>;
}

function writeFields<F extends Fields>(writer: ApfWriter, fields: F, values: Values<F>): void {
  for (const [name, field] of Object.entries(fields)) field.write(writer, (values as Record<string, unknown>)[name]);
}

function sizeOfFields<F extends Fields>(fields: F, values: Values<F>): number {
  return Object.entries(fields).reduce((n, [name, field]) => n + field.size((values as Record<string, unknown>)[name]), 0);
}

/** One declared message: its type byte, wire label and fields. */
export class ApfMessageSpec<N extends ApfMessageName, F extends Fields> {
  readonly type: number;

  constructor(readonly name: N, readonly label: string, readonly fields: F) {
    this.type = APF_TYPE[name];
  }

  /** Bytes of the smallest well-formed message. */
  get minSize(): number {
    return 1 + sizeOfFields(this.fields, this.defaults());
  }

  /**
   * Parses one whole message (the type byte must be this message's).
   * @throws ApfError VME_ERR_APF_MALFORMED: wrong type, truncated, oversized field, trailing bytes
   */
  parse(bytes: Uint8Array): Values<F> {
    const reader = new ApfReader(bytes, this.label);
    if (bytes[0] !== this.type) throw malformed(this.label, 'type', 0, 'wrong type', `expected ${this.type}, found ${bytes[0] ?? 'nothing'}`);
    const values = readFields(reader, this.fields);
    if (reader.remaining !== 0) throw malformed(this.label, '(whole)', reader.offset, 'trailing bytes', `${reader.remaining} after the last field`);
    return values;
  }

  /** @throws RangeError when a value does not fit its field (a caller bug, not peer input). */
  serialize(values: Values<F>): Uint8Array {
    const out = new Uint8Array(1 + sizeOfFields(this.fields, values));
    out[0] = this.type;
    writeFields(new ApfWriter(out), this.fields, values);
    return out;
  }

  /** Every field at its fallback, with `overrides`. */
  defaults(overrides: Partial<Values<F>> = {}): Values<F> {
    const out = Object.fromEntries(Object.entries(this.fields).map(([name, field]) => [name, field.fallback]));
    return { ...(out as Values<F>), ...overrides };
  }

  /** A Markdown table of the layout; offsets stop at the first variable-size field. */
  docTable(): string {
    const rows = [`| 0 | type | u8 = ${this.type} |`];
    let offset: number | undefined = 1;
    const walk = (fields: Fields, prefix: string): void => {
      for (const [name, field] of Object.entries(fields)) {
        if (field.members && field.kind === 'group') {
          walk(field.members, `${prefix}${name}.`);
          continue;
        }
        const optionalGroup = field.members !== undefined;
        rows.push(`| ${offset ?? '…'} | ${prefix}${name} | ${optionalGroup ? 'optional group, present when bytes remain' : field.kind} |`);
        if (optionalGroup && field.members) walk(field.members, `${prefix}${name}.`);
        offset = offset !== undefined && field.fixedSize !== undefined ? offset + field.fixedSize : undefined;
      }
    };
    walk(this.fields, '');
    return [`**${this.label}** (${this.type}, at least ${this.minSize} bytes)`, '', '| Offset | Field | Type |', '|---|---|---|', ...rows].join('\n');
  }
}

/** Declares a message. Field order in the object literal is the byte order on the wire. */
export const message = <N extends ApfMessageName, F extends Fields>(name: N, label: string, fields: F): ApfMessageSpec<N, F> =>
  new ApfMessageSpec(name, label, fields);
