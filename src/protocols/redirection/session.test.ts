// The redirection session against amtterm's bytes (1.4's user/password and newer digest with and
// without qop), over the real Digest authenticator: SOL both ways, keep-alive, EndSOL, refusals,
// wrong passwords counted and locked out with WS-Man's authenticator, the Redirection realm,
// malformed and out-of-order input ending the connection with a typed error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createUserTable, DigestAuthenticator } from '../../amt/auth/index.js';
import { AUTH_STATUS, digestRedirectionAuthenticator, encodeFrame, RedirectionSession, START_STATUS, type RedirectionEvent, type RedirectionSessionOptions, type RedirectionStep } from './index.js';
import { challengeOf, consoleMessages as c, deviceFrames } from './testing.js';

const REALM = 'Digest:0123456789ABCDEF0123456789ABCDEF';
const PASSWORD = 'P@ssw0rd-redir';
const ha1 = (user: string, password: string): string => createHash('md5').update(`${user}:${REALM}:${password}`).digest('hex');

function setup(overrides: Partial<RedirectionSessionOptions> = {}): { session: RedirectionSession; auth: DigestAuthenticator } {
  const users = createUserTable([
    { user: 'admin', passwordOrHA1: { ha1: ha1('admin', PASSWORD) }, realms: ['Redirection', 'PT Administration'] },
    { user: 'viewer', passwordOrHA1: { password: PASSWORD }, realms: ['Hardware Asset'] },
  ]);
  const auth = new DigestAuthenticator({ realm: REALM, users });
  const session = new RedirectionSession({ authenticator: digestRedirectionAuthenticator(auth), admit: () => 0, openSol: () => 0, ...overrides });
  return { session, auth };
}

const frames = (step: RedirectionStep): ReturnType<typeof deviceFrames> => step.output.flatMap((bytes) => deviceFrames(bytes));
const kinds = (events: readonly RedirectionEvent[]): string[] => events.map((e) => e.kind);

