/** Thin node:dgram adapter for the RMCP responder, bound to one loopback address (port 623 by default). */
import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIP, type AddressInfo } from 'node:net';
import { assertLoopback } from '../loopback.js';
import type { PresenceState } from './presence.js';
import { respondToRmcp } from './responder.js';

export interface RmcpListener {
  readonly address: AddressInfo;
  close(): Promise<void>;
}

/** Answers presence pings with the state current at each ping. @throws VmeError VME_ERR_USAGE for a non-loopback host. */
export async function listenRmcp(options: { host: string; port?: number; state: () => PresenceState }): Promise<RmcpListener> {
  assertLoopback(options.host);
  const socket = createSocket(isIP(options.host) === 6 ? 'udp6' : 'udp4');
  socket.on('message', (datagram: Buffer, remote: RemoteInfo) => {
    const pong = respondToRmcp(datagram, options.state());
    if (pong !== undefined) socket.send(pong, remote.port, remote.address);
  });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: options.host, port: options.port ?? 623, exclusive: true }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  return { address: socket.address(), close: () => new Promise((resolve) => socket.close(() => resolve())) };
}
