/** The AMT listeners bind only to loopback addresses: the device's network is simulated, not real. */
import { isIP } from 'node:net';
import { VmeError } from '../common/errors.js';

/** @throws VmeError VME_ERR_USAGE unless `host` is a 127.0.0.0/8 or ::1 literal. */
export function assertLoopback(host: string): void {
  const loopback = (isIP(host) === 4 && host.startsWith('127.')) || host === '::1';
  if (!loopback) throw new VmeError('VME_ERR_USAGE', `AMT listeners bind only to a loopback address, got ${JSON.stringify(host)}`);
}
