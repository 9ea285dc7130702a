/**
 * What happens around each request to a platform's AMT state (always under its mutex):
 * - WS-Man: after the dispatch, the state consequences of the queued device actions are staged
 *   with the request's own changes (CommitChanges → staged TLS becomes active; Unprovision → the
 *   amt-state side of the factory reset; SetMEBxPassword → the MEBX password record), everything
 *   goes to NVRAM in ONE commit, and only then do the side effects happen (new TLS settings, host
 *   power and boot requests). A fault drops the staged changes and the queued actions.
 * - PTHI and MEBX messages: one commit after the message; a host-side unprovision (post → pre)
 *   also resets the WS-Man side (accounts, TLS, every resettable slot), so both views agree.
 */
import { recordAudit, type UnprovisionVia } from '../../amt/accounts/index.js';
import { factoryReset } from '../../amt/provisioning/unprovision.js';
import { PENDING_MEBX_PASSWORD } from '../../amt/wsman/classes/setup-and-configuration.js';
import { commitStagedTls } from '../../amt/wsman/classes/tls-state.js';
import { PROVISIONING } from '../../amt/wsman/classes/provisioning.js';
import type { DeviceAction } from '../../amt/wsman/device.js';
import { TlsSettings, type TlsConfig } from '../../amt/tls/index.js';
import { AppError } from '../../kernel/app-api.js';
import { MEBX_CLIENT_UUID } from '../../protocols/mebx/index.js';
import { reportCertificateHash } from './identity.js';
import { refreshFacts, type AmtRuntime } from './runtime.js';

/** WS-Man afterDispatch: stage the actions' consequences, commit once, then act. Rejects (state rolled back) on failure. */
export async function completeWsmanRequest(runtime: AmtRuntime): Promise<void> {
  const actions = runtime.device.take();
  const tls = await stageConsequences(runtime, actions);
  await runtime.cache.flush();
  if (tls !== undefined) runtime.identity.apply(tls);
  for (const action of actions) await perform(runtime, action);
}

/** WS-Man afterFault (and any failed request): nothing staged or queued survives. */
export function abandonRequest(runtime: AmtRuntime): void {
  runtime.cache.rollback();
  runtime.device.drop();
}

/** Runs `task` as one request: facts refreshed first (pushed by the kernel: no syscall), staged changes dropped if it fails. */
export function serialized<T>(runtime: AmtRuntime, task: () => Promise<T>): Promise<T> {
  return runtime.lock.run(async () => {
    try {
      const reading = refreshFacts(runtime);
      if (reading !== undefined) await reading;
      return await task();
    } catch (error) {
      abandonRequest(runtime);
      throw error;
    }
  });
}

/**
 * One PTHI or MEBX message: answered, committed; a refusal of the host when the commit fails. PTHI
 * reports the device certificate's hash, so the identity is established first (if that fails,
 * StartConfigurationHBased answers certificate-not-ready, as AMT does while it makes its key).
 */
export async function hostMessage(runtime: AmtRuntime, client: string, bytes: Uint8Array): Promise<Uint8Array> {
  const mebx = client.toLowerCase() === MEBX_CLIENT_UUID;
  if (!mebx) await runtime.identity.ensure().catch(() => undefined);
  return serialized(runtime, async () => {
    const before = runtime.state.get(PROVISIONING).state;
    const reply = await (mebx ? runtime.mebx : runtime.pthi).handle(bytes);
    const unprovisioned = before === 2 && runtime.state.get(PROVISIONING).state === 0;
    if (unprovisioned) resetWsmanSide(runtime, mebx ? 'mebx' : 'local-mei');
    await restoreCertificateHash(runtime); // an unprovision in any state removed it
    await commit(runtime);
    const tls = unprovisioned ? runtime.identity.config(runtime.state) : undefined;
    if (tls !== undefined) runtime.identity.apply(tls);
    return reply;
  });
}

/** Commits what a non-WS-Man request staged. @throws AppError amt-state-unavailable */
export async function commit(runtime: AmtRuntime): Promise<void> {
  await runtime.cache.flush().catch((error: unknown) => {
    throw new AppError('amt-state-unavailable', `the AMT state could not be written: ${(error as Error).message}`);
  });
}

/** Stages what the actions change in state; returns the TLS config to switch to after the commit, if any. */
async function stageConsequences(runtime: AmtRuntime, actions: readonly DeviceAction[]): Promise<TlsConfig | undefined> {
  let tlsChanged = false;
  for (const action of actions) {
    if (action.kind === 'commit') tlsChanged = commitStagedTls(runtime.state) || tlsChanged;
    if (action.kind === 'provisioning-changed') {
      tlsChanged = true;
      if (runtime.state.get(PROVISIONING).state === 0) await unprovisionAmtState(runtime);
    }
  }
  const password = runtime.state.get(PENDING_MEBX_PASSWORD);
  if (password !== undefined) {
    await runtime.passwords.set(new TextEncoder().encode(password));
    runtime.state.set(PENDING_MEBX_PASSWORD, undefined);
  }
  const config = tlsChanged ? runtime.identity.config(runtime.state) : undefined;
  if (config !== undefined) new TlsSettings(config); // validates now, so a setup OpenSSL refuses faults the request instead of being committed
  return config;
}

/** The amt-state side of a WS-Man Unprovision: new local system account, suffixes and session gone, default hashes. */
async function unprovisionAmtState(runtime: AmtRuntime): Promise<void> {
  await runtime.store.unprovision();
  await restoreCertificateHash(runtime);
}

/** The device keeps its certificate through Unprovision, so the hash PTHI reports stays. */
async function restoreCertificateHash(runtime: AmtRuntime): Promise<void> {
  const credential = runtime.identity.credential;
  if (credential !== undefined) await reportCertificateHash(runtime.store, credential);
}

/** The WS-Man side of a host-side unprovision (PTHI Unprovision, MEBX). */
function resetWsmanSide(runtime: AmtRuntime, via: UnprovisionVia): void {
  factoryReset(runtime.state);
  recordAudit(runtime.state, { kind: 'unprovisioning-started', via, by: { kind: 'local' }, at: runtime.device.now() });
}

/** The side effects after the commit; a host line that refuses changes nothing already committed. */
async function perform(runtime: AmtRuntime, action: DeviceAction): Promise<void> {
  if (action.kind === 'power') await runtime.context.hostRequest('power', action.request).catch(() => false);
  if (action.kind === 'boot-override') await runtime.context.hostRequest('boot', action.target).catch(() => false);
}
