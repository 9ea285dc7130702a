/**
 * One platform's kernel: loads the verified manifest's apps in order, mints each one's
 * capabilities, starts its instance in the shared app-host worker for its kind, and is the only
 * path between apps and everything else. Every syscall names a capability id; an id that is not
 * minted for the caller is refused (VME_ERR_CAPABILITY_DENIED) and audited. Calls between apps go
 * through the callee's declared interface, checked here before the callee sees anything. A page-in
 * that finds an app's engine memory tampered with faults that instance (syscall-faults.ts).
 * With a network (design 0009) each app's granted listeners are registered at load; what an
 * instance does with its connections is checked by its `AppNetwork`.
 */
import type { PageLocation } from '../devices/index.js';
import type { AppManifest } from '../me/app-manifest.js';
import { AppSlot, type AppModuleEntry, type AppStatus, type SlotEnvironment } from './app-slot.js';
import { mintCapabilities } from './capabilities.js';
import { KernelError, kernelFail } from './errors.js';
import { checkCall, checkReply } from './interfaces.js';
import type { HostConnectionEvent } from './protocol.js';
import type { PlatformNetwork } from './net/index.js';
import { serveSyscall, type AppServices } from './services.js';
import { classifySyscallError } from './syscall-faults.js';

/** App code available to this build, by app name. */
export type AppRegistry = Readonly<Record<string, AppModuleEntry>>;

/** The pseudo-caller name of in-process kernel clients (status tools, tests). */
export const KERNEL_CALLER = 'kernel';

/** What a kernel is built from: everything its app slots need, plus the app code and services. */
export interface KernelEnvironment extends Omit<SlotEnvironment, 'syscall'> {
  readonly registry: AppRegistry;
  /** The services an app's non-call syscalls are served from. */
  servicesFor(app: AppManifest): AppServices;
  /** The platform's network device (absent: no sockets at all). */
  readonly network?: PlatformNetwork;
}

export class Kernel {
  readonly #slots = new Map<string, AppSlot>();
  readonly #services = new Map<string, AppServices>();
  readonly #heciOwners = new Map<string, { app: string; maxMessageBytes: number }>();

  constructor(readonly env: KernelEnvironment) {}

  /** Creates the app's slot (capabilities minted) without starting it. @throws KernelError VME_ERR_APP_MODULE */
  load(manifest: AppManifest): AppSlot {
    const entry = Object.hasOwn(this.env.registry, manifest.name) ? this.env.registry[manifest.name] : undefined;
    if (!entry) kernelFail('VME_ERR_APP_MODULE', `no code for app ${JSON.stringify(manifest.name)} in this build`, { app: manifest.name });
    const capabilities = mintCapabilities(manifest.name, manifest.grants);
    const slot = new AppSlot(manifest, capabilities, entry, {
      ...this.env,
      syscall: (s, capability, operation, args) => this.#syscall(s, capability, operation, args),
      instanceEnded: (s) => {
        this.#services.get(s.name)?.memory?.release();
        this.env.network?.instanceEnded(s);
      },
      onNet: (s, message) => this.env.network?.onNet(s, message),
      platformFacts: () => this.#services.get(manifest.name)?.facts.view(),
    });
    this.#slots.set(manifest.name, slot);
    const network = this.env.network?.register(slot, manifest.grants.networkListeners);
    const services: AppServices = { ...this.env.servicesFor(manifest), ...(network ? { network } : {}) };
    this.#services.set(manifest.name, services);
    services.facts.subscribe((facts) => slot.pushFacts(facts)); // pushed, so reading them is no syscall per request
    for (const client of manifest.grants.heciClients) this.#heciOwners.set(client.uuid, { app: manifest.name, maxMessageBytes: client.maxMessageBytes });
    this.env.trace.record('kernel', { kind: 'app-loaded', app: manifest.name, capabilities: capabilities.size });
    return slot;
  }

