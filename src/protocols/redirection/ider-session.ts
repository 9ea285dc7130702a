/**
 * The device end of an IDER session, sans-I/O (brief §4.4): what RedirectionSession runs after an
 * `IDER` start and login. The console opens IDER (0x40 → reply 0x41 with 8 KiB buffers), enables
 * the IDE registers (0x48 feature 3, value 0x01 | start option → reply 0x49 value 1), and from then
 * on the owner writes the host's ATAPI packets with `command(drive, packet)`: one 0x50 at a time
 * (others wait in order); the console's 0x54 parts (the last one flagged completed) or its 0x51
 * end the command with a `command-done` or `command-failed` event. `reset()` tells the console
 * the host reset the channel (0x46): waiting and running commands fail. Device messages are
 * numbered from 0 (MeshCommander checks each number). Keep-alives are answered; a 0x42 close is
 * answered with 0x43 and ends the connection. `receive` throws only RedirectionError.
 */
import { protocolError } from './errors.js';
import { ATA_PACKET, encodeIderFrame, IDER_ATTRIBUTE, IDER_BUFFER_BYTES, IDER_DRIVE, IDER_FEATURE, IDER_REGISTER, INTEL_IANA, readIderFrame, type IderFrame, type IderTypeName } from './ider-messages.js';
import { expectedBytes, type IderDriveName } from './ider-scsi.js';

/** When the console wants the redirected drives to appear (the register toggle's start option). */
export type IderStart = 'on-reboot' | 'graceful' | 'now';

export type IderEvent =
  | { readonly kind: 'ider-open'; readonly rxTimeout: number; readonly txTimeout: number; readonly heartbeat: number; readonly version: number }
  | { readonly kind: 'ider-enabled'; readonly start: IderStart }
  | { readonly kind: 'ider-disabled' }
  | { readonly kind: 'command-done'; readonly id: number; readonly data: Uint8Array }
  | { readonly kind: 'command-failed'; readonly id: number; readonly sense: number; readonly asc: number; readonly ascq: number; readonly reason: string };

export interface IderStep {
  readonly output: readonly Uint8Array[];
  readonly events: readonly IderEvent[];
  /** The console closed IDER: end the connection after `output`. */
  readonly close: boolean;
}

interface Command {
  readonly id: number;
  readonly drive: IderDriveName;
  readonly packet: Uint8Array;
  readonly maxBytes: number;
  readonly parts: Uint8Array[];
  received: number;
}

/** The firmware version the open reply names (major, minor, firmware major, firmware minor) [values ours]. */
const VERSION = { major: 1, minor: 0, firmwareMajor: 11, firmwareMinor: 8 } as const;

export class IderDevice {
  #buffer: Uint8Array = new Uint8Array(0);
  #sequence = 0;
  #open = false;
  #enabled = false;
  #nextId = 1;
  #running: Command | undefined;
  readonly #waiting: Command[] = [];
  /** A reset was sent and its response not seen: stray data of the aborted command is dropped. */
  #resetPending = false;
  #output: Uint8Array[] = [];
  #events: IderEvent[] = [];

