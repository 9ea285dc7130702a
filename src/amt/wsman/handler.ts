/**
 * `createWsmanHandler`: the WS-Man layer as an `AmtHandler` for the HTTP seam (src/amt/http).
 * POST /wsman bodies are parsed, dispatched and answered with AMT's reply (200) or SOAP fault
 * (400). Nothing a client sends can make it throw: parser and class errors become faults, and
 * anything unexpected becomes wsman:InternalError.
 */
import type { AmtHandler, AmtRequest, AmtResponse } from '../http/index.js';
import { assertAmtRealm } from '../auth/index.js';
import { renderFault, renderReply } from './envelope.js';
import { DEFAULT_ENUMERATION_OPTIONS, EnumerationContexts, type EnumerationOptions } from './enumerations.js';
import { RecordingDevice, type DevicePort } from './device.js';
import type { PlatformFacts } from './facts.js';
import { WsmanFault, type FaultName } from './faults.js';
import { DEFAULT_WSMAN_LIMITS, type WsmanLimits } from './limits.js';
import { MessageIdCounter } from './message-id.js';
import { dispatch, type Dispatcher } from './operations.js';
import type { ClassRegistry } from './registry.js';
import { parseWsmanRequest, WsmanRequestError } from './request.js';
import type { WsmanState } from './state.js';

export interface WsmanHandlerOptions {
  readonly registry: ClassRegistry;
  readonly state: WsmanState;
  readonly facts: PlatformFacts;
  /** The HTTP Digest realm (`Digest:` + 32 hex), reported as `AMT_GeneralSettings.DigestRealm`. */
  readonly realm: string;
  readonly limits?: Partial<WsmanLimits>;
  readonly enumerations?: Partial<EnumerationOptions>;
  /** Where reply MessageIDs come from (one counter per device). */
  readonly messageIds?: MessageIdCounter;
  /** What handlers observe and ask of the platform; default a `RecordingDevice` (nothing happens). */
  readonly device?: DevicePort;
  /**
   * Runs after a successful dispatch, before the reply is sent: the AMT app persists the state the
   * request changed and performs the queued device actions here. A rejection becomes
   * wsman:InternalError (the app must have rolled its state back).
   */
  readonly afterDispatch?: () => Promise<void>;
  /** Runs after a dispatch that faulted: the app drops staged state changes and queued actions. */
  readonly afterFault?: () => void;
}

export interface WsmanHandler extends AmtHandler {
  /** Open enumeration contexts (for tests and status). */
  readonly enumerations: EnumerationContexts;
}

const FAULT_OF_PARSE: Record<WsmanRequestError['fault'], FaultName> = {
  'missing-header': 'headerRequired', schema: 'schemaValidationError', limit: 'encodingLimit', 'not-understood': 'notUnderstood',
};

/** @throws VmeError VME_ERR_AMT_AUTH_CONFIG for a malformed realm. */
export function createWsmanHandler(options: WsmanHandlerOptions): WsmanHandler {
  assertAmtRealm(options.realm);
  const limits = { ...DEFAULT_WSMAN_LIMITS, ...options.limits };
  const messageIds = options.messageIds ?? new MessageIdCounter();
  const enumerations = new EnumerationContexts({ ...DEFAULT_ENUMERATION_OPTIONS, clock: Date.now, ...options.enumerations });
  const device = options.device ?? new RecordingDevice();
  const dispatcher: Dispatcher = {
    registry: options.registry, enumerations,
    context: (principal, origin) => ({ state: options.state, facts: options.facts, digestRealm: options.realm, principal, origin, device }),
  };
  const fault = (name: FaultName, relatesTo: string | undefined): AmtResponse =>
    ({ kind: 'wsman', status: 400, body: renderFault(name, relatesTo, messageIds.next()) });

  const handler = async (request: AmtRequest): Promise<AmtResponse> => {
    if (request.path !== '/wsman') return { kind: 'page', status: 404, message: 'Not Found.' };
    if (request.method !== 'POST') return { kind: 'page', status: 400, message: 'Bad Request.' };
    let parsed;
    try {
      parsed = parseWsmanRequest(request.body, limits);
    } catch (error) {
      if (error instanceof WsmanRequestError) return fault(FAULT_OF_PARSE[error.fault], error.partial.messageId);
      return fault('internalError', undefined);
    }
    try {
      const result = dispatch(dispatcher, parsed, request.principal, request.origin);
      await options.afterDispatch?.();
      const header = { action: result.action, relatesTo: parsed.messageId, messageId: messageIds.next(), resourceUri: result.resourceUri };
      return { kind: 'wsman', status: 200, body: renderReply(header, result.prefixes, result.body) };
    } catch (error) {
      options.afterFault?.();
      return fault(error instanceof WsmanFault ? error.fault : 'internalError', parsed.messageId);
    }
  };
  return Object.assign(handler, { enumerations });
}
