// Authorization parsing: every variant consoles send (brief §1.4), and malformed shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseAuthorization } from './digest-params.js';

const params = (header: string): Record<string, string> => {
  const parsed = parseAuthorization(header);
  assert.equal(parsed.kind, 'digest', header);
  return parsed.kind === 'digest' ? Object.fromEntries(parsed.params) : {};
};

test('go-wsman: every value quoted, no spaces', () => {
  const p = params('Digest username="admin",realm="Digest:AB",nonce="n/+x",uri="/wsman",response="0a",qop="auth",nc="00000001",cnonce="abc123"');
  assert.deepEqual(p, { username: 'admin', realm: 'Digest:AB', nonce: 'n/+x', uri: '/wsman', response: '0a', qop: 'auth', nc: '00000001', cnonce: 'abc123' });
});

test('MeshCommander: qop and nc unquoted', () => {
  const p = params('Digest username="admin",realm="R",nonce="N",uri="/wsman",qop=auth,nc=00000002,cnonce="c",response="r"');
  assert.equal(p.qop, 'auth');
  assert.equal(p.nc, '00000002');
});

test('MeshCentral: decimal nc kept as literal text', () => {
  assert.equal(params('Digest username="a", realm="R", nonce="N", uri="/wsman", qop="auth", response="r", nc="10", cnonce="c"').nc, '10');
});

test('curl/RFC style: spaces, algorithm, names in any case, spaces around "="', () => {
  const p = params('digest  USERNAME = "admin" ,Realm="R" , nonce="N", uri="/wsman", cnonce="c", nc=00000001, qop=auth, response="r", algorithm=MD5');
  assert.equal(p.username, 'admin');
  assert.equal(p.realm, 'R');
  assert.equal(p.algorithm, 'MD5');
});

test('quoted-string escapes and commas inside quotes', () => {
  assert.equal(params('Digest username="a\\"b,c", realm="R"').username, 'a"b,c');
});

test('empty and missing values parse as empty strings', () => {
  assert.equal(params('Digest username="admin", response=""').response, '');
  assert.equal(params('Digest username="admin", response=').response, '');
});

test('malformed headers are reported, never thrown', () => {
  for (const header of ['Digest username="admin', 'Digest username="a", username="b"', 'Digest =x', 'Digest username', 'Digest a="b" c="d"', '', 'Digest\u0000', 'Digestusername="a"', 'Digest a="x\\']) {
    assert.equal(parseAuthorization(header).kind, header.startsWith('Digestusername') ? 'other-scheme' : 'malformed', header);
  }
});

test('other schemes are named, not parsed', () => {
  assert.deepEqual(parseAuthorization('Basic YWRtaW46YWRtaW4='), { kind: 'other-scheme', scheme: 'Basic' });
  assert.deepEqual(parseAuthorization('Negotiate YIIx'), { kind: 'other-scheme', scheme: 'Negotiate' });
});
