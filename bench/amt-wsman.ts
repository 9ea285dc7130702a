/**
 * The real AMT network path under load: an engine booted with its network on a random 127.x.y.z
 * address (default apps: the amt app serves 16992/16993 through the kernel's network device and its
 * app-host worker), activated in client control mode, then authenticated keep-alive WS-Man Get of
 * AMT_GeneralSettings (MeshCommander-style Digest: one 401 per connection for the nonce, nc counting
 * up) at 1, 16 and 64 connections, against a bare node:http server returning a body of the same
 * size in the same run; then full TLS handshakes/s on 16993 against a bare node:tls server with the
 * same key size and profile. The load generator runs in this process and/or in a forked copy of
 * this script (`--load-child`), so that it does not share the server's event loop.
 *   node dist/bench/amt-wsman.js [--seconds N] [--client in-process|process|both] [--connections 1,16,64] [--no-tls]
 * Where the time goes: run it under `node --cpu-prof` and read the worker's profile with
 * bench/lib/cpu-profile.ts (divide by the total of Gets the engine served, printed last).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { TlsSettings, generateDeviceCertificate } from '../src/amt/tls/index.js';
import { ACTION, envelope } from '../src/amt/wsman/testing.js';
import { AMT_INTERFACE } from '../src/apps/amt/interface.js';
import { bootEngine, type Engine } from '../src/engine/index.js';
import { MemoryBacking } from '../src/flash/index.js';
import { testPlatform } from '../src/image/testing.js';
import { AppHostPool } from '../src/kernel/index.js';
import { MemoryCounter } from '../src/kernel/nvram/index.js';
import { LOAD_TABLE_HEAD, fetchOnce, handshakesPerSecond, loadRow, runLoad, type LoadResult, type LoadTarget } from './lib/http-load.js';

const USAGE = `usage: node dist/bench/amt-wsman.js [options]
  --seconds N          seconds per measured run (default 3)
  --client MODE        where the load generator runs: in-process, process (a forked child) or both (default)
  --connections LIST   comma-separated connection counts (default 1,16,64)
  --no-tls             skip the TLS handshake runs (e.g. to profile the HTTP path alone)
  --help               this text`;

const PASSWORD = 'Bench-P@ss1';
const GENERAL_SETTINGS = 'http://intel.com/wbem/wscim/1/amt-schema/1/AMT_GeneralSettings';
const TLS_PROFILE = 'amt-16';

/** A job for a load generator (in this process or the child). */
type Job = { readonly kind: 'http'; readonly name: string; readonly target: LoadTarget; readonly connections: number; readonly seconds: number }
  | { readonly kind: 'tls'; readonly host: string; readonly port: number; readonly seconds: number };

interface LoadGenerator {
  readonly label: string;
  http(name: string, target: LoadTarget, connections: number, seconds: number): Promise<LoadResult>;
  tls(host: string, port: number, seconds: number): Promise<number>;
  close(): void;
}

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

const runJob = (job: Job): Promise<LoadResult | number> =>
  job.kind === 'http' ? runLoad(job.name, job.target, job.connections, job.seconds) : handshakesPerSecond(job.host, job.port, job.seconds);

/** Child mode: run each job the parent sends, answer with its result; exit when the parent goes. */
function serveJobs(): void {
  process.on('message', (job: Job) => {
    runJob(job).then((result) => process.send?.({ result }), (error: unknown) => process.send?.({ error: String(error) }));
  });
  process.on('disconnect', () => process.exit(0));
}

const inProcess: LoadGenerator = {
  label: 'load generator in the server process',
  http: (name, target, connections, seconds) => runLoad(name, target, connections, seconds),
  tls: (host, port, seconds) => handshakesPerSecond(host, port, seconds),
  close: () => undefined,
};

/** A forked copy of this script running jobs one at a time; killed after `timeoutMs` in any case. */
function childGenerator(timeoutMs: number): LoadGenerator {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--load-child'], { execArgv: [], timeout: timeoutMs, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (job: Job): Promise<LoadResult | number> => new Promise((resolve, reject) => {
    const exited = (): void => reject(new Error('the load generator process exited'));
    child.once('exit', exited);
    child.once('message', (answer: { result?: LoadResult | number; error?: string }) => {
      child.off('exit', exited);
      if (answer.result === undefined) reject(new Error(answer.error ?? 'no result'));
      else resolve(answer.result);
    });
    child.send(job);
  });
  return {
    label: 'load generator in a separate process',
    http: async (name, target, connections, seconds) => await ask({ kind: 'http', name, target, connections, seconds }) as LoadResult,
    tls: async (host, port, seconds) => await ask({ kind: 'tls', host, port, seconds }) as number,
    close: () => void child.kill(),
  };
}

