/**
 * QMP, QEMU's machine protocol, as a sans-I/O session: bytes from QEMU in, typed outputs (greeting,
 * replies by id, events) out; commands out as bytes with a fresh id. The wire is JSON objects, one
 * per line (QEMU ends them with CRLF): the server greets with {"QMP": {...}}, the client must send
 * `qmp_capabilities` before anything else, every command may carry an "id" that the reply echoes,
 * and asynchronous {"event": ...} objects arrive in between. Anything malformed is a typed error.
 */
import { VmeError } from '../../common/errors.js';

/** QEMU's version, from the greeting. */
export interface QmpVersion {
  readonly major: number;
  readonly minor: number;
  readonly micro: number;
  readonly package: string;
}

export interface QmpEvent {
  readonly event: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Seconds since the epoch (QEMU's timestamp, microseconds folded in). */
  readonly timestamp: number;
}

/** One thing QEMU said. */
export type QmpOutput =
  | { readonly kind: 'greeting'; readonly version: QmpVersion; readonly capabilities: readonly string[] }
  | { readonly kind: 'return'; readonly id: string; readonly value: unknown }
  | { readonly kind: 'error'; readonly id: string; readonly errorClass: string; readonly description: string }
  | { readonly kind: 'event'; readonly event: QmpEvent };

export type QmpPhase = 'greeting' | 'negotiating' | 'ready';

/** Longest line accepted from QEMU (query replies are small; a screen of `query-*` is far below). */
export const QMP_MAX_LINE = 1024 * 1024;

/** The id of the capabilities negotiation command. */
const CAPABILITIES_ID = 'vme-caps';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export function qmpFail(message: string, details: Record<string, unknown> = {}): never {
  throw new VmeError('VME_ERR_QMP_PROTOCOL', message, details);
}

export class QmpSession {
  #phase: QmpPhase = 'greeting';
  #buffer = new Uint8Array(0);
  #nextId = 1;
  readonly #pending = new Set<string>();
  #version: QmpVersion | undefined;

  constructor(readonly maxLine = QMP_MAX_LINE) {}

  get phase(): QmpPhase {
    return this.#phase;
  }

  get version(): QmpVersion | undefined {
    return this.#version;
  }

