/**
 * The NBD socket adapter: serves one read-only export (`MediaBlocks`, e.g. an IDE-R CD whose blocks
 * a redirection console sends) on a Unix socket, for QEMU's `nbd+unix:///?socket=…` drives. Each
 * connection runs an `NbdSession`; reads are done one after another (replies in request order),
 * rounded out to whole blocks, each bounded by `readTimeoutMs` (EIO when a read fails or times
 * out). A malformed message closes that connection; `close()` ends every connection.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import type { MediaBlocks } from '../boot-order.js';
import { NBD_ERRNO, NbdSession } from './nbd-protocol.js';

export interface NbdServerOptions {
  /** Unix socket path (≤ 107 bytes). */
  readonly path: string;
  readonly blocks: MediaBlocks;
  /** Per-read bound (default 30 s). */
  readonly readTimeoutMs?: number;
  /** Connection-level problems (malformed messages, failed reads), for logs and tests. */
  readonly onProblem?: (message: string) => void;
}

export interface NbdServer {
  readonly path: string;
  /** `nbd+unix:///?socket=<path>`: the filename QEMU opens. */
  readonly url: string;
  /** Connections accepted so far. */
  readonly connections: () => number;
  close(): Promise<void>;
}

/** Listens on `path` (a stale socket file is replaced). */
export async function serveNbd(options: NbdServerOptions): Promise<NbdServer> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serveConnection(socket, options);
  });
  rmSync(options.path, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.path, () => { server.off('error', reject); resolve(); });
  });
  return {
    path: options.path,
    url: `nbd+unix:///?socket=${options.path}`,
    connections: () => accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(options.path, { force: true });
    },
  };
}

function serveConnection(socket: Socket, options: NbdServerOptions): void {
  const { blocks } = options;
  const session = new NbdSession({ size: blocks.blockSize * blocks.count, blockSize: blocks.blockSize });
  let reads: Promise<void> = Promise.resolve();
  socket.on('error', () => undefined);
  socket.write(session.greeting());
  socket.on('data', (chunk: Buffer) => {
    let outputs;
    try {
      outputs = session.receive(new Uint8Array(chunk));
    } catch (error) {
      options.onProblem?.(error instanceof Error ? error.message : String(error));
      socket.destroy();
      return;
    }
    for (const output of outputs) {
      if (output.kind === 'send') reads = reads.then(() => { socket.write(output.bytes); });
      else if (output.kind === 'close') reads = reads.then(() => { socket.end(); });
      else {
        reads = reads.then(async () => {
          const data = await readRange(blocks, output.offset, output.length, options.readTimeoutMs ?? 30_000).catch((error: unknown) => {
            options.onProblem?.(`read of ${output.length} bytes at ${output.offset} failed: ${error instanceof Error ? error.message : String(error)}`);
            return undefined;
          });
          if (!socket.destroyed) socket.write(session.readReply(output.cookie, data, NBD_ERRNO.eio));
        });
      }
    }
  });
}

/** Bytes [offset, offset + length) of the media, read as whole blocks. */
async function readRange(blocks: MediaBlocks, offset: number, length: number, timeoutMs: number): Promise<Uint8Array> {
  const first = Math.floor(offset / blocks.blockSize);
  const last = Math.ceil((offset + length) / blocks.blockSize);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => { timer = setTimeout(() => reject(new Error(`no data within ${timeoutMs} ms`)), timeoutMs); });
  try {
    const data = await Promise.race([blocks.read(first, last - first), timeout]);
    if (data.length !== (last - first) * blocks.blockSize) throw new Error(`got ${data.length} bytes for ${last - first} blocks`);
    const start = offset - first * blocks.blockSize;
    return data.subarray(start, start + length);
  } finally {
    clearTimeout(timer);
  }
}
