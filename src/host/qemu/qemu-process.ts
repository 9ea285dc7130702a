/**
 * One running QEMU: vme listens on the QMP and COM1 Unix sockets, spawns qemu-system-x86_64 (which
 * connects to both, paused by -S), negotiates QMP, and hands back the pieces. `stop` asks QMP to
 * quit and kills the process (SIGKILL) when it does not exit in time; nothing outlives it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import { VmeError } from '../../common/errors.js';
import { QmpClient } from './qmp-client.js';
import type { QmpEvent } from './qmp-protocol.js';

export const DEFAULT_QEMU_BINARY = 'qemu-system-x86_64';
const STDERR_TAIL = 4096;

export interface QemuProcess {
  readonly child: ChildProcess;
  readonly qmp: QmpClient;
  readonly serial: Socket;
  /** Resolves when the process has exited (code or signal). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last SHUTDOWN event (why QEMU is going away), if any. */
  readonly lastShutdown: () => { guest: boolean; reason: string } | undefined;
  readonly stderrTail: () => string;
}

export interface SpawnQemuOptions {
  readonly binary: string;
  readonly args: readonly string[];
  readonly qmpSocket: string;
  readonly serialSocket: string;
  readonly timeoutMs: number;
}

/** Checks that the QEMU binary runs (`--version`). @throws VmeError VME_ERR_QEMU_NOT_FOUND */
export function checkQemu(binary = DEFAULT_QEMU_BINARY): string {
  const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit status ${String(result.status)}`;
    throw new VmeError('VME_ERR_QEMU_NOT_FOUND', `${binary} is not runnable (${why}); install it with: apt-get install qemu-system-x86 ipxe-qemu`, { binary });
  }
  return result.stdout.split('\n')[0] ?? '';
}

/** Spawns QEMU and connects QMP and COM1. @throws VmeError VME_ERR_QEMU_NOT_FOUND / VME_ERR_QEMU_START / VME_ERR_QMP_* */
export async function spawnQemu(options: SpawnQemuOptions): Promise<QemuProcess> {
  const servers = await Promise.all([listen(options.qmpSocket), listen(options.serialSocket)]);
  let stderr = '';
  const child = spawn(options.binary, options.args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr?.on('data', (chunk: Buffer) => { stderr = (stderr + chunk.toString()).slice(-STDERR_TAIL); });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  const failed = new Promise<never>((_resolve, reject) => {
    child.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT'
      ? new VmeError('VME_ERR_QEMU_NOT_FOUND', `${options.binary} is not installed (apt-get install qemu-system-x86 ipxe-qemu)`, { binary: options.binary })
      : new VmeError('VME_ERR_QEMU_START', `cannot run ${options.binary}: ${error.message}`, { binary: options.binary })));
    void exited.then(({ code, signal }) => reject(new VmeError('VME_ERR_QEMU_START', `QEMU exited during start (code ${String(code)}, signal ${String(signal)}): ${stderr.trim().slice(-600)}`, { code, signal })));
  });
  failed.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new VmeError('VME_ERR_QEMU_START', `QEMU did not connect QMP and COM1 within ${options.timeoutMs} ms: ${stderr.trim().slice(-600)}`)), options.timeoutMs);
  });
  try {
    const [qmpSocket, serial] = await Promise.race([Promise.all([accept(servers[0]), accept(servers[1])]), failed, timeout]);
    const qmp = await Promise.race([QmpClient.open(qmpSocket, options.timeoutMs), failed, timeout]);
    let shutdown: { guest: boolean; reason: string } | undefined;
    qmp.onEvent((event: QmpEvent) => {
      if (event.event === 'SHUTDOWN') shutdown = { guest: event.data['guest'] === true, reason: typeof event.data['reason'] === 'string' ? event.data['reason'] : 'unknown' };
    });
    return { child, qmp, serial, exited, lastShutdown: () => shutdown, stderrTail: () => stderr };
  } catch (error) {
    // QEMU refusing to start (a locked or missing image) drops its sockets first: report its own words.
    const exit = await Promise.race([exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref())]);
    child.kill('SIGKILL');
    await exited;
    if (exit && !(error instanceof VmeError && error.code === 'VME_ERR_QEMU_NOT_FOUND')) {
      throw new VmeError('VME_ERR_QEMU_START', `QEMU exited during start (code ${String(exit.code)}, signal ${String(exit.signal)}): ${stderr.trim().slice(-600)}`, { code: exit.code, signal: exit.signal });
    }
    throw error;
  } finally {
    clearTimeout(timer);
    for (const [index, server] of servers.entries()) {
      server.close();
      rmSync(index === 0 ? options.qmpSocket : options.serialSocket, { force: true });
    }
  }
}

/** Quits QEMU through QMP, kills it after `timeoutMs`, and waits for the exit. */
export async function stopQemu(vm: QemuProcess, timeoutMs: number): Promise<void> {
  if (vm.child.exitCode === null && vm.child.signalCode === null) {
    vm.qmp.execute('quit', undefined, timeoutMs).catch(() => undefined); // the reply may race the exit
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => { vm.child.kill('SIGKILL'); resolve(); }, timeoutMs);
    });
    await Promise.race([vm.exited, killed]);
    clearTimeout(timer);
    await vm.exited;
  }
  vm.qmp.close();
  vm.serial.destroy();
}

async function listen(path: string): Promise<Server> {
  rmSync(path, { force: true });
  const server = createServer({ pauseOnConnect: false });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => { server.off('error', reject); resolve(); });
  });
  return server;
}

function accept(server: Server): Promise<Socket> {
  return new Promise((resolve) => server.once('connection', resolve));
}
