/** Interfaces of the test apps (loaded only by tests through the testing manifest). */
import { defineInterface } from '../../kernel/app-api.js';

const none = {} as const;
const code = { code: { type: 'string', maxLength: 40 } } as const;
const pong = { pong: { type: 'boolean' } } as const;

export const ECHO_INTERFACE = defineInterface({
  app: 'echo',
  operations: {
    echo: {
      args: { text: { type: 'string', maxLength: 64 } },
      reply: { text: { type: 'string', maxLength: 64 }, calls: { type: 'integer', min: 0, max: 1e9 }, persisted: { type: 'integer', min: 0, max: 1e9 } },
      allowedCallers: ['kernel', 'caller'],
    },
    secret: { args: none, reply: pong, allowedCallers: ['kernel'] },
    crash: { args: none, reply: none, allowedCallers: ['kernel'] },
  },
});

export const CALLER_INTERFACE = defineInterface({
  app: 'caller',
  operations: {
    callEcho: { args: none, reply: { text: { type: 'string', maxLength: 64 } }, allowedCallers: ['kernel'] },
    callSecret: { args: none, reply: code, allowedCallers: ['kernel'] },
    callMkhi: { args: none, reply: code, allowedCallers: ['kernel'] },
    callOversized: { args: none, reply: code, allowedCallers: ['kernel'] },
  },
});

export const PROBER_INTERFACE = defineInterface({
  app: 'prober',
  operations: {
    probe: { args: none, reply: { results: { type: 'strings', maxItems: 16, maxLength: 80 } }, allowedCallers: ['kernel'] },
    probeMemory: { args: none, reply: code, allowedCallers: ['kernel'] },
  },
});

const count = { type: 'integer', min: 0, max: 100_000 } as const;

export const PAGER_INTERFACE = defineInterface({
  app: 'pager',
  operations: {
    /** Allocates up to `pages` more pages, each filled with `marker`; `code` is the error that stopped it ('' if none). */
    fill: { args: { pages: { type: 'integer', min: 1, max: 512 }, marker: { type: 'string', maxLength: 32 } }, reply: { allocated: count, ...code }, allowedCallers: ['kernel'] },
    /** Reads every page back; catches errors (a careless app) and reports them. */
    check: { args: none, reply: { pages: count, ok: { type: 'boolean' }, ...code }, allowedCallers: ['kernel'] },
    /** Misuses: unknown page, out-of-page access, use after free. */
    misuse: { args: none, reply: { results: { type: 'strings', maxItems: 8, maxLength: 80 } }, allowedCallers: ['kernel'] },
    /** Reads an NVRAM key and reports the error code ('none' when it worked). */
    nvramGet: { args: none, reply: code, allowedCallers: ['kernel'] },
    ping: { args: none, reply: pong, allowedCallers: ['kernel'] },
  },
});

export const THROWER_INTERFACE = defineInterface({
  app: 'thrower',
  operations: {
    boom: { args: none, reply: none, allowedCallers: ['kernel'] },
    refuse: { args: none, reply: none, allowedCallers: ['kernel'] },
    ping: { args: none, reply: pong, allowedCallers: ['kernel'] },
  },
});

export const HANGER_INTERFACE = defineInterface({
  app: 'hanger',
  operations: {
    spin: { args: none, reply: none, allowedCallers: ['kernel'] },
    stall: { args: none, reply: none, allowedCallers: ['kernel'] },
    ping: { args: none, reply: pong, allowedCallers: ['kernel'] },
  },
});

export const LEAKER_INTERFACE = defineInterface({
  app: 'leaker',
  operations: {
    leak: { args: none, reply: none, allowedCallers: ['kernel'] },
    ping: { args: none, reply: pong, allowedCallers: ['kernel'] },
  },
});

/** The `netecho` test app's granted ports (tests bind them on a random loopback address). */
export const NETECHO_TCP_PORT = 17007;
export const NETECHO_TLS_PORT = 17008;
export const NETECHO_UDP_PORT = 17009;

const connectionId = { type: 'integer', min: 0, max: 0x7fffffff } as const;

export const NETECHO_INTERFACE = defineInterface({
  app: 'netecho',
  operations: {
    /** The platform's network address as the app was told, its open connections, the newest connection id and whether `net:<tcp port>` says it listens. */
    info: { args: none, reply: { address: { type: 'string', maxLength: 64 }, open: count, lastConnection: connectionId, listening: { type: 'boolean' } }, allowedCallers: ['kernel'] },
    /** The next data on any connection makes onData throw (a fault outside a request). */
    crashOnData: { args: none, reply: none, allowedCallers: ['kernel'] },
    /** The next data on any connection makes onData block the worker's thread for good. */
    spinOnData: { args: none, reply: none, allowedCallers: ['kernel'] },
    /** Writes through a connection object whose id was changed to `connection` (a compromised app). */
    forge: { args: { connection: connectionId }, reply: none, allowedCallers: ['kernel'] },
    /** Serves TLS on the `tls: true` port with this key and certificate (PEM), echoing inside TLS. */
    useTls: { args: { key: { type: 'string', maxLength: 4096 }, cert: { type: 'string', maxLength: 4096 } }, reply: none, allowedCallers: ['kernel'] },
    /** Posts a malformed network message to the kernel straight on the worker's port. */
    malformed: { args: none, reply: none, allowedCallers: ['kernel'] },
  },
});
