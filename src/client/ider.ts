/**
 * A console-side IDE-redirection client (what MeshCommander's `amt-ider` module does): it starts an
 * `IDER` redirection session on 16994/16995, logs in with Digest (type 4), opens IDER, enables the
 * IDE registers (start option "now" by default) and serves the device's ATAPI commands from local
 * images: TEST UNIT READY, INQUIRY, READ CAPACITY, READ(10) (in parts of the device's read buffer),
 * MODE SENSE(10), GET CONFIGURATION; anything else ends with ILLEGAL REQUEST; writes are refused.
 * `IderConsole` is the sans-I/O part (bytes in, bytes out); `openIderSession` runs it on a socket.
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect as tcpConnect, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import {
  AUTH_STATUS, AUTH_TYPE, decodeElements, encodeElements, encodeFrame, encodeIderFrame, IDER_ATTRIBUTE, IDER_BLOCK_BYTES, IDER_DRIVE, IDER_FEATURE, IDER_REGISTER,
  readFrame, readIderFrame, REDIRECTION_METHOD, REDIRECTION_URI, SCSI_OPCODE, SENSE_KEY, SESSION_KIND, START_STATUS, type IderDriveName, type IderFrame,
} from '../protocols/redirection/index.js';

export interface IderImages {
  readonly cd?: Uint8Array;
  readonly floppy?: Uint8Array;
}

export type IderConsoleEvent =
  | { readonly kind: 'opened'; readonly readBufferBytes: number }
  | { readonly kind: 'enabled'; readonly value: number }
  | { readonly kind: 'read'; readonly drive: IderDriveName; readonly lba: number; readonly count: number }
  | { readonly kind: 'command'; readonly drive: IderDriveName; readonly opcode: number }
  | { readonly kind: 'closed' };

const md5 = (text: string): string => createHash('md5').update(text, 'latin1').digest('hex');
const sense = { notReady: [SENSE_KEY.notReady, 0x3a, 0], illegal: [SENSE_KEY.illegalRequest, 0x20, 0], range: [SENSE_KEY.illegalRequest, 0x21, 0], protect: [SENSE_KEY.illegalRequest, 0x27, 0] } as const;

/** The IDER part of a console, sans-I/O: `open()` first, then `receive(bytes)` → messages to send. */
export class IderConsole {
  #buffer: Uint8Array = new Uint8Array(0);
  #sequence = 0;
  #readBuffer = 8192;
  readonly events: IderConsoleEvent[] = [];

  constructor(readonly images: IderImages, readonly start: number = IDER_REGISTER.now) {}

  open(): Uint8Array {
    return this.#frame('openSession', { rxTimeout: 30000, txTimeout: 0, heartbeat: 20000, version: 1 });
  }

  close(): Uint8Array {
    return this.#frame('closeSession');
  }

