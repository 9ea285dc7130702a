/**
 * `<state>/network.json`: how a running `vme up` tells other processes (`vme status`) the platform's
 * network address and listeners — no HECI message carries them (design 0009). Written atomically
 * (temporary file + rename) after boot and removed at shutdown; read leniently: absent or malformed
 * is `null`, never an error (the HECI part of the status still stands).
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../image/index.js';

export const NETWORK_FILE_FORMAT = 'vme-network/1';

export interface NetworkListenerInfo {
  app: string;
  port: number;
  protocol: 'tcp' | 'udp';
  tls: boolean;
  listening: boolean;
  error?: string;
}

/** What `vme status --json` shows as `network`. */
export interface NetworkStatus {
  /** The platform's own loopback address. */
  address: string;
  /** The AMT app's listening web ports as URLs (`http://127.0.0.2:16992`, `https://127.0.0.2:16993`). */
  amt: string[];
  listeners: NetworkListenerInfo[];
}

export const networkFilePath = (stateDir: string): string => join(stateDir, 'network.json');

/** URLs of the `amt` app's listening TCP ports (https when the grant says TLS). */
/** AMT's web (WS-Man) ports; its other TCP ports (redirection 16994/16995) are not HTTP. */
export const AMT_WEB_PORTS: readonly number[] = [16992, 16993];

export function amtUrls(address: string, listeners: readonly NetworkListenerInfo[]): string[] {
  const host = address.includes(':') ? `[${address}]` : address;
  return listeners.filter((l) => l.app === 'amt' && l.protocol === 'tcp' && l.listening && AMT_WEB_PORTS.includes(l.port)).map((l) => `${l.tls ? 'https' : 'http'}://${host}:${l.port}`);
}

/** Writes the file (atomically) for other processes. */
export function writeNetworkFile(stateDir: string, address: string, listeners: readonly NetworkListenerInfo[]): void {
  const body = { format: NETWORK_FILE_FORMAT, address, listeners: listeners.map(({ app, port, protocol, tls, listening, error }) => ({ app, port, protocol, tls, listening, ...(error !== undefined ? { error } : {}) })) };
  writeFileAtomic(networkFilePath(stateDir), new TextEncoder().encode(`${JSON.stringify(body, null, 2)}\n`));
}

export function removeNetworkFile(stateDir: string): void {
  rmSync(networkFilePath(stateDir), { force: true });
}

const isListener = (value: unknown): value is NetworkListenerInfo => {
  const l = value as Record<string, unknown> | null;
  return typeof l === 'object' && l !== null && typeof l.app === 'string' && Number.isInteger(l.port) && (l.protocol === 'tcp' || l.protocol === 'udp')
    && typeof l.tls === 'boolean' && typeof l.listening === 'boolean' && (l.error === undefined || typeof l.error === 'string');
};

/** The network of the `vme up` running in `stateDir`; null when it wrote none (or it is unreadable). */
export function readNetworkFile(stateDir: string): NetworkStatus | null {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(networkFilePath(stateDir), 'utf8'));
  } catch {
    return null;
  }
  const v = value as Record<string, unknown> | null;
  if (typeof v !== 'object' || v === null || v.format !== NETWORK_FILE_FORMAT || typeof v.address !== 'string' || !Array.isArray(v.listeners) || !v.listeners.every(isListener)) return null;
  const listeners = v.listeners;
  return { address: v.address, amt: amtUrls(v.address, listeners), listeners };
}