test('amtterm 1.4: start, user/password, StartSOL, data both ways, EndSOL, end', () => {
  const { session } = setup();
  const start = session.receive(c.start());
  assert.deepEqual(start.output.map((b) => b.length), [13]);
  assert.deepEqual([...(start.output[0] as Uint8Array)], [0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  const auth = session.receive(c.plain('admin', PASSWORD));
  assert.deepEqual([...(auth.output[0] as Uint8Array)], [0x14, 0, 0, 0, 1, 0, 0, 0, 0]);
  assert.deepEqual(auth.events, [{ kind: 'authenticated', user: 'admin', realms: ['Redirection', 'PT Administration'] }]);
  const sol = session.receive(c.startSol());
  assert.equal(sol.output[0]?.length, 23);
  assert.equal(sol.output[0]?.[0], 0x21);
  assert.equal(sol.output[0]?.[1], 0);
  assert.deepEqual(kinds(sol.events), ['sol-open']);
  assert.equal(session.phase, 'sol');
  const typed = session.receive(c.data('echo hi\r'));
  assert.deepEqual(typed.events, [{ kind: 'sol-data', bytes: Uint8Array.from(Buffer.from('echo hi\r')) }]);
  const fromHost = session.fromHost(Uint8Array.from(Buffer.alloc(2500, 0x41)));
  assert.deepEqual(fromHost.map((f) => f.length), [1010, 1010, 510], 'chunks of the console MaxTxBuffer (1000)');
  assert.deepEqual(deviceFrames(fromHost[0] as Uint8Array)[0]?.fields['sequence'], 2);
  const pong = frames(session.receive(c.ping()));
  assert.equal(pong[0]?.name, 'solKeepAlivePong');
  assert.equal(session.receive(c.heartbeat()).output.length, 0);
  const endSol = session.receive(c.endSol());
  assert.equal(frames(endSol)[0]?.name, 'endSolReply');
  assert.deepEqual(kinds(endSol.events), ['sol-close']);
  assert.deepEqual(session.fromHost(Uint8Array.of(1)), [], 'no data once SOL ended');
  const end = session.receive(c.end());
  assert.equal(end.close, true);
  assert.deepEqual(end.events, [{ kind: 'close', reason: 'ended' }]);
});

for (const qop of [true, false]) {
  test(`digest type ${qop ? 4 : 3} as amtterm auth.c: query, challenge, response`, () => {
    const { session } = setup();
    session.receive(c.start());
    const query = frames(session.receive(c.query()))[0];
    assert.deepEqual([...(query?.payload ?? [])], [1, 3, 4]);
    const challenge = frames(session.receive(c.digestRequest('admin', qop)))[0];
    assert.ok(challenge);
    assert.equal(challenge.fields['status'], AUTH_STATUS.failure);
    const { realm, nonce, qop: offered } = challengeOf(challenge);
    assert.equal(realm, REALM);
    assert.equal(nonce.length, 32, 'amtterm takes nonces of at most 32 characters');
    assert.equal(offered, qop ? 'auth' : undefined);
    const done = session.receive(c.digestResponse('admin', PASSWORD, realm, nonce, qop));
    assert.equal(frames(done)[0]?.fields['status'], AUTH_STATUS.success);
    assert.deepEqual(kinds(done.events), ['authenticated']);
  });
}

test('a wrong password: failure reply, closed, counted by the shared authenticator until the lock-out', () => {
  const { auth } = setup();
  let step: RedirectionStep | undefined;
  for (let i = 0; i < 3; i++) {
    const { session } = { session: new RedirectionSession({ authenticator: digestRedirectionAuthenticator(auth), admit: () => 0, openSol: () => 0 }) };
    session.receive(c.start());
    step = session.receive(c.plain('admin', 'wrong'));
  }
  assert.ok(step);
  assert.equal(frames(step)[0]?.fields['status'], AUTH_STATUS.failure);
  assert.equal(step.close, true);
  assert.deepEqual(kinds(step.events), ['auth-failed', 'close']);
  assert.equal(auth.lockoutState('admin').consecutiveFailures, 3);
});

test('a replayed digest response is refused (the nonce count was used)', () => {
  const { auth } = setup();
  const login = (replay?: Uint8Array): { step: RedirectionStep; response: Uint8Array } => {
    const session = new RedirectionSession({ authenticator: digestRedirectionAuthenticator(auth), admit: () => 0, openSol: () => 0 });
    session.receive(c.start());
    const challenge = challengeOf(frames(session.receive(c.digestRequest('admin')))[0] as never);
    const response = replay ?? c.digestResponse('admin', PASSWORD, challenge.realm, challenge.nonce);
    return { step: session.receive(response), response };
  };
  const first = login();
  assert.deepEqual(kinds(first.step.events), ['authenticated']);
  assert.deepEqual(kinds(login(first.response).step.events), ['auth-failed', 'close']);
});

test('a user without the Redirection realm is refused', () => {
  const { session } = setup();
  session.receive(c.start());
  const step = session.receive(c.plain('viewer', PASSWORD));
  assert.deepEqual(step.events[0], { kind: 'auth-failed', user: 'viewer', authType: 1, reason: 'no-redirection-realm' });
});

test('refusals: busy or unsupported at start, unknown type, SOL refused by the owner, Kerberos not supported', () => {
  const busy = setup({ admit: () => START_STATUS.busy }).session.receive(c.start());
  assert.equal(frames(busy)[0]?.fields['status'], 2);
  assert.deepEqual(kinds(busy.events), ['start-refused', 'close']);
  const unknown = setup().session.receive(encodeFrame('startRedirectionSession', { sessionType: 'XXXX' }));
  assert.equal(frames(unknown)[0]?.fields['status'], START_STATUS.unknownType);
  const { session } = setup({ openSol: () => 3 });
  session.receive(c.start());
  session.receive(c.plain('admin', PASSWORD));
  const sol = session.receive(c.startSol());
  assert.equal(frames(sol)[0]?.fields['status'], 3);
  assert.deepEqual(kinds(sol.events), ['sol-refused', 'close']);
  const kerberos = setup().session;
  kerberos.receive(c.start());
  const reply = frames(kerberos.receive(encodeFrame('authenticateSession', { authType: 2 }, Uint8Array.of(1, 2, 3))))[0];
  assert.equal(reply?.fields['status'], AUTH_STATUS.notSupported);
});

test('out of order and malformed input ends the connection with a typed error', () => {
  const cases: Uint8Array[][] = [
    [c.startSol()],
    [c.start(), c.data('x')],
    [c.start(), c.start()],
    [c.start(), encodeFrame('authenticateSession', { authType: 1 }, Uint8Array.of(5, 0x61))],
    [Uint8Array.of(0x99, 0, 0, 0)],
    [c.start(), Uint8Array.of(0x13, 0, 0, 0, 1, 0xff, 0xff, 0, 0)],
  ];
  for (const messages of cases) {
    const { session } = setup();
    let last: RedirectionStep | undefined;
    for (const m of messages) last = session.receive(m);
    const close = last?.events.at(-1);
    assert.equal(close?.kind, 'close', Buffer.concat(messages).toString('hex'));
    assert.match((close as { error?: Error }).error?.name ?? '', /Error/);
    assert.match(String((close as { error?: { code: string } }).error?.code), /^VME_ERR_REDIRECTION_(MALFORMED|PROTOCOL)$/);
    assert.equal(session.receive(c.end()).output.length, 0, 'nothing after close');
  }
});

test('messages split at every byte boundary are reassembled', () => {
  const { session } = setup();
  const all = Buffer.concat([c.start(), c.plain('admin', PASSWORD), c.startSol(), c.data('abc')]);
  const events: RedirectionEvent[] = [];
  for (const byte of all) events.push(...session.receive(Uint8Array.of(byte)).events);
  assert.deepEqual(kinds(events), ['authenticated', 'sol-open', 'sol-data']);
});

test('KVM (brief §4.5): KVMR start, login, 0x40 answered 0x41, then every byte is RFB; StartSOL in a KVM session, StartKVM in a SOL session and a refused KVM end it', () => {
  const { session } = setup({ openKvm: () => 0 });
  assert.equal(session.receive(c.start('kvm')).output[0]?.[1], 0);
  session.receive(c.plain('admin', PASSWORD));
  const rfbHello = Buffer.from('RFB 003.008\n');
  const open = session.receive(Buffer.concat([encodeFrame('kvmStart'), rfbHello]));
  assert.deepEqual(open.output.map((b) => [...b]), [[0x41, 0, 0, 0, 0, 0, 0, 0]]);
  assert.deepEqual(kinds(open.events), ['kvm-open', 'kvm-data']);
  assert.deepEqual(open.events[1], { kind: 'kvm-data', bytes: rfbHello });
  assert.equal(session.phase, 'kvm');
  const raw = Uint8Array.of(0x12, 0, 0, 0); // an EndRedirectionSession's bytes are RFB now
  assert.deepEqual(session.receive(raw).events, [{ kind: 'kvm-data', bytes: raw }]);
  assert.deepEqual(kinds(session.end()), ['kvm-close', 'close']);

  const solInKvm = setup({ openKvm: () => 0 }).session;
  solInKvm.receive(c.start('kvm'));
  solInKvm.receive(c.plain('admin', PASSWORD));
  assert.equal(solInKvm.receive(c.startSol()).close, true);
  const kvmInSol = setup().session;
  kvmInSol.receive(c.start());
  kvmInSol.receive(c.plain('admin', PASSWORD));
  assert.equal(kvmInSol.receive(encodeFrame('kvmStart')).close, true);
  const refused = setup({ openKvm: () => START_STATUS.busy }).session;
  refused.receive(c.start('kvm'));
  refused.receive(c.plain('admin', PASSWORD));
  const step = refused.receive(encodeFrame('kvmStart'));
  assert.deepEqual([step.output.length, step.close, kinds(step.events)], [0, true, ['kvm-refused', 'close']]);
});
