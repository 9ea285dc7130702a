/**
 * The sans-I/O MEBX server: one complete request in, one reply out, never a throw or a rejection.
 * Requests are answered one at a time in arrival order. Checks before any handler: header size,
 * version, command, body size, End-of-POST (MEBX is pre-boot only: after it every request is
 * refused with status endOfPost and the session ends), then the session the command needs.
 */
import { isAmtStateError } from '../../amt-state/index.js';
import { randomBytes } from '../../crypto/index.js';
import { DEFAULT_MAX_LOGIN_ATTEMPTS, MEBX_COMMAND, MEBX_COMMAND_NAME, MEBX_PROTOCOL_VERSION, MEBX_RESPONSE_BIT, MEBX_STATUS } from './constants.js';
import { MEBX_HANDLERS, type MebxContext, type MebxReply, type MebxStateStorage } from './handlers.js';
import { MebxHeader } from './messages.js';
import { MebxPasswordStore, type MebxNvram } from './password-store.js';
import { MEBX_MESSAGES } from './table.js';

export interface MebxServerOptions {
  /** The AMT state (an AmtStateStore, or anything with the same methods, sync or async). */
  readonly state: MebxStateStorage;
  /** The AMT NVRAM namespace, where the MEBX password record lives beside the AMT state. */
  readonly nvram: MebxNvram;
  /** True once the BIOS has sent End-of-POST. */
  readonly isEndOfPost: () => boolean;
  readonly random?: (length: number) => Uint8Array;
  /** Consecutive wrong passwords before the lockout (default 3). */
  readonly maxLoginAttempts?: number;
  /** scrypt N for password hashes (default 16384); tests may lower it. */
  readonly scryptCost?: number;
}

export interface MebxServer {
  /** Answers one complete MEBX request; never rejects. */
  handle(request: Uint8Array): Promise<Uint8Array>;
}

export function createMebxServer(options: MebxServerOptions): MebxServer {
  const random = options.random ?? randomBytes;
  const context: MebxContext = {
    state: options.state,
    passwords: new MebxPasswordStore(options.nvram, { random, ...(options.scryptCost === undefined ? {} : { cost: options.scryptCost }) }),
    volatile: { session: 0, changeRequired: false, failures: 0 },
    maxLoginAttempts: options.maxLoginAttempts ?? DEFAULT_MAX_LOGIN_ATTEMPTS,
    newSession: () => newSession(random),
  };
  let queue: Promise<unknown> = Promise.resolve();
  return {
    handle: (request) => {
      const reply = queue.then(() => respond(request, context, options.isEndOfPost));
      queue = reply;
      return reply;
    },
  };
}

async function respond(request: Uint8Array, context: MebxContext, isEndOfPost: () => boolean): Promise<Uint8Array> {
  let reply: MebxReply;
  try {
    reply = await answer(request, context, isEndOfPost);
  } catch (error) {
    reply = { status: isAmtStateError(error, 'VME_ERR_AMT_STATE_ARGUMENT') ? MEBX_STATUS.invalidParameter : MEBX_STATUS.internalError };
  }
  return encodeReply(request[1] ?? 0, reply, replySession(request, reply, context));
}

/** The session a reply names: a fresh one after a successful login, the caller's own while it is current, else 0 (never someone else's). */
function replySession(request: Uint8Array, reply: MebxReply, context: MebxContext): number {
  const current = context.volatile.session;
  if (current === 0 || request.length < MebxHeader.size) return 0;
  const header = MebxHeader.parse(request);
  const loggedIn = header.command === MEBX_COMMAND.login && reply.status === MEBX_STATUS.success;
  return loggedIn || header.session === current ? current : 0;
}

async function answer(request: Uint8Array, context: MebxContext, isEndOfPost: () => boolean): Promise<MebxReply> {
  if (request.length < MebxHeader.size) return { status: MEBX_STATUS.invalidLength };
  const header = MebxHeader.parse(request);
  const name = MEBX_COMMAND_NAME.get(header.command);
  if (header.version !== MEBX_PROTOCOL_VERSION || name === undefined) return { status: MEBX_STATUS.invalidCommand };
  const spec = MEBX_MESSAGES[name];
  const body = request.subarray(MebxHeader.size);
  if (body.length !== (spec.request?.size ?? 0)) return { status: MEBX_STATUS.invalidLength };
  if (isEndOfPost()) {
    context.volatile.session = 0;
    return { status: MEBX_STATUS.endOfPost };
  }
  if (spec.access !== 'none' && (header.session === 0 || header.session !== context.volatile.session)) return { status: MEBX_STATUS.notAuthenticated };
  if (spec.access === 'configured' && context.volatile.changeRequired) return { status: MEBX_STATUS.passwordChangeRequired };
  return MEBX_HANDLERS[name](body, context);
}

/** Reply: the request's command with the response bit, the status, the current session, then the body. */
function encodeReply(command: number, reply: MebxReply, session: number): Uint8Array {
  const data = reply.data ?? new Uint8Array();
  const out = new Uint8Array(MebxHeader.size + data.length);
  MebxHeader.serialize({ version: MEBX_PROTOCOL_VERSION, command: (command | MEBX_RESPONSE_BIT) & 0xff, status: reply.status, reserved: 0, session }, out);
  out.set(data, MebxHeader.size);
  return out;
}

function newSession(random: (length: number) => Uint8Array): number {
  for (;;) {
    const value = Buffer.from(random(4)).readUInt32LE(0);
    if (value !== 0) return value;
  }
}
