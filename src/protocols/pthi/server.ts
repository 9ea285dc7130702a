/**
 * The sans-I/O PTHI server: one complete HECI message in, one reply out (a promise: the AMT state
 * lives in NVRAM, which an app reaches through asynchronous syscalls). It never throws on bad
 * input: header, length, command and body checks happen before any handler runs (table-driven from
 * table.ts), and each failure is the protocol's own error reply with the AMT status that says why.
 */
import type { AmtStateStore } from '../../amt-state/index.js';
import { AMT_STATUS, PTHI_COMMAND_NAME, PTHI_RESPONSE_FLAG, PTHI_VERSION, type PthiCommandName } from './constants.js';
import type { PthiContext, PthiHandler, PthiReply } from './handler.js';
import { enumerateHashHandles, getCertHashEntry, getControlMode, getEhbcState, getLocalSystemAccount, getPkiFqdnSuffix, getProvisioningMode, getProvisioningState } from './handlers-state.js';
import { startConfigurationHBased, stopConfiguration, unprovision } from './handlers-configuration.js';
import { generateRngSeed, getCodeVersions, getLanInterfaceSettings, getMacAddresses, getRemoteAccessConnectionStatus, getRngSeedStatus, getUuid } from './handlers-platform.js';
import { PthiHeader, PthiResponseHeader } from './messages.js';
import type { EngineClock, PlatformInfo } from './platform.js';
import { PTHI_PRE_BOOT_ONLY } from './pre-boot.js';
import { PTHI_MESSAGES } from './table.js';

export interface PthiServerOptions {
  readonly state: AmtStateStore;
  readonly platform: PlatformInfo;
  readonly clock: EngineClock;
}

export interface PthiServer {
  /** Answers one complete PTHI request; never rejects. */
  handle(request: Uint8Array): Promise<Uint8Array>;
}

const HANDLERS: Readonly<Partial<Record<PthiCommandName, PthiHandler>>> = {
  getProvisioningMode, unprovision, getProvisioningState, getCodeVersions, getMacAddresses, generateRngSeed,
  enumerateHashHandles, getCertHashEntry, getRngSeedStatus, getPkiFqdnSuffix, getRemoteAccessConnectionStatus,
  getLanInterfaceSettings, getUuid, stopConfiguration, getLocalSystemAccount, getControlMode, getEhbcState, startConfigurationHBased,
};

export function createPthiServer(options: PthiServerOptions): PthiServer {
  const context: PthiContext = { ...options, volatile: { rngSeedReady: true } };
  return {
    handle: async (request) => {
      const command = request.length >= PthiHeader.size ? PthiHeader.parse(request).command : 0;
      return encodeReply(command, await answer(request, context));
    },
  };
}

/** Header, length and command checks, then the pre-boot policy, then the handler. */
async function answer(request: Uint8Array, context: PthiContext): Promise<PthiReply> {
  if (request.length < PthiHeader.size) return { status: AMT_STATUS.invalidMessageLength };
  const header = PthiHeader.parse(request);
  if (header.length !== request.length - PthiHeader.size) return { status: AMT_STATUS.invalidMessageLength };
  if (header.majorVersion !== PTHI_VERSION.major) return { status: AMT_STATUS.invalidParameter };
  const name = PTHI_COMMAND_NAME.get(header.command);
  const handler = name === undefined ? undefined : HANDLERS[name];
  if (name === undefined || handler === undefined || !PTHI_MESSAGES[name].answered) return { status: AMT_STATUS.unsupported };
  const body = request.subarray(PthiHeader.size);
  if (!bodyFits(name, body.length)) return { status: AMT_STATUS.invalidMessageLength };
  const refusal = PTHI_PRE_BOOT_ONLY[name];
  if (refusal !== undefined && context.platform.isEndOfPost()) return { status: refusal };
  try {
    return await handler(body, context);
  } catch {
    // A corrupt stored value, an NVRAM failure or a platform fault: the engine's own error, not the host's.
    return { status: AMT_STATUS.internalError };
  }
}

function bodyFits(name: PthiCommandName, length: number): boolean {
  const layouts = PTHI_MESSAGES[name].requests;
  return layouts.length === 0 ? length === 0 : layouts.some((layout) => layout.size === length);
}

/** Response: header with the response flag, length = 4 + data, status, data (only on success). */
function encodeReply(command: number, reply: PthiReply): Uint8Array {
  const data = reply.status === AMT_STATUS.success ? reply.data ?? new Uint8Array() : new Uint8Array();
  const out = new Uint8Array(PthiResponseHeader.size + data.length);
  PthiResponseHeader.serialize({
    majorVersion: PTHI_VERSION.major, minorVersion: PTHI_VERSION.minor, reserved: 0,
    command: (command | PTHI_RESPONSE_FLAG) >>> 0, length: 4 + data.length, status: reply.status,
  }, out);
  out.set(data, PthiResponseHeader.size);
  return out;
}
