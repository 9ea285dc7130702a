/**
 * The `WWW-Authenticate` value AMT sends, byte for byte in its odd spacing: one space after the
 * first comma only, `stale` quoted, only `qop="auth"`, no opaque/algorithm/domain. go-wsman splits
 * on `",` and MeshCentral on every `,` and `=`, so this exact shape is what they can parse.
 */

/** `Digest realm="<realm>", nonce="<nonce>",stale="<false|true>",qop="auth"` */
export function formatDigestChallenge(realm: string, nonce: string, stale: boolean): string {
  return `Digest realm="${realm}", nonce="${nonce}",stale="${stale ? 'true' : 'false'}",qop="auth"`;
}
