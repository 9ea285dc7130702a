/**
 * The pure part of Digest verification: checks one parsed Authorization against the request and
 * the user's HA1, recomputing the full RFC 2617 response and comparing all 32 hex digits in
 * constant time (the CVE-2017-5689 fix: never compare only as many characters as were sent).
 */
import { timingSafeEqual } from 'node:crypto';
import { md5Hex } from './md5.js';
import type { DigestParams } from './digest-params.js';
import type { LoginFailureReason } from './security-events.js';

export interface DigestCheckInput {
  readonly params: DigestParams;
  readonly method: string;
  readonly target: string;
  readonly body: Uint8Array;
  readonly realm: string;
  readonly ha1: string;
}

export type DigestCheck =
  | { readonly ok: true; readonly nonce: string; readonly nonceCount: number | undefined }
  | { readonly ok: false; readonly reason: LoginFailureReason };

const NONCE_COUNT_PATTERN = /^[0-9a-fA-F]{1,8}$/;

/** Checks shape, realm, uri, algorithm and the response; does not look at nonce freshness. */
export function checkDigest(input: DigestCheckInput): DigestCheck {
  const { params } = input;
  const nonce = params.get('nonce');
  const uri = params.get('uri');
  const response = params.get('response');
  if (nonce === undefined || uri === undefined || response === undefined || params.get('realm') === undefined) return { ok: false, reason: 'malformed' };
  const algorithm = params.get('algorithm');
  if (algorithm !== undefined && algorithm.toUpperCase() !== 'MD5') return { ok: false, reason: 'unsupported-algorithm' };
  if (params.get('realm') !== input.realm) return { ok: false, reason: 'realm-mismatch' };
  if (!uriMatches(uri, input.target)) return { ok: false, reason: 'uri-mismatch' };
  const expected = expectedResponse(input, nonce, uri);
  if (expected === undefined) return { ok: false, reason: 'malformed' };
  if (!sameResponse(response, expected.response)) return { ok: false, reason: 'bad-response' };
  return { ok: true, nonce, nonceCount: expected.nonceCount };
}

function expectedResponse(input: DigestCheckInput, nonce: string, uri: string): { response: string; nonceCount: number | undefined } | undefined {
  const qop = input.params.get('qop');
  const bodyHash = qop?.toLowerCase() === 'auth-int' ? `:${md5Hex(input.body)}` : '';
  const ha2 = md5Hex(`${input.method}:${uri}${bodyHash}`);
  if (qop === undefined) return { response: md5Hex(`${input.ha1}:${nonce}:${ha2}`), nonceCount: undefined };
  const nc = input.params.get('nc');
  const cnonce = input.params.get('cnonce');
  const knownQop = qop.toLowerCase() === 'auth' || qop.toLowerCase() === 'auth-int';
  if (!knownQop || nc === undefined || cnonce === undefined || !NONCE_COUNT_PATTERN.test(nc)) return undefined;
  // The literal nc text goes into the hash: MeshCentral sends decimal counters without padding.
  return { response: md5Hex(`${input.ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`), nonceCount: Number.parseInt(nc, 16) };
}

/**
 * Constant-time equality of the full response. The length is checked first (it is no secret: it is
 * always 32); anything else, including an empty or truncated value, is a mismatch. Only lower-case
 * hex matches, as RFC 2617 (LHEX) and every AMT client produce.
 */
export function sameResponse(received: string, expected: string): boolean {
  const expectedBytes = Buffer.from(expected, 'latin1');
  if (received.length !== expected.length) {
    timingSafeEqual(expectedBytes, expectedBytes);
    return false;
  }
  return timingSafeEqual(Buffer.from(received, 'latin1'), expectedBytes);
}

/** The Digest `uri` must name the request target: the same text, or the same path in absolute form. */
export function uriMatches(digestUri: string, target: string): boolean {
  if (digestUri === target) return true;
  const pathOf = (uri: string): string => {
    const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*(.*)$/.exec(uri);
    return absolute ? absolute[1] || '/' : uri;
  };
  return pathOf(digestUri) === pathOf(target);
}