  get open(): boolean {
    return this.#open;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Commands written or waiting. */
  get pending(): number {
    return this.#waiting.length + (this.#running ? 1 : 0);
  }

  /** Console bytes. @throws RedirectionError (the session turns it into a close) */
  receive(bytes: Uint8Array): IderStep {
    this.#buffer = this.#buffer.length === 0 ? bytes : Buffer.concat([this.#buffer, bytes]);
    let close = false;
    for (;;) {
      const next = readIderFrame(this.#buffer, 'console');
      if (next === undefined) break;
      this.#buffer = this.#buffer.subarray(next.size);
      if (this.#handle(next.frame)) {
        close = true;
        break;
      }
    }
    return { ...this.#take(), close };
  }

  /** Writes `packet` (a 12-byte ATAPI CDB) for `drive` to the console, now or after the commands before it. */
  command(drive: IderDriveName, packet: Uint8Array): { id: number; output: Uint8Array[] } {
    if (packet.length !== 12) throw new RangeError(`an ATAPI packet has 12 bytes, got ${packet.length}`);
    const command: Command = { id: this.#nextId++, drive, packet, maxBytes: expectedBytes(packet, drive), parts: [], received: 0 };
    this.#waiting.push(command);
    this.#startNext();
    return { id: command.id, output: this.#take().output };
  }

  /** The host reset its IDE channel: every command fails, the console hears ResetOccurred. */
  reset(): IderStep {
    if (this.#open) {
      this.#failAll('reset');
      this.#resetPending = true;
      this.#send('resetOccurred', { mask: 1 });
    }
    return { ...this.#take(), close: false };
  }

  /** The connection ended: the commands still waiting fail. */
  end(): IderEvent[] {
    this.#failAll('closed');
    return this.#take().events;
  }

  #take(): { output: Uint8Array[]; events: IderEvent[] } {
    const step = { output: this.#output, events: this.#events };
    this.#output = [];
    this.#events = [];
    return step;
  }

  #send(name: IderTypeName, fields: Record<string, unknown> = {}, payload?: Uint8Array): void {
    this.#output.push(encodeIderFrame(name, { ...fields, sequence: this.#sequence }, payload));
    this.#sequence = (this.#sequence + 1) >>> 0;
  }

  /** True when the console closed IDER. */
  #handle(frame: IderFrame): boolean {
    if (frame.name !== 'openSession' && !this.#open) throw protocolError(frame.name, 'out of order', 'before IDEROpenSession');
    switch (frame.name) {
      case 'openSession':
        return this.#openSession(frame);
      case 'closeSession':
        this.#failAll('closed');
        this.#send('closeSessionReply');
        return true;
      case 'keepAlivePing':
        this.#send('keepAlivePong');
        return false;
      case 'disableEnableFeatures':
        return this.#features(frame);
      case 'resetOccurredResponse':
        this.#resetPending = false;
        this.#startNext();
        return false;
      case 'dataToHost':
      case 'commandEndResponse':
        return this.#answer(frame);
      case 'getDataFromHost':
        throw protocolError('IDERGetDataFromHost', 'not supported', 'the redirected media is read-only');
      default: // pong, heartbeat
        return false;
    }
  }

  #openSession(frame: IderFrame): boolean {
    if (this.#open) throw protocolError('IDEROpenSession', 'out of order', 'IDER is open already');
    const f = frame.fields as Record<string, number>;
    this.#open = true;
    this.#send('openSessionReply', { ...VERSION, readBufferBytes: IDER_BUFFER_BYTES, writeBufferBytes: IDER_BUFFER_BYTES, protocol: 0, iana: INTEL_IANA });
    this.#events.push({ kind: 'ider-open', rxTimeout: f['rxTimeout'] ?? 0, txTimeout: f['txTimeout'] ?? 0, heartbeat: f['heartbeat'] ?? 0, version: f['version'] ?? 0 });
    return false;
  }

  #features(frame: IderFrame): boolean {
    const feature = frame.fields['feature'] as number;
    const value = frame.payload.length === 4 ? new DataView(frame.payload.buffer, frame.payload.byteOffset, 4).getUint32(0, true) : 0;
    if (feature === IDER_FEATURE.getSupported) {
      this.#send('disableEnableFeaturesReply', { feature, value: 1 });
    } else if (feature === IDER_FEATURE.getRegisterState) {
      this.#send('disableEnableFeaturesReply', { feature, value: this.#enabled ? 2 : 0 });
    } else if (feature === IDER_FEATURE.setRegisterState) {
      const enable = (value & IDER_REGISTER.enable) !== 0;
      this.#send('disableEnableFeaturesReply', { feature, value: 1 });
      if (enable !== this.#enabled || enable) {
        this.#enabled = enable;
        this.#events.push(enable ? { kind: 'ider-enabled', start: startOf(value) } : { kind: 'ider-disabled' });
      }
      if (!enable) this.#failAll('disabled');
    } else {
      throw protocolError('IDERDisableEnableFeatures', 'unknown feature', String(feature));
    }
    return false;
  }

  #answer(frame: IderFrame): boolean {
    const command = this.#running;
    if (command === undefined) {
      if (this.#resetPending) return false; // the tail of a command the reset aborted
      throw protocolError(frame.name === 'dataToHost' ? 'IDERDataToHost' : 'IDERCommandEndResponse', 'out of order', 'no command is pending');
    }
    if (frame.name === 'dataToHost') {
      command.received += frame.payload.length;
      if (command.received > command.maxBytes) throw protocolError('IDERDataToHost', 'overrun', `${command.received} bytes for a command expecting at most ${command.maxBytes}`);
      command.parts.push(frame.payload);
      if (((frame.fields['attributes'] as number) & IDER_ATTRIBUTE.completed) === 0) return false;
    }
    this.#running = undefined;
    const status = frame.fields['outputStatus'] as number;
    const sense = frame.fields['sense'] as number;
    const failed = frame.name === 'commandEndResponse' && ((status & 0x01) !== 0 || sense !== 0);
    if (failed) {
      this.#events.push({ kind: 'command-failed', id: command.id, sense, asc: frame.fields['asc'] as number, ascq: frame.fields['ascq'] as number, reason: 'sense' });
    } else {
      this.#events.push({ kind: 'command-done', id: command.id, data: join(command.parts, command.received) });
    }
    this.#startNext();
    return false;
  }

  #startNext(): void {
    if (this.#running || this.#resetPending || !this.#open) return;
    const command = this.#waiting.shift();
    if (command === undefined) return;
    this.#running = command;
    const expected = Math.min(command.maxBytes, 0xfffe);
    this.#send('commandWritten', {
      feature: 0, sectorCount: 0, sectorNumber: 0, byteCount: expected, driveSelect: IDER_DRIVE[command.drive], command: ATA_PACKET, packet: command.packet,
    });
  }

  #failAll(reason: string): void {
    const all = [...(this.#running ? [this.#running] : []), ...this.#waiting.splice(0)];
    this.#running = undefined;
    for (const command of all) this.#events.push({ kind: 'command-failed', id: command.id, sense: 0, asc: 0, ascq: 0, reason });
  }
}

function startOf(value: number): IderStart {
  const option = value & IDER_REGISTER.now;
  return option === IDER_REGISTER.now ? 'now' : option === IDER_REGISTER.graceful ? 'graceful' : 'on-reboot';
}

function join(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
