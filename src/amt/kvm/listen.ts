/**
 * `listenRfb`: a VNC server for a host's screen and keyboard on a loopback TCP port (tests, `vme`
 * tools, and the shape of AMT's port 5900): every connection is an RFB session over one shared
 * ScreenFeed; VNC Authentication when a password is given.
 */
import { createServer, isIP, type Socket } from 'node:net';
import { VmeError } from '../../common/errors.js';
import { ScreenFeed } from './screen-feed.js';
import { hostScreenSource, type ScreenSource } from './screen-source.js';
import { serveRfbStream, type RfbSessionOptions } from './session.js';

export interface ListenRfbOptions extends RfbSessionOptions {
  /** The screen: a host in this process, or any ScreenSource (e.g. the engine's). */
  readonly host?: Parameters<typeof hostScreenSource>[0];
  readonly source?: ScreenSource;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** A loopback address; 127.0.0.1 by default. */
  readonly address?: string;
  /** Screen polling interval while clients are connected (ms). */
  readonly pollMs?: number;
}

export interface RfbListener {
  readonly address: string;
  readonly port: number;
  readonly feed: ScreenFeed;
  /** Stops listening, ends every session. */
  close(): Promise<void>;
}

const isLoopback = (address: string): boolean => (isIP(address) === 4 && address.startsWith('127.')) || address === '::1';

/** @throws VmeError VME_ERR_USAGE for a non-loopback address or no screen; a listen error (EADDRINUSE) rejects */
export async function listenRfb(options: ListenRfbOptions): Promise<RfbListener> {
  const address = options.address ?? '127.0.0.1';
  if (!isLoopback(address)) throw new VmeError('VME_ERR_USAGE', `an RFB listener binds a loopback address only, not ${address}`);
  const source = options.source ?? (options.host ? hostScreenSource(options.host) : undefined);
  if (!source) throw new VmeError('VME_ERR_USAGE', 'listenRfb needs a host or a screen source');
  const feed = new ScreenFeed(source, options.pollMs);
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    void serveRfbStream(socket, feed, options).finally(() => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, address, () => resolve());
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound ? bound.port : 0;
  return {
    address, port, feed,
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      feed.stop();
      server.close(() => resolve());
    }),
  };
}
