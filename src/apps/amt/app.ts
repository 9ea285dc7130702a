/**
 * The AMT app: the engine app that is Intel AMT for one platform, with all its state in the NVRAM
 * namespace `amt` (one cache, one commit per request; see runtime.ts, transaction.ts):
 * - the host interface: PTHI on the AMTHI HECI client, and the BIOS extension's MEBX client
 *   (pre-boot only; End-of-POST is the kernel's platform fact, read before each message);
 * - the network interface: HTTP on 16992, TLS on 16993 (terminated here, as in AMT firmware) with
 *   Digest authentication and WS-Man (pipeline.ts), the RMCP presence pong on UDP 623;
 * - redirection on 16994 and TLS 16995: Serial-over-LAN bridged to the host UART (`host:serial`),
 *   with the user-consent code drawn on the host screen (`host:framebuffer` overlay; redirection*.ts);
 * - KVM: the host's screen as RFB on 5900 (VNC password) and inside redirection sessions (kvm.ts);
 * - local management: APF on the LME HECI client, LMS's channels into the same pipeline with origin
 *   `local` (lme.ts), the session reset whenever the host connects or disconnects;
 * - its interface to kernel clients and mkhi (interface.ts).
 * The state opens on first use and is retried after a failure, so an engine whose NVRAM is unusable
 * still starts this app and answers with a typed refusal instead of restarting it in a loop. No
 * authority beyond its grant (AMTHI, MEBX and LME clients, ports 16992-16995/5900/623, NVRAM `amt`, host
 * power, boot, serial and framebuffer lines).
 */
import { AppError, connectionStream, defineApp } from '../../kernel/app-api.js';
import { activateClientControl } from './activation.js';
import { openAmt, RMCP_PORT, type Amt } from './amt.js';
import { AMT_INTERFACE } from './interface.js';
import { KVM_PORT } from './kvm.js';
import { isLmeClient, LmeEndpoint } from './lme.js';
import { networkAddressOf } from './platform.js';
import { isRedirectionPort } from './redirection.js';
import { hostMessage, serialized } from './transaction.js';

export default defineApp({
  interface: AMT_INTERFACE,
  start(context) {
    let opened: Promise<Amt> | undefined;
    const ready = async (): Promise<Amt> => {
      opened ??= openAmt(context);
      try {
        return await opened;
      } catch (error) {
        opened = undefined;
        throw new AppError('amt-state-unavailable', `the AMT state cannot be opened: ${(error as Error).message}`);
      }
    };
    void ready().catch(() => undefined); // open (and initialise) now; a failure is retried on use
    const lme = new LmeEndpoint(context, ready);
    const withState = async <T>(task: (amt: Amt) => Promise<T>): Promise<T> => {
      const amt = await ready();
      return serialized(amt.runtime, () => task(amt));
    };
    return {
      handlers: {
        getProvisioning: () => withState(async ({ runtime }) => ({ ...(await runtime.store.provisioning()) })),
        getMebxSettings: () => withState(async ({ runtime }) => {
          const { amtEnabled, features } = await runtime.store.mebx();
          return { amtEnabled, sol: features.sol, ider: features.ider, kvm: features.kvm };
        }),
        networkIdentity: async () => {
          const { runtime } = await ready();
          const credential = await runtime.identity.ensure();
          return { realm: runtime.realm, certificatePem: credential.certificatePem, address: networkAddressOf(context.platform) };
        },
        activate: async ({ password }) => {
          const { runtime, pipeline } = await ready();
          const account = await serialized(runtime, () => runtime.store.localSystemAccount());
          return { returnValue: await activateClientControl(pipeline.handler, runtime.realm, account, password) };
        },
      },
      onHostMessage: async (client, bytes) => (isLmeClient(client) ? lme.receive(bytes) : hostMessage((await ready()).runtime, client, bytes)),
      onHostConnection: async (client, event) => (isLmeClient(client) ? lme.onConnection(event) : undefined),
      onConnection(connection) {
        const stream = connectionStream(connection);
        ready().then(({ pipeline, redirection }) => {
          if (connection.port === KVM_PORT) void redirection.kvm.accept(stream, connection.remote);
          else if (isRedirectionPort(connection.port)) redirection.accept(connection.port, stream, connection.remote);
          else pipeline.acceptNetwork(connection.port, stream, connection.remote);
        }, () => stream.destroy());
      },
      onHostSerial: async (bytes) => (await ready().catch(() => undefined))?.redirection.fromHost(bytes),
      onHostMediaRead: async (device, lba, count) => {
        const amt = await ready().catch(() => undefined);
        if (!amt) throw new AppError('no-media', 'the AMT state is not open');
        return amt.redirection.ider.read(device, lba, count).catch((error: unknown) => {
          throw new AppError('media-read-failed', error instanceof Error ? error.message : String(error));
        });
      },
      onDatagram: async (port, _remote, bytes) => (port === RMCP_PORT ? (await ready().catch(() => undefined))?.presence(bytes) : undefined),
      stop: () => {
        lme.end();
        void opened?.then((amt) => amt.consent.stop(), () => undefined);
      },
    };
  },
});
