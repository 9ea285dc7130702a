/**
 * A booted machine ready for Serial-over-LAN, and a raw SOL console over a socket: shared by
 * test/redirection-limits.test.ts and bench/redirection-sol.ts. `bootSolPlatform` boots a whole
 * Machine on a loopback address, activates AMT in client control mode and turns the redirection
 * listener and SOL on; `grantConsent` runs IPS_OptInService with the code read from the host's
 * screen; `SolConsole` logs in (user/password, as amtterm 1.4), starts SOL and collects the host's
 * bytes (it can stop reading: `pause`).
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { MemoryBacking } from '../../src/flash/index.js';
import { testPlatform } from '../../src/image/testing.js';
import { AppHostPool } from '../../src/kernel/index.js';
import { MemoryCounter } from '../../src/kernel/nvram/index.js';
import { Machine } from '../../src/machine/index.js';
import { RealTimeClock, SimulatedHost, type Uart } from '../../src/host/index.js';
import { AMT_INTERFACE } from '../../src/apps/amt/interface.js';
import { textOf } from '../../src/amt/wsman/testing.js';
import { readFrame, type RedirectionFrame } from '../../src/protocols/redirection/index.js';
import { consoleMessages as c } from '../../src/protocols/redirection/testing.js';
import { AmtConsole, instanceOf, returnValue } from './amt-console.js';
import { waitUntil } from './wait.js';

export const SOL_PASSWORD = 'Sol-P@ssw0rd1';

export interface SolPlatform {
  readonly address: string;
  readonly machine: Machine;
  readonly admin: AmtConsole;
  close(): Promise<void>;
}

/** A booted, activated machine with SOL enabled (the consent still to be given). */
export async function bootSolPlatform(address: string): Promise<SolPlatform> {
  const pool = new AppHostPool({ pingTimeoutMs: 2000 });
  const platform = testPlatform();
  const machine = await Machine.create({
    flash: new MemoryBacking(platform.image), fuses: platform.fuses, clock: new RealTimeClock(),
    engine: { pool, counter: new MemoryCounter() }, network: { address },
    host: { bios: { stepMilliseconds: 2, mebxWindowMilliseconds: 5 } },
  });
  const admin = new AmtConsole({ host: address, port: 16992, user: 'admin', password: SOL_PASSWORD });
  const close = async (): Promise<void> => {
    admin.close();
    await machine.shutdown();
    await pool.close();
  };
  try {
    machine.host.powerOn();
    await waitUntil(() => /root@\S+:~# $/.test(hostUart(machine).outputText()), 'the OS shell prompt on the serial port', 30_000);
    assert.deepEqual(await machine.engine.client(AMT_INTERFACE).activate({ password: SOL_PASSWORD }), { returnValue: 0 });
    const redirection = instanceOf(await admin.call('AMT', 'RedirectionService', 'Get'), 'AMT_RedirectionService');
    assert.equal(returnValue(await admin.call('AMT', 'RedirectionService', 'RequestStateChange', 32771)), 0);
    await admin.call('AMT', 'RedirectionService', 'Put', { ...redirection, EnabledState: 32771, ListenerEnabled: true });
  } catch (error) {
    await close();
    throw error;
  }
  return { address, machine, admin, close };
}

/** The simulated host's UART, host side: what the OS transmits (`transmit`) goes to SOL. */
export function hostUart(machine: Machine): Uart {
  assert.ok(machine.host instanceof SimulatedHost, 'a simulated host');
  return machine.host.serial;
}

/** The user's consent: StartOptIn, the code from the host's screen, SendOptInCode. */
export async function grantConsent({ machine, admin }: SolPlatform): Promise<void> {
  const code = (): string | undefined => /AMT user consent code: (\d{6})/.exec(machine.host.screen.render())?.[1];
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'StartOptIn')), 0);
  await waitUntil(() => code() !== undefined, 'the consent code on the host screen');
  assert.equal(returnValue(await admin.call('IPS', 'OptInService', 'SendOptInCode', Number(code()))), 0);
  assert.equal(textOf(await admin.call('IPS', 'OptInService', 'Get'), 'g:OptInState'), '3', 'consent received');
}

/** A redirection console on 16994 over a raw socket. */
export class SolConsole {
  #buffer: Buffer = Buffer.alloc(0);
  readonly frames: RedirectionFrame[] = [];
  /** Host bytes received (SOL data from host), in total. */
  received = 0;
  /** Called with each SOL data payload as it arrives. */
  onData: (bytes: Uint8Array) => void = () => undefined;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (bytes: Buffer) => this.#take(bytes));
    socket.on('close', () => (this.closed = true));
    socket.on('error', () => undefined);
  }

  static async open(address: string): Promise<SolConsole> {
    const socket = connect({ host: address, port: 16994 });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new SolConsole(socket);
  }

  /** StartRedirectionSession, login, StartSOL: the three statuses. */
  async startSol(password = SOL_PASSWORD): Promise<number[]> {
    const statuses: number[] = [];
    for (const [bytes, name] of [[c.start(), 'startRedirectionSessionReply'], [c.plain('admin', password), 'authenticateSessionReply'], [c.startSol(), 'startSolReply']] as const) {
      const status = (await this.ask(bytes, name)).fields['status'] as number;
      statuses.push(status);
      if (status !== 0) break;
    }
    return statuses;
  }

  /** Sends `bytes` and waits for the device's message `name` (fails if the connection closes first). */
  async ask(bytes: Uint8Array, name: string): Promise<RedirectionFrame> {
    const seen = this.frames.length;
    this.socket.write(bytes);
    await waitUntil(() => this.frames.slice(seen).some((f) => f.name === name) || this.closed, `${name} from the device`);
    return this.frames.slice(seen).find((f) => f.name === name) ?? assert.fail(`closed before ${name}`);
  }

  /** Keystrokes to the host. */
  type(text: string | Uint8Array): void {
    this.socket.write(c.data(text));
  }

  /** Stops reading: the socket's buffers fill and the device's writes pile up. */
  pause(): void {
    this.socket.pause();
  }

  close(): void {
    this.socket.destroy();
  }

  #take(bytes: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? bytes : Buffer.concat([this.#buffer, bytes]);
    for (let next = readFrame(this.#buffer, 'device'); next; next = readFrame(this.#buffer, 'device')) {
      this.#buffer = this.#buffer.subarray(next.size);
      if (next.frame.name === 'solDataFromHost') {
        this.received += next.frame.payload.length;
        this.onData(next.frame.payload);
      } else {
        this.frames.push(next.frame);
      }
    }
  }
}
