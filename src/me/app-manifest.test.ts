// Tests of the manifest definition: the shipped default is valid; every rejection names its JSON path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { VmeError } from '../common/errors.js';
import { checkManifestDefinition, loadManifestDefinition, appsFor, DEFAULT_MANIFESTS_PATH } from './app-manifest.js';

const raw = (): Record<string, unknown> & { apps: Record<string, unknown>[] } => JSON.parse(readFileSync(DEFAULT_MANIFESTS_PATH, 'utf8')) as Record<string, unknown> & { apps: Record<string, unknown>[] };
type Mutable = { grants: Record<string, unknown[]> } & Record<string, unknown>;
const app0 = (doc: ReturnType<typeof raw>): Mutable => doc.apps[0] as Mutable;

const rejects = (doc: unknown, path: string, reason: RegExp): void => {
  assert.throws(() => checkManifestDefinition(doc), (e: unknown) => {
    assert.ok(e instanceof VmeError);
    assert.equal(e.code, 'VME_ERR_APP_MANIFEST');
    assert.equal(e.details.path, path);
    assert.match(String(e.details.reason), reason);
    return true;
  });
};

test('the shipped default definition is valid: kernel 512 KiB, mkhi serves MKHI, sets End-of-POST and calls amt (NFTP only), amt serves AMTHI', () => {
  const d = loadManifestDefinition();
  assert.equal(d.kernel.sramBudgetBytes, 512 * 1024);
  assert.deepEqual(d.apps.map((a) => a.name), ['mkhi', 'amt']);
  assert.equal(d.apps[0]?.grants.heciClients[0]?.uuid, '8e6a6715-9abc-4043-88ef-9e39c6f63e0f');
  assert.deepEqual(d.apps[0]?.grants.platformFacts, ['end-of-post']);
  assert.equal(d.apps[1]?.grants.heciClients[0]?.uuid, '12f80028-b4b7-4b2d-aca8-46e0ff65814c');
  assert.equal(d.apps[1]?.grants.platformFacts, undefined);
  assert.deepEqual(appsFor(d, 'FTPR').map((a) => a.name), ['mkhi']);
  assert.deepEqual(d.apps[0]?.grants.calls, ['amt'], 'NFTP mkhi asks amt for the MEBX feature settings');
  assert.deepEqual(appsFor(d, 'FTPR')[0]?.grants.calls, [], 'FTPR carries no amt: its mkhi holds no call grant');
  assert.equal(appsFor(d, 'NFTP')[0]?.grants.calls[0], 'amt');
});

test('platformFacts: optional, known facts only, each once', () => {
  const unknown = raw();
  app0(unknown).grants.platformFacts = ['world-peace'];
  rejects(unknown, '$.apps[0].grants.platformFacts[0]', /not one of/);
  const twice = raw();
  app0(twice).grants.platformFacts = ['end-of-post', 'end-of-post'];
  assert.throws(() => checkManifestDefinition(twice), { code: 'VME_ERR_APP_MANIFEST' });
});

test('memory: optional (default none), maxPages within 1..16384, nothing else', () => {
  assert.equal(loadManifestDefinition().apps[0]?.grants.memory, undefined);
  const good = raw();
  (app0(good).grants as Record<string, unknown>).memory = { maxPages: 64 };
  assert.deepEqual(checkManifestDefinition(good).apps[0]?.grants.memory, { maxPages: 64 });
  const zero = raw();
  (app0(zero).grants as Record<string, unknown>).memory = { maxPages: 0 };
  rejects(zero, '$.apps[0].grants.memory.maxPages', /outside/);
  const extra = raw();
  (app0(extra).grants as Record<string, unknown>).memory = { maxPages: 4, shared: true };
  rejects(extra, '$.apps[0].grants.memory.shared', /unknown key/);
});

test('unknown keys, bad UUIDs, bad values', () => {
  const unknown = raw();
  app0(unknown).extra = 1;
  rejects(unknown, '$.apps[0].extra', /unknown key/);
  const uuid = raw();
  Object.assign((app0(uuid).grants.heciClients ?? [])[0] as object, { uuid: '8E6A6715-9abc-4043-88ef-9e39c6f63e0f' });
  rejects(uuid, '$.apps[0].grants.heciClients[0].uuid', /UUID/);
  const control = raw();
  app0(control).grants.hostControl = ['reboot-the-world'];
  rejects(control, '$.apps[0].grants.hostControl[0]', /not one of/);
  const kernel = raw();
  kernel.kernel = { sramBudgetBytes: 1, supervisor: { maxRestarts: 1, restartWindowMs: 1 } };
  rejects(kernel, '$.kernel.sramBudgetBytes', /outside/);
  rejects({ ...raw(), format: 'x' }, '$.format', /expected/);
});

test('duplicate apps, double-granted clients, calls to unknown apps, unknown recovery apps', () => {
  const dup = raw();
  dup.apps.push(structuredClone(dup.apps[0] as Record<string, unknown>));
  rejects(dup, `$.apps[${dup.apps.length - 1}]`, /duplicate "mkhi"/);
  const twice = raw();
  const copy = structuredClone(twice.apps[0] as Mutable);
  copy.name = 'other';
  copy.grants.nvram = null as unknown as unknown[];
  twice.apps.push(copy);
  rejects(twice, `$.apps[${twice.apps.length - 1}].grants`, /already granted to mkhi/);
  const calls = raw();
  app0(calls).grants.calls = ['tpm'];
  rejects(calls, '$.apps[0].grants.calls[0]', /unknown app "tpm"/);
  rejects({ ...raw(), recoveryApps: ['tpm'] }, '$.recoveryApps[0]', /unknown app/);
});
