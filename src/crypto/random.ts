/** Cryptographically strong random bytes (node:crypto's CSPRNG). */
import { randomBytes as nodeRandomBytes } from 'node:crypto';

export function randomBytes(length: number): Uint8Array {
  return new Uint8Array(nodeRandomBytes(length));
}