  /** Ids of commands sent and not yet answered. */
  get pending(): readonly string[] {
    return [...this.#pending];
  }

  /**
   * Takes bytes from QEMU and returns what they complete. After the greeting it also returns the
   * capabilities negotiation bytes to send (`send`). @throws VmeError VME_ERR_QMP_PROTOCOL
   */
  feed(bytes: Uint8Array): { outputs: QmpOutput[]; send: Uint8Array[] } {
    const joined = new Uint8Array(this.#buffer.length + bytes.length);
    joined.set(this.#buffer);
    joined.set(bytes, this.#buffer.length);
    const outputs: QmpOutput[] = [];
    const send: Uint8Array[] = [];
    let start = 0;
    for (let newline = joined.indexOf(0x0a, start); newline >= 0; newline = joined.indexOf(0x0a, start)) {
      const line = joined.subarray(start, newline);
      start = newline + 1;
      if (line.length > this.maxLine) qmpFail(`QMP line of ${line.length} bytes is over the ${this.maxLine}-byte limit`);
      const output = this.#line(line);
      if (output === undefined) continue;
      if (output.kind === 'greeting') send.push(this.#capabilities());
      outputs.push(output);
    }
    this.#buffer = joined.slice(start);
    if (this.#buffer.length > this.maxLine) qmpFail(`QMP line over the ${this.maxLine}-byte limit (no newline)`);
    return { outputs, send };
  }

  /** Bytes of a command with a fresh id. @throws VmeError VME_ERR_QMP_UNAVAILABLE before negotiation finished */
  command(execute: string, args?: Readonly<Record<string, unknown>>): { id: string; bytes: Uint8Array } {
    if (this.#phase !== 'ready') throw new VmeError('VME_ERR_QMP_UNAVAILABLE', `QMP command ${execute} before capabilities negotiation finished (phase ${this.#phase})`, { command: execute });
    const id = `vme-${this.#nextId++}`;
    this.#pending.add(id);
    return { id, bytes: encodeLine({ execute, ...(args ? { arguments: args } : {}), id }) };
  }

  #capabilities(): Uint8Array {
    this.#phase = 'negotiating';
    this.#pending.add(CAPABILITIES_ID);
    return encodeLine({ execute: 'qmp_capabilities', id: CAPABILITIES_ID });
  }

  #line(line: Uint8Array): QmpOutput | undefined {
    let text: string;
    try {
      text = decoder.decode(line).trim();
    } catch {
      return qmpFail('QMP line is not UTF-8');
    }
    if (text === '') return undefined;
    const message = parseObject(text);
    if (this.#phase === 'greeting') return this.#greeting(message);
    if ('event' in message) return { kind: 'event', event: parseEvent(message) };
    const output = this.#reply(message);
    if (output.id !== CAPABILITIES_ID) return output;
    if (output.kind === 'error') qmpFail(`QEMU refused qmp_capabilities: ${output.description}`);
    this.#phase = 'ready';
    return undefined;
  }

  #greeting(message: Record<string, unknown>): QmpOutput {
    const qmp = message['QMP'];
    if (!isObject(qmp)) return qmpFail('QMP greeting expected ({"QMP": ...})', { keys: Object.keys(message) });
    const qemu = isObject(qmp['version']) ? qmp['version']['qemu'] : undefined;
    const version: QmpVersion = {
      major: isObject(qemu) && typeof qemu['major'] === 'number' ? qemu['major'] : 0,
      minor: isObject(qemu) && typeof qemu['minor'] === 'number' ? qemu['minor'] : 0,
      micro: isObject(qemu) && typeof qemu['micro'] === 'number' ? qemu['micro'] : 0,
      package: isObject(qmp['version']) && typeof qmp['version']['package'] === 'string' ? qmp['version']['package'] : '',
    };
    const capabilities = Array.isArray(qmp['capabilities']) ? qmp['capabilities'].filter((c): c is string => typeof c === 'string') : [];
    this.#version = version;
    return { kind: 'greeting', version, capabilities };
  }

  #reply(message: Record<string, unknown>): Extract<QmpOutput, { id: string }> {
    const id = message['id'];
    if (typeof id !== 'string' || !this.#pending.has(id)) return qmpFail(`QMP reply with an unknown id ${JSON.stringify(id)}`, { id });
    this.#pending.delete(id);
    if ('return' in message) return { kind: 'return', id, value: message['return'] };
    const error = message['error'];
    if (!isObject(error)) return qmpFail('QMP reply has neither "return" nor "error"', { id });
    const errorClass = typeof error['class'] === 'string' ? error['class'] : 'GenericError';
    return { kind: 'error', id, errorClass, description: typeof error['desc'] === 'string' ? error['desc'] : '' };
  }
}

function encodeLine(value: unknown): Uint8Array {
  return encoder.encode(`${JSON.stringify(value)}\n`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return qmpFail(`QMP line is not JSON: ${text.slice(0, 80)}`);
  }
  return isObject(value) ? value : qmpFail('QMP line is not a JSON object');
}

function parseEvent(message: Record<string, unknown>): QmpEvent {
  const name = message['event'];
  if (typeof name !== 'string') return qmpFail('QMP event name is not a string');
  const data = isObject(message['data']) ? message['data'] : {};
  const stamp = isObject(message['timestamp']) ? message['timestamp'] : {};
  const seconds = typeof stamp['seconds'] === 'number' ? stamp['seconds'] : 0;
  const micro = typeof stamp['microseconds'] === 'number' ? stamp['microseconds'] : 0;
  return { event: name, data, timestamp: seconds + micro / 1e6 };
}
