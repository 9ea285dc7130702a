// The realm matrix (users-and-peers §5 item 3): every declared class × every operation × every
// realm, a principal with none, and the built-in admin holding all. No handler may answer a realm
// it does not require; unsupported operations are ActionNotSupported for everyone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_REALM_NAMES, createAmtClassRegistry, type RealmName, type RegisteredClass } from '../src/amt/wsman/index.js';
import { ACTION, createTestWsman, envelope, ENUMERATE_BODY, pullBody, textOf, type TestWsman } from '../src/amt/wsman/testing.js';

interface Probe {
  readonly label: string;
  readonly required: readonly RealmName[] | undefined;
  /** Builds the request for `user` (may open an enumeration first, with every realm). */
  readonly request: (wsman: TestWsman, user: string) => Promise<string>;
}

function probes(cls: RegisteredClass): Probe[] {
  const uri = cls.resourceUri;
  const name = cls.declaration.name;
  const ops = cls.declaration.operations;
  const instanceBody = `<h:${name} xmlns:h="${uri}"></h:${name}>`;
  const openContext = async (wsman: TestWsman, user: string): Promise<string> =>
    textOf((await wsman.call(envelope({ action: ACTION.enumerate, resourceUri: uri, body: ENUMERATE_BODY }), ALL_REALM_NAMES, user)).body, 'g:EnumerationContext') ?? 'none';
  const simple = (label: string, required: readonly RealmName[] | undefined, action: string, body = ''): Probe =>
    ({ label, required, request: () => Promise.resolve(envelope({ action, resourceUri: uri, body })) });
  return [
    simple('Get', ops.get?.realms, ACTION.get),
    simple('Put', ops.put?.realms, ACTION.put, instanceBody),
    simple('Create', ops.create?.realms, ACTION.create, instanceBody),
    simple('Delete', ops.delete?.realms, ACTION.delete),
    simple('Enumerate', ops.enumerate?.realms, ACTION.enumerate, ENUMERATE_BODY),
    { label: 'Pull', required: ops.enumerate?.realms, request: async (w, u) => envelope({ action: ACTION.pull, resourceUri: uri, body: pullBody(await openContext(w, u)) }) },
    { label: 'Release', required: ops.enumerate?.realms, request: async (w, u) => envelope({ action: ACTION.release, resourceUri: uri, body: pullBody(await openContext(w, u)) }) },
    ...cls.declaration.methods.map((m) => simple(m.name, m.realms, `${uri}/${m.name}`, `<h:${m.name}_INPUT xmlns:h="${uri}"></h:${m.name}_INPUT>`)),
  ];
}

const subcode = (body: string): string | undefined => /<a:Subcode><a:Value>([^<]*)</.exec(body)?.[1];
const PRINCIPALS: readonly (readonly [string, readonly string[]])[] = [
  ['none', []], ['all (built-in admin)', ALL_REALM_NAMES], ...ALL_REALM_NAMES.map((r) => [r, [r]] as const), ['unknown realm names', ['Root', '99', '']],
];

for (const cls of createAmtClassRegistry().classes) {
  test(`realm matrix: ${cls.declaration.name}`, async () => {
    const wsman = createTestWsman();
    let checked = 0;
    for (const probe of probes(cls)) {
      for (const [label, realms] of PRINCIPALS) {
        const reply = await wsman.call(await probe.request(wsman, 'matrix'), realms, 'matrix');
        const where = `${probe.label} as ${label}`;
        if (probe.required === undefined) {
          assert.equal(subcode(reply.body), 'b:ActionNotSupported', where);
        } else if (realms.some((r) => (probe.required as readonly string[]).includes(r))) {
          assert.notEqual(subcode(reply.body), 'e:AccessDenied', where);
        } else {
          assert.equal(reply.status, 400, where);
          assert.equal(subcode(reply.body), 'e:AccessDenied', where);
        }
        checked++;
      }
      const admin = await wsman.call(await probe.request(wsman, 'admin'), ALL_REALM_NAMES, 'admin');
      if (probe.required === undefined) continue;
      assert.notEqual(subcode(admin.body), 'e:AccessDenied', `admin ${probe.label}`);
      // A selector-less Get of a multi-instance class is InvalidSelectors, not a realm matter.
      const ambiguous = probe.label === 'Get' && subcode(admin.body) === 'e:InvalidSelectors';
      if (['Get', 'Enumerate', 'Pull', 'Release'].includes(probe.label) && !ambiguous) assert.equal(admin.status, 200, `admin ${probe.label}: ${admin.body}`);
    }
    assert.ok(checked >= 7 * PRINCIPALS.length);
  });
}

test('the matrix covers every declared operation of every class, and every class grants admin something', () => {
  for (const cls of createAmtClassRegistry().classes) {
    const declared = probes(cls).filter((p) => p.required !== undefined);
    assert.ok(declared.length > 0, cls.declaration.name);
    for (const probe of declared) assert.ok(probe.required?.every((r) => ALL_REALM_NAMES.includes(r)), `${cls.declaration.name} ${probe.label}`);
  }
});