/** A bare node:http server answering every POST with `body` (Content-Length, no authentication). */
async function bareHttp(body: string): Promise<Server> {
  const server = createHttpServer({ keepAlive: true }, (request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'Content-Type': 'application/soap+xml; charset=UTF-8' });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** A bare node:tls server with a fresh device-style credential (RSA-2048) and the amt app's TLS profile. */
async function bareTls(): Promise<TlsServer> {
  const settings = new TlsSettings({ credential: await generateDeviceCertificate(), profile: TLS_PROFILE });
  const server = createTlsServer({ ...settings.active.serverOptions }, (socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

/** One platform with its network on a random loopback address, activated with PASSWORD. */
async function activatedEngine(pool: AppHostPool): Promise<Engine> {
  const platform = testPlatform();
  const address = `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
  const engine = await bootEngine({ flash: new MemoryBacking(platform.image), fuses: platform.fuses, options: { pool, counter: new MemoryCounter(), network: { address } } });
  const closed = engine.networkListeners().filter((l) => l.app === 'amt' && l.protocol === 'tcp' && !l.listening);
  if (engine.state !== 'operational' || closed.length > 0) throw new Error(`engine ${engine.state}; not listening: ${closed.map((l) => l.error ?? l.port).join(', ')}`);
  const { returnValue } = await engine.client(AMT_INTERFACE).activate({ password: PASSWORD });
  if (returnValue !== 0) throw new Error(`activation returned ${returnValue}`);
  return engine;
}

/** Authenticated Gets the engine answered (warm-ups included): divide profile totals by it. */
let served = 0;

async function measureWith(generator: LoadGenerator, ours: LoadTarget, bare: LoadTarget, connectionCounts: readonly number[], seconds: number): Promise<void> {
  await generator.http('warm-up', bare, 4, 0.5);
  served += (await generator.http('warm-up', ours, 4, 0.5)).requests;
  console.log(`\n### ${generator.label}\n\n${LOAD_TABLE_HEAD}`);
  for (const connections of connectionCounts) {
    const baseline = await generator.http('bare node:http (no auth)', bare, connections, seconds);
    const row = await generator.http('vme engine (Digest, WS-Man Get)', ours, connections, seconds);
    served += row.requests;
    console.log(`${loadRow(baseline, baseline)}\n${loadRow(row, baseline)}`);
  }
}

async function measureTls(generator: LoadGenerator, address: string, barePort: number, seconds: number): Promise<void> {
  const bare = await generator.tls('127.0.0.1', barePort, seconds);
  const ours = await generator.tls(address, 16993, seconds);
  console.log(`\n| TLS handshakes (RSA-2048, ${TLS_PROFILE}, 4 parallel clients; ${generator.label}) | handshakes/s | ÷ bare node:tls |\n|---|---|---|`);
  console.log(`| bare node:tls | ${bare.toFixed(0)} | 1.00 |\n| vme engine 16993 | ${ours.toFixed(0)} | ${(ours / bare).toFixed(2)} |`);
}

async function main(): Promise<void> {
  const seconds = Number(option('--seconds') ?? 3);
  const mode = option('--client') ?? 'both';
  const connectionCounts = (option('--connections') ?? '1,16,64').split(',').map(Number);
  if (!(seconds > 0) || !['in-process', 'process', 'both'].includes(mode) || connectionCounts.some((n) => !(n >= 1 && n <= 100))) {
    console.error(USAGE);
    process.exitCode = 2;
    return;
  }
  const pool = new AppHostPool({ pingTimeoutMs: 5000 });
  const engine = await activatedEngine(pool);
  const address = engine.platform?.networkAddress ?? '';
  const ours: LoadTarget = { host: address, port: 16992, body: envelope({ action: ACTION.get, resourceUri: GENERAL_SETTINGS }), digest: { user: 'admin', password: PASSWORD } };
  const reply = await fetchOnce(ours);
  const http = await bareHttp(reply.body);
  const tls = await bareTls();
  const bare: LoadTarget = { host: '127.0.0.1', port: (http.address() as AddressInfo).port, body: ours.body };
  console.log(`vme engine at ${address} (default apps, amt activated in CCM); reply: AMT_GeneralSettings, ${Buffer.byteLength(reply.body, 'latin1')} bytes chunked (bare server: the same bytes with Content-Length); request ${Buffer.byteLength(ours.body)} bytes`);
  console.log(`${seconds} s per run; Node ${process.version}; ${cpus().length} CPUs; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const generators = [...(mode !== 'process' ? [inProcess] : []), ...(mode !== 'in-process' ? [childGenerator((connectionCounts.length * 2 + 4) * (seconds + 1) * 4000 + 60_000)] : [])];
  try {
    for (const generator of generators) {
      await measureWith(generator, ours, bare, connectionCounts, seconds);
      if (!process.argv.includes('--no-tls')) await measureTls(generator, address, (tls.address() as AddressInfo).port, seconds);
    }
    console.log(`\nthe engine answered ${served + 1} authenticated Gets in all (warm-ups included)`);
  } finally {
    for (const generator of generators) generator.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
    await new Promise((resolve) => tls.close(resolve));
    await engine.shutdown();
    await pool.close();
  }
}

if (process.argv.includes('--load-child')) serveJobs();
else if (process.argv.includes('--help')) console.log(USAGE);
else await main();