  /** Device bytes → the console's answers. @throws RedirectionError for a malformed device message */
  receive(bytes: Uint8Array): Uint8Array[] {
    this.#buffer = this.#buffer.length === 0 ? bytes : Buffer.concat([this.#buffer, bytes]);
    const out: Uint8Array[] = [];
    for (;;) {
      const next = readIderFrame(this.#buffer, 'device');
      if (next === undefined) return out;
      this.#buffer = this.#buffer.subarray(next.size);
      out.push(...this.#handle(next.frame));
    }
  }

  #frame(name: Parameters<typeof encodeIderFrame>[0], fields: Record<string, unknown> = {}, payload?: Uint8Array, attributes = 0): Uint8Array {
    const frame = encodeIderFrame(name, { ...fields, attributes, sequence: this.#sequence }, payload);
    this.#sequence = (this.#sequence + 1) >>> 0;
    return frame;
  }

  #handle(frame: IderFrame): Uint8Array[] {
    const f = frame.fields as Record<string, number>;
    switch (frame.name) {
      case 'openSessionReply': {
        this.#readBuffer = Math.min(f['readBufferBytes'] || 8192, 8192);
        this.events.push({ kind: 'opened', readBufferBytes: this.#readBuffer });
        const value = new Uint8Array(4);
        new DataView(value.buffer).setUint32(0, IDER_REGISTER.enable | this.start, true);
        return [this.#frame('disableEnableFeatures', { feature: IDER_FEATURE.setRegisterState }, value)];
      }
      case 'disableEnableFeaturesReply':
        if (f['feature'] === IDER_FEATURE.setRegisterState) this.events.push({ kind: 'enabled', value: f['value'] ?? 0 });
        return [];
      case 'keepAlivePing':
        return [this.#frame('keepAlivePong')];
      case 'resetOccurred':
        return [this.#frame('resetOccurredResponse')];
      case 'closeSessionReply':
        this.events.push({ kind: 'closed' });
        return [];
      case 'commandWritten':
        return this.#scsi((f['driveSelect'] ?? 0) & 0x10 ? 'cd' : 'floppy', frame.fields['packet'] as Uint8Array);
      default: // pong, heartbeat, error, data from host
        return [];
    }
  }

  #scsi(drive: IderDriveName, cdb: Uint8Array): Uint8Array[] {
    const image = this.images[drive];
    const view = new DataView(cdb.buffer, cdb.byteOffset, cdb.byteLength);
    const opcode = cdb[0] as number;
    const blockBytes = IDER_BLOCK_BYTES[drive];
    this.events.push({ kind: 'command', drive, opcode });
    if (image === undefined) return [this.#end(drive, sense.notReady)];
    const blocks = Math.floor(image.length / blockBytes);
    switch (opcode) {
      case SCSI_OPCODE.testUnitReady:
        return [this.#end(drive)];
      case SCSI_OPCODE.inquiry: {
        const data = new Uint8Array(36);
        data.set([drive === 'cd' ? 0x05 : 0x00, 0x80, 0x00, 0x21, 31]);
        data.set(Buffer.from('vme     IDE-R virtual     1.0 ', 'latin1'), 8);
        return this.#data(drive, data.subarray(0, Math.min(36, cdb[4] as number)));
      }
      case SCSI_OPCODE.readCapacity: {
        const data = new Uint8Array(8);
        new DataView(data.buffer).setUint32(0, Math.max(0, blocks - 1));
        new DataView(data.buffer).setUint32(4, blockBytes);
        return this.#data(drive, data);
      }
      case SCSI_OPCODE.read10: {
        const lba = view.getUint32(2);
        const count = view.getUint16(7);
        if (lba + count > blocks) return [this.#end(drive, sense.range)];
        this.events.push({ kind: 'read', drive, lba, count });
        return this.#data(drive, image.subarray(lba * blockBytes, (lba + count) * blockBytes));
      }
      case SCSI_OPCODE.modeSense10:
        return this.#data(drive, Uint8Array.of(0, 6, drive === 'cd' ? 0x05 : 0, 0x80, 0, 0, 0, 0).subarray(0, Math.min(8, view.getUint16(7))));
      case SCSI_OPCODE.getConfiguration:
        return this.#data(drive, Uint8Array.of(0, 0, 0, 4, 0, 0, 0, 8).subarray(0, Math.min(8, view.getUint16(7))));
      case 0x0a: case 0x2a: case 0x2e: // WRITE(6), WRITE(10), WRITE AND VERIFY: read-only media
        return [this.#end(drive, sense.protect)];
      default:
        return [this.#end(drive, sense.illegal)];
    }
  }

  /** DataToHost in parts of the device's read buffer, the last one completed with the end registers (MeshCommander `SendDataToHost`). */
  #data(drive: IderDriveName, data: Uint8Array): Uint8Array[] {
    if (data.length === 0) return [this.#end(drive)];
    const device = IDER_DRIVE[drive];
    const out: Uint8Array[] = [];
    for (let offset = 0; offset < data.length; offset += this.#readBuffer) {
      const part = data.subarray(offset, offset + this.#readBuffer);
      const last = offset + part.length >= data.length;
      out.push(this.#frame('dataToHost', {
        transferBytes: part.length, inputMask: 0xb5, inputSectorCount: 2, inputByteCountLow: part.length & 0xff, inputByteCountHigh: part.length >> 8, inputDriveSelect: device, inputStatus: 0x58,
        ...(last ? { outputMask: 0x85, outputSectorCount: 3, outputDriveSelect: device, outputStatus: 0x50 } : {}),
      }, part, last ? IDER_ATTRIBUTE.completed : 0));
    }
    return out;
  }

  /** CommandEndResponse: status 0x50, or 0x51 with the sense (amtterm `ider_packet_sense`). */
  #end(drive: IderDriveName, [key, asc, ascq]: readonly [number, number, number] = [0, 0, 0]): Uint8Array {
    return this.#frame('commandEndResponse', {
      outputMask: key ? 0xc7 : 0xc5, outputError: key << 4, outputSectorCount: 3, outputDriveSelect: IDER_DRIVE[drive], outputStatus: key ? 0x51 : 0x50, sense: key, asc, ascq,
    }, undefined, IDER_ATTRIBUTE.completed);
  }
}

export interface IderSessionOptions {
  readonly host: string;
  readonly port?: number;
  readonly tls?: boolean;
  readonly user: string;
  readonly password: string;
  readonly images: IderImages;
  /** Register start option (IDER_REGISTER.now, .graceful, .onReboot); default now. */
  readonly start?: number;
  readonly timeoutMs?: number;
}

/** An open IDER session serving images until `close()`. */
export interface IderSession {
  readonly console: IderConsole;
  readonly socket: Socket;
  /** Resolves when the device closed the connection. */
  readonly ended: Promise<void>;
  close(): Promise<void>;
}

/**
 * Connects, starts IDER, logs in with Digest and waits until the device enabled the registers.
 * @throws Error when the device refuses the session, the login fails, or nothing happens within `timeoutMs`
 */
export async function openIderSession(options: IderSessionOptions): Promise<IderSession> {
  const socket = options.tls
    ? tlsConnect({ host: options.host, port: options.port ?? 16995, rejectUnauthorized: false })
    : tcpConnect({ host: options.host, port: options.port ?? 16994 });
  const ider = new IderConsole(options.images, options.start);
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  let buffer: Uint8Array = new Uint8Array(0);
  let phase: 'start' | 'query' | 'challenge' | 'response' | 'ider' = 'start';
  const send = (bytes: Uint8Array): void => void socket.write(bytes);
  const opened = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('IDER session did not open in time')), options.timeoutMs ?? 10000);
    const fail = (error: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    socket.once('error', fail);
    socket.once('close', () => fail(new Error(`the device closed the connection (${phase})`)));
    socket.on('data', (bytes: Buffer) => {
      try {
        if (phase === 'ider') {
          for (const answer of ider.receive(bytes)) send(answer);
          if (ider.events.some((e) => e.kind === 'enabled')) {
            clearTimeout(timer);
            resolve();
          }
          return;
        }
        buffer = Buffer.concat([buffer, bytes]);
        for (let next = readFrame(buffer, 'device'); next; next = readFrame(buffer, 'device')) {
          buffer = buffer.subarray(next.size);
          const f = next.frame.fields as Record<string, number>;
          if (phase === 'start') {
            if (f['status'] !== START_STATUS.success) return fail(new Error(`StartRedirectionSession refused: status ${f['status']}`));
            phase = 'challenge';
            send(encodeFrame('authenticateSession', { authType: AUTH_TYPE.digestQop }, encodeElements([options.user, '', '', REDIRECTION_URI, '', '', '', ''])));
          } else if (phase === 'challenge') {
            const [realm = '', nonce = ''] = decodeElements(next.frame.payload);
            const cnonce = randomBytes(16).toString('hex');
            const nc = '00000002';
            const ha1 = md5(`${options.user}:${realm}:${options.password}`);
            const response = md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${md5(`${REDIRECTION_METHOD}:${REDIRECTION_URI}`)}`);
            phase = 'response';
            send(encodeFrame('authenticateSession', { authType: AUTH_TYPE.digestQop }, encodeElements([options.user, realm, nonce, REDIRECTION_URI, cnonce, nc, response, 'auth'])));
          } else if (phase === 'response') {
            if (f['status'] !== AUTH_STATUS.success) return fail(new Error('authentication failed'));
            phase = 'ider';
            send(ider.open());
            if (buffer.length > 0) for (const answer of ider.receive(buffer)) send(answer);
            return;
          }
        }
      } catch (error) {
        fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.once(options.tls ? 'secureConnect' : 'connect', () => send(encodeFrame('startRedirectionSession', { sessionType: SESSION_KIND.ider })));
  });
  await opened; // later errors and the close only destroy the socket (the promise is settled)
  return {
    console: ider, socket, ended,
    close: async () => {
      if (!socket.destroyed) {
        socket.write(ider.close());
        socket.end();
        const timer = setTimeout(() => socket.destroy(), 2000);
        await ended;
        clearTimeout(timer);
      }
    },
  };
}
