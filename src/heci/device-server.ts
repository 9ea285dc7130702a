/**
 * The platform's MEI device as a Unix domain socket (mode 0600, a filesystem path only — never
 * TCP): each accepted connection is one open file of the host driver. The adapter only moves
 * bytes; `DeviceSession` holds the logic.
 */
import { chmodSync, lstatSync, unlinkSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { VmeError } from '../common/errors.js';
import { DeviceSession } from './device-session.js';
import type { MeiHostDriver } from './host-driver.js';

export class MeiDeviceServer {
  readonly #sessions = new Set<Socket>();

  private constructor(readonly path: string, private readonly server: Server) {}

  /**
   * Binds `path` (a stale socket left by a dead process is replaced) and serves `driver`.
   * @throws VmeError VME_ERR_IO when the path is in use by a live server, is not a socket, or cannot be bound
   */
  static async listen(path: string, driver: MeiHostDriver): Promise<MeiDeviceServer> {
    await removeStaleSocket(path);
    const server = createServer((socket) => device.#serve(socket, driver));
    const device = new MeiDeviceServer(path, server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error) => reject(new VmeError('VME_ERR_IO', `cannot bind the MEI device at ${path}: ${error.message}`)));
      server.listen({ path, exclusive: true }, resolve);
    });
    chmodSync(path, 0o600);
    return device;
  }

  /** Open files (connected sockets). */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Stops accepting, closes every open file and removes the socket path. */
  async close(): Promise<void> {
    for (const socket of this.#sessions) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    try {
      unlinkSync(this.path);
    } catch {
      // already gone (server.close removes it on some platforms)
    }
  }

  #serve(socket: Socket, driver: MeiHostDriver): void {
    this.#sessions.add(socket);
    const session = new DeviceSession(driver, (bytes) => {
      if (!socket.destroyed) socket.write(bytes);
    });
    socket.on('data', (chunk: Buffer) => session.receive(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.#sessions.delete(socket);
      session.close();
    });
  }
}

async function removeStaleSocket(path: string): Promise<void> {
  let isSocket: boolean;
  try {
    isSocket = lstatSync(path).isSocket();
  } catch {
    return; // nothing there
  }
  if (!isSocket) throw new VmeError('VME_ERR_IO', `${path} exists and is not a socket`);
  const live = await new Promise<boolean>((resolve) => {
    const probe = connect(path, () => {
      probe.destroy();
      resolve(true);
    });
    probe.on('error', () => resolve(false));
  });
  if (live) throw new VmeError('VME_ERR_IO', `an MEI device is already serving ${path}`);
  unlinkSync(path);
}
