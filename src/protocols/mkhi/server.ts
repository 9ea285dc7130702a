/**
 * The sans-I/O MKHI server: one complete message in, one reply out, never a throw. Header, command
 * and size checks come from table.ts before any handler runs; after End-of-POST the pre-boot-only
 * commands get their declared reply. Replies echo group and command with the response bit set.
 */
import { MKHI_COMMAND_BY_CODE, MKHI_RESPONSE_BIT, MKHI_RESULT, mkhiCode } from './constants.js';
import { MKHI_HANDLERS, type MkhiContext, type MkhiReply } from './handlers.js';
import { MkhiHeader } from './messages.js';
import type { MkhiServerOptions, MkhiVolatile } from './platform.js';
import { MKHI_MESSAGES, MKHI_PRE_BOOT_ONLY } from './table.js';

export interface MkhiServer {
  /** Answers one complete MKHI request; never throws. */
  handle(request: Uint8Array): Uint8Array;
  /** The per-boot state (HMRFPO enabled, next boot partition), e.g. for the firmware status words. */
  volatile(): Readonly<MkhiVolatile>;
}

export function createMkhiServer(options: MkhiServerOptions): MkhiServer {
  const context: MkhiContext = { ...options, volatile: { hmrfpoEnabled: false, nextBootPartition: undefined } };
  return {
    handle: (request) => {
      const group = request[0] ?? 0;
      const command = (request[1] ?? 0) & 0x7f;
      return encodeReply(group, command, answer(request, context));
    },
    volatile: () => ({ ...context.volatile }),
  };
}

function answer(request: Uint8Array, context: MkhiContext): MkhiReply {
  if (request.length < MkhiHeader.size) return { result: MKHI_RESULT.sizeError };
  const header = MkhiHeader.parse(request);
  const name = MKHI_COMMAND_BY_CODE.get(mkhiCode(header.groupId, header.command & 0x7f));
  if (name === undefined || (header.command & MKHI_RESPONSE_BIT) !== 0) return { result: MKHI_RESULT.invalidCommand };
  const body = request.subarray(MkhiHeader.size);
  if (body.length !== (MKHI_MESSAGES[name].request?.size ?? 0)) return { result: MKHI_RESULT.sizeError };
  const refusal = MKHI_PRE_BOOT_ONLY[name];
  if (refusal !== undefined && context.platform.isEndOfPost()) return refusal;
  try {
    return MKHI_HANDLERS[name](body, context);
  } catch {
    return { result: MKHI_RESULT.generalError };
  }
}

function encodeReply(group: number, command: number, reply: MkhiReply): Uint8Array {
  const data = reply.result === MKHI_RESULT.success ? reply.data ?? new Uint8Array() : new Uint8Array();
  const out = new Uint8Array(MkhiHeader.size + data.length);
  MkhiHeader.serialize({ groupId: group, command: command | MKHI_RESPONSE_BIT, reserved: 0, result: reply.result }, out);
  out.set(data, MkhiHeader.size);
  return out;
}
