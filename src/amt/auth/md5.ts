/**
 * MD5, kept in this one file on purpose. MD5 is broken as a hash, but HTTP Digest as Intel AMT
 * speaks it (RFC 2617, the `MD5` algorithm that RFC 7616 keeps for compatibility) is defined over
 * MD5, and every AMT console computes its responses with it. Nothing else in vme may use it: the
 * Digest verifier is the only importer, so a search for this file finds every legacy use.
 */
import { createHash, hash } from 'node:crypto';

/** Lower-case hex MD5 of the UTF-8 bytes of `text` (or of raw bytes). */
export function md5Hex(text: string | Uint8Array): string {
  // One-shot crypto.hash (Node ≥ 20.12) for strings: about twice as fast as a Hash object.
  return typeof text === 'string' ? hash('md5', text, 'hex') : createHash('md5').update(text).digest('hex');
}
