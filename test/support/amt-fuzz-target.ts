/**
 * A booted platform to fuzz, shared by test/amt-robustness.test.ts and bench/fuzz-amt.ts: an engine
 * with its network on a random 127.x.y.z, activated in client control mode (admin + password) with
 * a known host name; one fuzz case on a surface (HTTP or SOAP, plain or TLS) judged by the oracle;
 * UDP 623 datagrams; and the health check after abuse (app never faulted or restarted, engine
 * operational, AMT_GeneralSettings and provisioning unchanged, a presence ping answered).
 */
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { MemoryBacking } from '../../src/flash/index.js';
import { testPlatform } from '../../src/image/testing.js';
import { bootEngine, type Engine } from '../../src/engine/index.js';
import type { AppHostPool } from '../../src/kernel/index.js';
import { MemoryCounter } from '../../src/kernel/nvram/index.js';
import { WsmanClient, type Properties } from '../../src/client/index.js';
import type { SeededRandom } from './random.js';
import { authedPost, exchange, WireAuthorizer, type WireTarget } from './amt-wire.js';
import { httpCase, presencePing, soapCase, type FuzzCase } from './amt-fuzz.js';
import { judgeExchange, type Outcome } from './amt-fuzz-oracle.js';

export const FUZZ_PASSWORD = 'P@ssw0rd1';
export const FUZZ_HOST_NAME = 'vme-robust';

