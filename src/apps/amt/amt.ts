/**
 * One platform's AMT, put together: the runtime (state, identity, servers), the web pipeline
 * and the redirection service (SOL, the consent code on the host screen) over it, with every request serialized, committed after success and rolled back after a fault,
 * Digest security events recorded in the audit log, and the RMCP presence answer from the
 * committed settings.
 */
import { AMT_STATE_KEYS, type LocalSystemAccount } from '../../amt-state/index.js';
import { decodeAccount } from '../../amt-state/records.js';
import { recordSecurityEvent } from '../../amt/accounts/index.js';
import { respondToRmcp, type PresenceState } from '../../amt/rmcp/index.js';
import { GENERAL_SETTINGS } from '../../amt/wsman/classes/general-settings.js';
import { PROVISIONING } from '../../amt/wsman/classes/provisioning.js';
import { acceptsNonSecure } from '../../amt/wsman/classes/tls-state.js';
import type { AppContext } from '../../kernel/app-api.js';
import { createAmtPipeline, type AmtPipeline } from './pipeline.js';
import { RedirectionService } from './redirection.js';
import { ConsentDisplay } from './redirection-consent.js';
import { openRuntime, type AmtRuntime, type RuntimeOptions } from './runtime.js';
import { abandonRequest, commit, completeWsmanRequest, serialized } from './transaction.js';

export const RMCP_PORT = 623;

export interface Amt {
  readonly runtime: AmtRuntime;
  readonly pipeline: AmtPipeline;
  /** Redirection (SOL) on 16994/16995, logging in through the pipeline's network authenticator. */
  readonly redirection: RedirectionService;
  /** The user-consent code on the host's screen. */
  readonly consent: ConsentDisplay;
  /** The answer to a UDP 623 datagram (a presence pong), or nothing. */
  presence(datagram: Uint8Array): Uint8Array | undefined;
}

export async function openAmt(context: AppContext, options: RuntimeOptions = {}): Promise<Amt> {
  const runtime = await openRuntime(context, options);
  const consent = new ConsentDisplay(runtime);
  const pipeline = createAmtPipeline({
    state: runtime.state, committed: runtime.committed, facts: runtime.wsmanFacts, realm: runtime.realm, device: runtime.device,
    serialize: async (task) => {
      await runtime.identity.ensure().catch(() => undefined); // outside the mutex: storing a new identity takes it
      return serialized(runtime, task);
    },
    afterDispatch: async () => {
      await completeWsmanRequest(runtime);
      consent.refresh(); // StartOptIn, SendOptInCode, CancelOptIn, a new display timeout
    },
    afterFault: () => abandonRequest(runtime),
    onSecurityEvent: (event) => void serialized(runtime, async () => {
      recordSecurityEvent(runtime.state, event);
      await commit(runtime);
    }).catch(() => undefined),
    localSystemAccount: () => localSystemAccount(runtime),
    tls: () => runtime.identity.tls(),
  });
  const redirection = new RedirectionService(runtime, pipeline.networkAuth);
  consent.refresh(); // a code still pending from before a restart
  return { runtime, pipeline, redirection, consent, presence: (datagram) => respondToRmcp(datagram, presenceState(runtime)) };
}

/** The local system account as committed (its amt-state record, read from the cache). */
function localSystemAccount(runtime: AmtRuntime): LocalSystemAccount | undefined {
  const bytes = runtime.cache.committed(AMT_STATE_KEYS.account);
  return bytes === undefined ? undefined : decodeAccount(AMT_STATE_KEYS.account, bytes);
}

function presenceState(runtime: AmtRuntime): PresenceState {
  const [major = 0, minor = 0] = runtime.wsmanFacts.firmware.version.split('.').map(Number);
  return {
    enabled: runtime.committed.get(GENERAL_SETTINGS).RmcpPingResponseEnabled,
    majorVersion: major, minorVersion: minor,
    provisioningState: runtime.committed.get(PROVISIONING).state,
    httpOpen: acceptsNonSecure(runtime.committed, 'network'), tlsOpen: true,
  };
}
