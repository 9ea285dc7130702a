/**
 * The console side of Digest, for tests and the benchmark: parses AMT's challenge and renders an
 * Authorization header in the styles real consoles use (go-wsman, RPS/MPS, MeshCommander,
 * MeshCentral with decimal nc, curl). Not used by the device itself.
 */
import { md5Hex } from './md5.js';
import { parseAuthorization } from './digest-params.js';

export type ClientStyle = 'go-wsman' | 'rps' | 'meshcommander' | 'meshcentral' | 'curl';

export interface DigestAnswer {
  readonly user: string;
  readonly password: string;
  readonly realm: string;
  readonly nonce: string;
  readonly method: string;
  readonly uri: string;
  readonly nonceCount: number;
  readonly cnonce?: string;
  readonly style?: ClientStyle;
  /** Replace the computed response (attacker tests). */
  readonly responseOverride?: string;
}

/** realm and nonce from a `WWW-Authenticate: Digest ...` value. */
export function parseChallenge(header: string): { realm: string; nonce: string; stale: boolean } {
  const parsed = parseAuthorization(header);
  if (parsed.kind !== 'digest') throw new Error(`not a Digest challenge: ${header}`);
  const realm = parsed.params.get('realm');
  const nonce = parsed.params.get('nonce');
  if (realm === undefined || nonce === undefined) throw new Error(`challenge without realm or nonce: ${header}`);
  return { realm, nonce, stale: parsed.params.get('stale') === 'true' };
}

/** The nc text as a given client writes it (MeshCentral: decimal, unpadded; others: 8 hex). */
export function nonceCountText(count: number, style: ClientStyle): string {
  return style === 'meshcentral' ? String(count) : count.toString(16).padStart(8, '0');
}

/** RFC 2617 response with qop=auth. */
export function digestResponse(answer: DigestAnswer, nc: string, cnonce: string): string {
  const ha1 = md5Hex(`${answer.user}:${answer.realm}:${answer.password}`);
  const ha2 = md5Hex(`${answer.method}:${answer.uri}`);
  return md5Hex(`${ha1}:${answer.nonce}:${nc}:${cnonce}:auth:${ha2}`);
}

/** An Authorization header value in the chosen client's parameter order and quoting. */
export function renderAuthorization(answer: DigestAnswer): string {
  const style = answer.style ?? 'go-wsman';
  const nc = nonceCountText(answer.nonceCount, style);
  const cnonce = answer.cnonce ?? 'a1b2c3';
  const response = answer.responseOverride ?? digestResponse(answer, nc, cnonce);
  const { user, realm, nonce, uri } = answer;
  switch (style) {
    case 'go-wsman':
      return `Digest username="${user}",realm="${realm}",nonce="${nonce}",uri="${uri}",response="${response}",qop="auth",nc="${nc}",cnonce="${cnonce}"`;
    case 'rps':
    case 'meshcentral':
      return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", qop="auth", response="${response}", nc="${nc}", cnonce="${cnonce}"`;
    case 'meshcommander':
      return `Digest username="${user}",realm="${realm}",nonce="${nonce}",uri="${uri}",qop=auth,nc=${nc},cnonce="${cnonce}",response="${response}"`;
    case 'curl':
      return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", cnonce="${cnonce}", nc=${nc}, qop=auth, response="${response}"`;
  }
}