export const randomLoopback = (): string => `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;

/** The admin's Digest answers; refreshed when the server forgot the nonce (it keeps the newest 4096). */
export class AdminLogin {
  #current: WireAuthorizer;

  private constructor(readonly target: WireTarget, current: WireAuthorizer) {
    this.#current = current;
  }

  static async fetch(target: WireTarget): Promise<AdminLogin> {
    return new AdminLogin(target, await WireAuthorizer.fetch(target, 'admin', FUZZ_PASSWORD));
  }

  get current(): WireAuthorizer {
    return this.#current;
  }

  header(): string {
    return this.#current.header();
  }

  async refresh(): Promise<void> {
    this.#current = await WireAuthorizer.fetch(this.target, 'admin', FUZZ_PASSWORD);
  }
}

export interface FuzzTarget {
  readonly engine: Engine;
  readonly address: string;
  readonly http: WireTarget;
  readonly tls: WireTarget;
  readonly login: AdminLogin;
  readonly settingsBefore: Properties;
  readonly provisioningBefore: unknown;
}

export const adminClient = (address: string): WsmanClient => new WsmanClient({ host: address, port: 16992, user: 'admin', password: FUZZ_PASSWORD, timeoutMs: 15_000 });

/** AMT_GeneralSettings without what the fuzz seeds may legitimately change (DomainName, PingResponseEnabled). */
export async function checkedSettings(address: string): Promise<Properties> {
  const client = adminClient(address);
  try {
    const { DomainName: _domain, PingResponseEnabled: _ping, ...rest } = await client.get('AMT_GeneralSettings');
    return rest;
  } finally {
    client.close();
  }
}

/** Boots, activates (admin/FUZZ_PASSWORD) and names the host FUZZ_HOST_NAME. Push `engine` to your cleanup list. */
export async function bootFuzzTarget(options: { pool?: AppHostPool; address?: string; onEngine?: (engine: Engine) => void } = {}): Promise<FuzzTarget> {
  const address = options.address ?? randomLoopback();
  const platform = testPlatform();
  const engine = await bootEngine({ flash: new MemoryBacking(platform.image), fuses: platform.fuses, options: { ...(options.pool ? { pool: options.pool } : {}), counter: new MemoryCounter(), network: { address } } });
  options.onEngine?.(engine);
  const activated = await engine.call('amt', 'activate', { password: FUZZ_PASSWORD }) as { returnValue: number };
  if (activated.returnValue !== 0) throw new Error(`activation failed: ${JSON.stringify(activated)}`);
  const client = adminClient(address);
  try {
    await client.put('AMT_GeneralSettings', { HostName: FUZZ_HOST_NAME });
  } finally {
    client.close();
  }
  const http = { host: address, port: 16992 };
  return {
    engine, address, http, tls: { host: address, port: 16993, tls: true }, login: await AdminLogin.fetch(http),
    settingsBefore: await checkedSettings(address), provisioningBefore: await engine.call('amt', 'getProvisioning', {}),
  };
}

export const SURFACES = ['http', 'soap', 'tls-http', 'tls-soap'] as const;
export type Surface = (typeof SURFACES)[number];

export interface CaseResult {
  readonly strategy: string;
  readonly outcome: Outcome;
  readonly ms: number;
  readonly sent: Buffer;
  readonly received: Buffer;
}

/** One fuzz case on `surface`; a SOAP case refused with 401 is retried once with a fresh nonce. */
export async function runFuzzCase(target: FuzzTarget, surface: Surface, random: SeededRandom, deadlineMs = 10_000): Promise<CaseResult> {
  const wire = surface.startsWith('tls') ? target.tls : target.http;
  const soap = surface.endsWith('soap');
  const made = soap ? soapCase(random) : undefined;
  const fuzz: FuzzCase = made ? { strategy: made.strategy, pieces: [] } : httpCase(random, () => target.login.header());
  const pieces = (): Buffer[] => (made ? [authedPost(target.login.current, made.body)] : [...fuzz.pieces]);
  let sent = pieces();
  let result = await exchange(wire, { pieces: sent, deadlineMs });
  let outcome = judge(result, wire);
  if (soap && outcome.label === '401') {
    await target.login.refresh();
    sent = pieces();
    result = await exchange(wire, { pieces: sent, deadlineMs });
    outcome = judge(result, wire);
    if (outcome.label === '401') outcome = { ...outcome, violation: 'a valid admin login was refused' };
  }
  return { strategy: fuzz.strategy, outcome, ms: result.ms, sent: Buffer.concat(sent), received: result.bytes };
}

function judge(result: Awaited<ReturnType<typeof exchange>>, wire: WireTarget): Outcome {
  if (wire.tls === true && !result.secure) return { label: 'no handshake', faults: [], violation: result.error ?? 'TLS handshake failed' };
  return judgeExchange(result);
}

/**
 * Sends `payloads` to UDP 623 (16 at a time, 20 ms apart: the kernel answers 32 in flight) and
 * collects every reply until `waitMs` after the last, or until `enough` replies came.
 */
export function datagrams(address: string, payloads: readonly Buffer[], waitMs: number, enough = Infinity): Promise<Buffer[]> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const replies: Buffer[] = [];
    let timer: NodeJS.Timeout | undefined;
    const done = (): void => {
      clearTimeout(timer);
      socket.close();
      resolve(replies);
    };
    socket.on('message', (message) => {
      replies.push(Buffer.from(message));
      if (replies.length === enough) done();
    });
    const send = async (): Promise<void> => {
      for (let i = 0; i < payloads.length && replies.length < enough; i++) {
        socket.send(payloads[i] as Buffer, 623, address);
        if (i % 16 === 15) await new Promise((next) => setTimeout(next, 20));
      }
      if (replies.length < enough) timer = setTimeout(done, waitMs);
    };
    socket.bind(0, '127.0.0.1', () => void send());
  });
}

/** What is wrong with the platform after abuse (empty: healthy). */
export async function healthProblems(target: FuzzTarget): Promise<string[]> {
  const { engine } = target;
  const problems: string[] = [];
  const amt = engine.apps.find((a) => a.name === 'amt');
  if (amt?.state !== 'running' || amt.incarnation !== 1 || amt.restarts !== 0 || amt.faults !== 0) problems.push(`amt app ${JSON.stringify(amt)}`);
  for (const counter of ['supervisor.app-fault', 'supervisor.app-restart', 'supervisor.app-given-up']) {
    if ((engine.counters[counter] ?? 0) !== 0) problems.push(`${counter} ${engine.counters[counter]}`);
  }
  if (engine.status().state !== 'operational') problems.push(`engine ${engine.status().state}`);
  try {
    const settings = await checkedSettings(target.address);
    if (JSON.stringify(settings) !== JSON.stringify(target.settingsBefore)) problems.push(`AMT_GeneralSettings changed: ${JSON.stringify(settings)}`);
  } catch (error) {
    problems.push(`the admin's Get failed: ${(error as Error).message}`);
  }
  const provisioning = await engine.call('amt', 'getProvisioning', {}).catch((error: Error) => error.message);
  if (JSON.stringify(provisioning) !== JSON.stringify(target.provisioningBefore)) problems.push(`provisioning changed: ${JSON.stringify(provisioning)}`);
  const pongs = await datagrams(target.address, [presencePing(0x42, 0x17)], 3000, 1);
  if (pongs.length !== 1 || pongs[0]?.[2] !== 0x42 || pongs[0][9] !== 0x17) problems.push(`presence ping answered by ${pongs.length} pongs`);
  return problems;
}
