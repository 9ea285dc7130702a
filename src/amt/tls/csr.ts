/**
 * AMT_PublicKeyManagementService.GeneratePKCS10RequestEx's signing step: the console sends a
 * "null-signed" PKCS#10 request (RFC 2986) carrying the public key of a key pair AMT holds; AMT
 * signs its CertificationRequestInfo with that pair's private key and returns the request. The
 * request's bytes are kept as given; only the signature algorithm and signature are replaced.
 * DER is read strictly (definite lengths, no trailing bytes), so nothing the console sends can
 * make this loop or read out of bounds.
 */
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { VmeError } from '../../common/errors.js';
import type { RsaKeyPairDer } from './pki.js';

export type CsrHash = 'sha1' | 'sha256';

/** DER requests AMT signs (vme's limit). */
export const MAX_CSR_BYTES = 8192;

/** AlgorithmIdentifier DER: sha1/sha256WithRSAEncryption (1.2.840.113549.1.1.5 / .11) with NULL parameters. */
const SIGNATURE_ALGORITHM: Record<CsrHash, Uint8Array> = {
  sha1: Uint8Array.from([0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05, 0x05, 0x00]),
  sha256: Uint8Array.from([0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00]),
};

const TAG = { integer: 0x02, bitString: 0x03, sequence: 0x30, attributes: 0xa0 } as const;

interface Tlv {
  readonly tag: number;
  /** Start of the whole element (its tag byte). */
  readonly start: number;
  /** Start of the contents. */
  readonly body: number;
  /** End (exclusive). */
  readonly end: number;
}

export class CsrError extends VmeError {
  constructor(readonly reason: 'malformed' | 'key-mismatch', message: string) {
    super('VME_ERR_AMT_PKI_INVALID', `certificate request: ${message}`, { reason });
  }
}

/**
 * `request` signed with `key`. @throws CsrError 'malformed' for anything but a PKCS#10 request,
 * 'key-mismatch' when its public key is not `key`'s.
 */
export function signCertificationRequest(request: Uint8Array, key: RsaKeyPairDer, hash: CsrHash): Uint8Array {
  if (request.length > MAX_CSR_BYTES) throw new CsrError('malformed', `${request.length} bytes`);
  const bytes = Buffer.from(request);
  const outer = readTlv(bytes, 0, bytes.length);
  if (outer.tag !== TAG.sequence || outer.end !== bytes.length) throw new CsrError('malformed', 'not one DER SEQUENCE');
  const [info, algorithm, signature, ...extra] = children(bytes, outer);
  if (info?.tag !== TAG.sequence || algorithm?.tag !== TAG.sequence || signature?.tag !== TAG.bitString || extra.length > 0) {
    throw new CsrError('malformed', 'not CertificationRequest { info, algorithm, signature }');
  }
  const [version, subject, publicKeyInfo, attributes] = children(bytes, info);
  if (version?.tag !== TAG.integer || subject?.tag !== TAG.sequence || publicKeyInfo?.tag !== TAG.sequence || attributes?.tag !== TAG.attributes) {
    throw new CsrError('malformed', 'not CertificationRequestInfo { version, subject, subjectPKInfo, attributes }');
  }
  if (!samePublicKey(bytes.subarray(publicKeyInfo.start, publicKeyInfo.end), key.publicKey)) {
    throw new CsrError('key-mismatch', 'the request is for another public key');
  }
  const infoBytes = bytes.subarray(info.start, info.end);
  const privateKey = createPrivateKey({ key: Buffer.from(key.privateKey), format: 'der', type: 'pkcs8' });
  const signed = sign(hash, infoBytes, privateKey);
  return encode(TAG.sequence, Buffer.concat([infoBytes, SIGNATURE_ALGORITHM[hash], encode(TAG.bitString, Buffer.concat([Buffer.of(0), signed]))]));
}

function samePublicKey(subjectPublicKeyInfo: Buffer, pkcs1: Uint8Array): boolean {
  try {
    const given = createPublicKey({ key: subjectPublicKeyInfo, format: 'der', type: 'spki' });
    return given.asymmetricKeyType === 'rsa' && given.export({ type: 'pkcs1', format: 'der' }).equals(Buffer.from(pkcs1));
  } catch {
    throw new CsrError('malformed', 'subjectPKInfo is not a public key');
  }
}

/** One DER element starting at `offset`, within `limit`. */
function readTlv(bytes: Buffer, offset: number, limit: number): Tlv {
  const fail = (why: string): never => {
    throw new CsrError('malformed', `DER at ${offset}: ${why}`);
  };
  if (offset + 2 > limit) fail('truncated');
  const tag = bytes[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) fail('multi-byte tag');
  const first = bytes[offset + 1] ?? 0;
  let length = first;
  let body = offset + 2;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count === 0 || count > 3) fail('unsupported length form');
    if (body + count > limit) fail('truncated length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[body + i] ?? 0);
    body += count;
  }
  if (body + length > limit) fail('length beyond the data');
  return { tag, start: offset, body, end: body + length };
}

function children(bytes: Buffer, parent: Tlv): Tlv[] {
  const found: Tlv[] = [];
  for (let at = parent.body; at < parent.end;) {
    const next = readTlv(bytes, at, parent.end);
    found.push(next);
    at = next.end;
  }
  return found;
}

function encode(tag: number, contents: Buffer): Buffer {
  const n = contents.length;
  const length = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return Buffer.concat([Buffer.from([tag, ...length]), contents]);
}
