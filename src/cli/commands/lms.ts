/**
 * `vme lms`: the Local Manageability Service of a running platform, as on a real PC. It opens the
 * LME HECI client through the platform's MEI device and listens on a loopback address for the
 * ports AMT forwards (16992 HTTP, 16993 TLS), tunnelling each TCP connection to AMT over APF, so
 * rpc-go, curl or a browser on this host reach AMT without the network. Runs until Ctrl-C.
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { assertLoopback } from '../../amt/loopback.js';
import { VmeError } from '../../common/errors.js';
import { MeiErrnoError } from '../../heci/index.js';
import { AMT_HTTP_PORT, AMT_TLS_PORT } from '../../protocols/apf/index.js';
import { startLms, type RunningLms } from '../../host/lms/index.js';

interface LmsOptions {
  state: string;
  device?: string;
  address: string;
  httpPort: string;
  tlsPort: string;
  quiet?: boolean;
  verbose?: boolean;
}

/** A TCP port 0..65535 (0: any free port). */
function parsePort(text: string, option: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new VmeError('VME_ERR_USAGE', `${option} must be a port 0-65535, got ${JSON.stringify(text)}`);
  return Number(text);
}

/** Resolves on the first SIGINT/SIGTERM; a second one exits at once (130). `off` removes the handlers. */
function stopSignal(): { stopped: Promise<void>; off: () => void } {
  let stopping = false;
  let resolveStop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => { resolveStop = resolve; });
  const stop = (): void => {
    if (stopping) {
      process.stderr.write('vme lms: second signal, exiting now\n');
      process.exit(130);
    }
    stopping = true;
    resolveStop();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return { stopped, off: () => { process.off('SIGINT', stop); process.off('SIGTERM', stop); } };
}

/** Device errors as the user should read them. */
function explain(error: unknown, device: string, state: string): unknown {
  if (!(error instanceof MeiErrnoError)) return error;
  if (error.errno === 'ENOENT' || error.errno === 'ENODEV') {
    return new VmeError('VME_ERR_IO', `no engine answers on ${device} (${error.errno}); is \`vme up --state ${state}\` running?`, { device });
  }
  if (error.errno === 'EBUSY') return new VmeError('VME_ERR_LMS_HANDSHAKE', `the LME client on ${device} is in use (another LMS?)`, { device });
  return error;
}

async function lms(opts: LmsOptions): Promise<void> {
  const signal = stopSignal();
  try {
    const device = opts.device ?? join(resolve(opts.state), 'mei0.sock');
    const ports = { [AMT_HTTP_PORT]: parsePort(opts.httpPort, '--http-port'), [AMT_TLS_PORT]: parsePort(opts.tlsPort, '--tls-port') };
    assertLoopback(opts.address);
    const say = (line: string): void => { if (!opts.quiet) process.stderr.write(`vme lms: ${line}\n`); };
    say(`opening the LME client on ${device}`);
    const starting = startLms({ device, address: opts.address, ports, log: say, verbose: opts.verbose ?? false });
    const first = await Promise.race([starting.then((running) => ({ running })), signal.stopped.then(() => undefined)]).catch((error: unknown) => {
      throw explain(error, device, opts.state);
    });
    if (!first) {
      say('stopping');
      await starting.then((running: RunningLms) => running.close(), () => undefined);
      return;
    }
    for (const a of first.running.addresses) say(`AMT ${a.amtPort} (${a.amtPort === AMT_TLS_PORT ? 'TLS' : 'HTTP'}) is reachable at ${a.address}:${a.port}`);
    say('running; press Ctrl-C to stop');
    await signal.stopped;
    say('stopping');
    await first.running.close();
  } finally {
    signal.off();
  }
}

export function registerLms(program: Command): void {
  program.command('lms')
    .description('local management as on a real PC: listen on 127.0.0.1:16992/16993 and tunnel each connection to AMT over APF through the platform\'s LME HECI client (Intel LMS); runs until Ctrl-C')
    .option('--state <dir>', 'state folder of a running `vme up` (its HECI device is <dir>/mei0.sock)', './state')
    .option('--device <path>', 'HECI device socket to open instead')
    .option('--address <ip>', 'loopback address to listen on (127.0.0.0/8 or ::1)', '127.0.0.1')
    .option('--http-port <port>', 'local port for AMT 16992 (HTTP); 0 picks a free port', String(AMT_HTTP_PORT))
    .option('--tls-port <port>', 'local port for AMT 16993 (TLS, AMT\'s own end to end); 0 picks a free port', String(AMT_TLS_PORT))
    .option('-q, --quiet', 'no progress lines on stderr')
    .option('-v, --verbose', 'also log each connection and channel')
    .action((opts: LmsOptions) => lms(opts));
}
