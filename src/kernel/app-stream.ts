/**
 * An `AppConnection` as a Node `Duplex`, for apps that layer a stream protocol on a connection —
 * above all TLS: `tlsServer.emit('connection', connectionStream(connection))` lets node:tls
 * terminate TLS inside the app, as AMT firmware does (the kernel only moves the encrypted bytes).
 * Call it in `onConnection`: it takes over `onData`, `onEnd` and `onClose`. Half-close works both
 * ways: the peer's end ends the readable side; ending the writable side ends the connection after
 * pending writes (the stream's own auto-destroy afterwards does not cut them). A stream error
 * destroys the connection (and is not rethrown in the worker).
 */
import { Duplex } from 'node:stream';
import type { AppConnection } from './app-api.js';

export function connectionStream(connection: AppConnection): Duplex {
  let closed = false;
  /** We ended our side: the kernel closes the connection once the writes are out, so a plain destroy must not cut them. */
  let ended = false;
  const stream = new Duplex({
    allowHalfOpen: true,
    read: () => undefined,
    write(chunk: Uint8Array, _encoding, callback) {
      connection.write(chunk);
      callback();
    },
    final(callback) {
      ended = true;
      connection.end();
      callback();
    },
    destroy(error, callback) {
      if (!closed && (error !== null || !ended)) connection.destroy();
      closed = true;
      callback(error);
    },
  });
  stream.on('error', () => undefined);
  connection.onData = (bytes) => {
    stream.push(bytes);
  };
  connection.onEnd = () => {
    stream.push(null);
  };
  connection.onClose = () => {
    closed = true;
    stream.destroy();
  };
  return stream;
}
