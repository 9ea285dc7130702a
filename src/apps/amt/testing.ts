/**
 * Test helpers for the AMT app without a kernel: an `AppContext` over a real in-memory NVRAM
 * namespace (every NVRAM call asynchronous, as a syscall is), a recorded host line and settable
 * platform facts; and a Digest round trip (401, then the answer) through an HTTP core.
 */
import { renderAuthorization, parseChallenge } from '../../amt/auth/digest-client.js';
import type { AmtHttpCore, ConnectionContext } from '../../amt/http/index.js';
import { parseReply, postWsman, headerOf, type ParsedReply } from '../../amt/http/testing.js';
import type { AppContext, PlatformInfo } from '../../kernel/app-api.js';
import type { NvramNamespace } from '../../kernel/nvram/index.js';

export const TEST_PLATFORM: PlatformInfo = {
  platformId: 'vme-test', firmwareVersion: '16.1.27.2225', svn: 3, partition: 'NFTP', engineState: 'operational', apps: ['mkhi', 'amt'],
  platformUuid: '4c4c4544-0042-3510-8052-b4c04f4d3732', macAddress: '02:00:5e:10:00:01', macSource: 'derived', sku: 'corporate',
  networkAddress: '127.0.0.2',
};

export interface FakeContext extends AppContext {
  /** Host-control requests in order, e.g. `power:reset`. */
  readonly hostRequests: string[];
  readonly facts: { endOfPost: boolean; hostPower: number };
}

const unsupported = (what: string) => (): never => {
  throw new Error(`${what} is not available in the fake context`);
};

export function fakeContext(namespace: NvramNamespace, platform: PlatformInfo = TEST_PLATFORM): FakeContext {
  const hostRequests: string[] = [];
  const facts = { endOfPost: false, hostPower: 2 };
  const later = <T>(f: () => T): Promise<T> => Promise.resolve().then(f);
  return {
    app: 'amt', platform, capabilities: ['nvram', 'host:power', 'host:boot', 'platform'], hostRequests, facts,
    invoke: unsupported('invoke'),
    nvram: {
      get: (key) => later(() => namespace.get(key)),
      put: (key, value) => later(() => namespace.put(key, value)),
      delete: (key) => later(() => namespace.delete(key)),
      list: (prefix) => later(() => namespace.list(prefix)),
      commit: (operations) => later(() => namespace.commit(operations)),
    },
    memory: { allocate: unsupported('memory'), write: unsupported('memory'), read: unsupported('memory'), free: unsupported('memory'), usage: unsupported('memory') },
    client: unsupported('client'),
    hostRequest: (control, request) => later(() => {
      hostRequests.push(`${control}:${request}`);
      return true;
    }),
    hmac: unsupported('hmac'),
    platformFacts: () => later(() => ({ ...facts })),
    setEndOfPost: unsupported('setEndOfPost'),
  };
}

/** POSTs `body` to /wsman as `user`: the 401, then the Digest answer on a new connection. */
export async function digestPost(core: AmtHttpCore, user: string, password: string, body: string, context?: ConnectionContext): Promise<ParsedReply> {
  const challenge = parseReply(Buffer.from((await core.inject(postWsman(body), context)).bytes).toString('latin1'));
  const header = headerOf(challenge, 'www-authenticate');
  if (challenge.status !== 401 || header === undefined) return challenge;
  const { realm, nonce } = parseChallenge(header);
  const authorization = renderAuthorization({ user, password, realm, nonce, method: 'POST', uri: '/wsman', nonceCount: 1 });
  return parseReply(Buffer.from((await core.inject(postWsman(body, authorization), context)).bytes).toString('latin1'));
}