  get apps(): AppStatus[] {
    return [...this.#slots.values()].map((slot) => slot.status());
  }

  slot(name: string): AppSlot | undefined {
    return this.#slots.get(name);
  }

  /**
   * A call into an app's declared interface on behalf of `caller` (an app, or KERNEL_CALLER).
   * @throws KernelError VME_ERR_IPC_DENIED, VME_ERR_IPC_INVALID, VME_ERR_APP_UNAVAILABLE, VME_ERR_APP_FAULT; AppError from the callee
   */
  async call(caller: string, callee: string, operation: string, args: unknown): Promise<unknown> {
    const target = this.#slots.get(callee);
    const spec = target?.entry.interface;
    try {
      if (!target || !spec) kernelFail('VME_ERR_IPC_DENIED', `${callee} serves no interface`, { app: callee });
      checkCall(spec, operation, caller, args);
    } catch (error) {
      this.env.trace.record('audit', { kind: 'call-denied', caller, callee, operation, code: (error as KernelError).code });
      throw error;
    }
    this.env.trace.count('ipc.calls');
    const reply = await target.request({ kind: 'call', caller, operation, args });
    checkReply(spec, operation, reply);
    this.env.trace.record('ipc', { kind: 'call', caller, callee, operation, ok: true });
    return reply;
  }

  /**
   * The HECI seam: a host message to a firmware client, served by the app granted that client.
   * @throws KernelError VME_ERR_CAPABILITY_DENIED (no such client), VME_ERR_IPC_INVALID (too long), as `call` otherwise
   */
  async handleHostMessage(client: string, bytes: Uint8Array): Promise<Uint8Array> {
    const owner = this.#heciOwners.get(client);
    if (!owner) kernelFail('VME_ERR_CAPABILITY_DENIED', `no app serves HECI client ${client}`, { client });
    if (!(bytes instanceof Uint8Array) || bytes.length > owner.maxMessageBytes) kernelFail('VME_ERR_IPC_INVALID', `host message of ${bytes.length} bytes exceeds ${owner.maxMessageBytes}`, { client });
    const slot = this.#slots.get(owner.app);
    let ok = false;
    try {
      const reply = await (slot as AppSlot).request({ kind: 'host-message', client, bytes });
      if (!(reply instanceof Uint8Array) || reply.length > owner.maxMessageBytes) kernelFail('VME_ERR_IPC_INVALID', `${owner.app} replied with something other than at most ${owner.maxMessageBytes} bytes`);
      ok = true;
      return reply;
    } finally {
      this.env.trace.record('host', { kind: 'host-message', client, app: owner.app, bytes: bytes.length, ok });
    }
  }

  /**
   * The HECI seam's connection events: a host connected to or disconnected from a firmware client;
   * the app granted that client hears it (`onHostConnection`). The caller keeps the order with the
   * client's messages (src/heci/engine-seam.ts waits for this before the next message).
   * @throws KernelError VME_ERR_CAPABILITY_DENIED (no such client), VME_ERR_IPC_INVALID (unknown event), VME_ERR_APP_UNAVAILABLE / VME_ERR_APP_FAULT
   */
  async handleHostConnection(client: string, event: HostConnectionEvent): Promise<void> {
    const owner = this.#heciOwners.get(client);
    if (!owner) kernelFail('VME_ERR_CAPABILITY_DENIED', `no app serves HECI client ${client}`, { client });
    if (event !== 'connected' && event !== 'disconnected') kernelFail('VME_ERR_IPC_INVALID', `unknown HECI connection event ${JSON.stringify(event)}`, { client });
    let ok = false;
    try {
      await (this.#slots.get(owner.app) as AppSlot).request({ kind: 'host-connection', client, event });
      ok = true;
    } finally {
      this.env.trace.record('host', { kind: 'host-connection', client, app: owner.app, event, ok });
    }
  }

  /**
   * The host UART's output for an app that opened `host:serial` (the machine's relay subscribes
   * it and sends one delivery at a time). An app not running drops it (the relay keeps going).
   * @throws KernelError VME_ERR_CAPABILITY_DENIED (no such app or no host:serial grant), as `call` otherwise
   */
  async handleHostSerial(app: string, bytes: Uint8Array): Promise<void> {
    const slot = this.#slots.get(app);
    if (!slot?.capabilities.lookup('host:serial')) kernelFail('VME_ERR_CAPABILITY_DENIED', `${app} holds no host:serial line`, { app });
    this.env.trace.count('host.serial-deliveries');
    await slot.request({ kind: 'host-serial', bytes });
  }

  /**
   * IDE-R: the host reads blocks of media an app attached through `host:boot`. The app's answer must
   * be bytes of at most 64 KiB.
   * @throws KernelError VME_ERR_CAPABILITY_DENIED (no such app or no host:boot grant), VME_ERR_IPC_INVALID (a bad answer), as `call` otherwise
   */
  async handleHostMediaRead(app: string, device: string, lba: number, count: number): Promise<Uint8Array> {
    const slot = this.#slots.get(app);
    if (!slot?.capabilities.lookup('host:boot')) kernelFail('VME_ERR_CAPABILITY_DENIED', `${app} holds no host:boot line`, { app });
    this.env.trace.count('host.media-reads');
    const bytes = await slot.request({ kind: 'host-media-read', device, lba, count });
    if (!(bytes instanceof Uint8Array) || bytes.length > 65536) kernelFail('VME_ERR_IPC_INVALID', `${app} answered a media read with ${bytes instanceof Uint8Array ? `${bytes.length} bytes` : typeof bytes}`, { app });
    return bytes;
  }

  /** Where each of an app's engine-memory pages is now, by the app's page number (diagnostics, host-attack tests). */
  pageLocations(app: string): { page: number; location: PageLocation }[] {
    return this.#services.get(app)?.memory?.locations() ?? [];
  }

  /** Stops every instance (their workers stay for other platforms). */
  stop(): void {
    for (const slot of this.#slots.values()) slot.stop();
  }

  async #syscall(slot: AppSlot, capabilityId: string, operation: string, args: unknown): Promise<unknown> {
    const capability = slot.capabilities.lookup(capabilityId);
    if (!capability) {
      this.env.trace.record('audit', { kind: 'capability-denied', app: slot.name, capability: String(capabilityId).slice(0, 80), operation: String(operation).slice(0, 40), reason: 'not granted' });
      kernelFail('VME_ERR_CAPABILITY_DENIED', `${slot.name} holds no capability ${JSON.stringify(capabilityId)}`, { app: slot.name, capability: capabilityId });
    }
    this.env.trace.count('kernel.syscalls');
    if (capability.grant.kind === 'call') {
      return this.#callFrom(slot.name, capability.grant.app, operation, args);
    }
    const services = this.#services.get(slot.name) as AppServices;
    services.memory?.bind(slot.incarnation);
    try {
      return await serveSyscall(capability, operation, args, services);
    } catch (error) {
      if (error instanceof KernelError && error.code === 'VME_ERR_CAPABILITY_DENIED') {
        this.env.trace.record('audit', { kind: 'capability-denied', app: slot.name, capability: capabilityId, operation: String(operation).slice(0, 40), reason: error.message });
      }
      throw classifySyscallError(error, { app: slot.name, incarnation: slot.incarnation, kind: capability.grant.kind, operation, args, nvramDown: services.nvram instanceof Error }, this.env.trace);
    }
  }

  async #callFrom(caller: string, callee: string, operation: string, args: unknown): Promise<unknown> {
    try {
      return await this.call(caller, callee, operation, args);
    } catch (error) {
      if (!(error instanceof KernelError) || !error.code.startsWith('VME_ERR_IPC')) this.env.trace.record('ipc', { kind: 'call', caller, callee, operation, ok: false });
      throw error;
    }
  }
}
