/**
 * IDE redirection in the AMT app (issue 6 §1): a console serves a CD or floppy image over an
 * `IDER` redirection session, and the host sees it in its IDE-R drive. One IDER session at a time
 * (another start answers 2, busy); IDER needs AMT_RedirectionService's IDER switch and the
 * listener, IDER enabled in MEBx and, where IPS_OptInService requires it (client control mode:
 * always), the user's consent (else 3). When the console enables the IDE registers, the
 * service asks each drive TEST UNIT READY (once more after a unit attention) and READ CAPACITY,
 * and attaches the drives that have media to the host (`host:boot` syscall `media`). The host's
 * block reads (kernel `onHostMediaRead`) become READ(10) commands on the session; a read the
 * console does not answer within READ_TIMEOUT_MS fails. Disabling the registers or the session's
 * end detaches the media. The session opening (the console's OpenSession answered) puts a
 * required consent "in session" and is audited as IDER Session Opened (1800); its end releases
 * the consent (the next session needs a new code) and is audited as IDER Session Closed (1801).
 */
import { recordAudit } from '../../amt/accounts/index.js';
import type { RemoteEndpoint } from '../../amt/auth/index.js';
import { currentOptInPhase, OPT_IN_PHASE, optInRequiredFor, setOptInSession } from '../../amt/wsman/classes/opt-in.js';
import { redirectionFeatures } from '../../amt/wsman/classes/redirection.js';
import { atapi, IDER_BLOCK_BYTES, parseReadCapacity, SENSE_KEY, START_STATUS, type IderDevice, type IderDriveName, type IderEvent } from '../../protocols/redirection/index.js';
import type { AmtRuntime } from './runtime.js';
import { commit, serialized } from './transaction.js';

/** A command the console has not answered in this time fails (below the kernel's 5 s request deadline). */
export const READ_TIMEOUT_MS = 4000;
/** Most blocks one host read may ask for (the kernel carries at most 64 KiB per answer). */
const MAX_READ_BYTES = 65536;

const HOST_DEVICE: Readonly<Record<IderDriveName, 'ider-cd' | 'ider-floppy'>> = { cd: 'ider-cd', floppy: 'ider-floppy' };

export class IderCommandError extends Error {
  constructor(readonly reason: string, readonly sense = 0, readonly asc = 0, readonly ascq = 0) {
    super(`IDER command failed: ${reason}${sense ? ` (sense ${sense}, ASC 0x${asc.toString(16)}, ASCQ 0x${ascq.toString(16)})` : ''}`);
  }
}

interface Waiting {
  resolve(data: Uint8Array): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

/** One connection's IDER commands: written through its session, answered by its events. */
export class IderChannel {
  readonly #waiting = new Map<number, Waiting>();
  #closed = false;

  constructor(private readonly device: () => IderDevice | undefined, private readonly write: (frame: Uint8Array) => void, readonly user: string, readonly remote: RemoteEndpoint) {}

  /** Writes one ATAPI packet; resolves with the data the console sent back. */
  command(drive: IderDriveName, packet: Uint8Array): Promise<Uint8Array> {
    const ider = this.device();
    if (this.#closed || ider === undefined) return Promise.reject(new IderCommandError('no IDER session'));
    const { id, output } = ider.command(drive, packet);
    for (const frame of output) this.write(frame);
    return new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => this.#settle(id, new IderCommandError('timeout')), READ_TIMEOUT_MS);
      this.#waiting.set(id, { resolve, reject, timer });
    });
  }

  /** A session event: a command's end. */
  onEvent(event: IderEvent): void {
    if (event.kind === 'command-done') this.#settle(event.id, event.data);
    else if (event.kind === 'command-failed') this.#settle(event.id, new IderCommandError(event.reason, event.sense, event.asc, event.ascq));
  }

  /** The connection ended: every command waiting fails. */
  close(): void {
    this.#closed = true;
    for (const id of [...this.#waiting.keys()]) this.#settle(id, new IderCommandError('closed'));
  }

  #settle(id: number, outcome: Uint8Array | Error): void {
    const waiting = this.#waiting.get(id);
    if (!waiting) return;
    this.#waiting.delete(id);
    clearTimeout(waiting.timer);
    if (outcome instanceof Error) waiting.reject(outcome);
    else waiting.resolve(outcome);
  }
}

export class IderService {
  #active: IderChannel | undefined;
  /** Sessions opened (OpenSession answered) and not yet ended: the one audited, holding the consent. */
  readonly #open = new Set<IderChannel>();
  readonly #attached = new Set<IderDriveName>();

  /** MEBx's IDER switch, as last read (`refresh` on every new connection, before its start can arrive). */
  #mebxIder = false;

  constructor(private readonly runtime: AmtRuntime) {
    this.refresh();
  }

  /** Re-reads MEBx's IDER switch. */
  refresh(): void {
    void this.runtime.store.mebx().then((settings) => (this.#mebxIder = settings.features.ider), () => (this.#mebxIder = false));
  }

  /** StartRedirectionSession `IDER`: 0 admits, 3 disabled, 2 busy, 3 no user consent where it is required [status unverified]. */
  admission(): number {
    const { committed, device } = this.runtime;
    if (!this.#mebxIder || !redirectionFeatures(committed).ider) return START_STATUS.unsupported;
    if (this.#active !== undefined || this.#open.size > 0) return START_STATUS.busy; // before consent: the open session holds it
    if (optInRequiredFor(committed, 'ider') && currentOptInPhase(committed, device.now(), device.powerState) !== OPT_IN_PHASE.received) return START_STATUS.unsupported;
    return START_STATUS.success;
  }

  /**
   * The console opened IDER on `channel` (after its login): false when another IDER session is
   * open or the required consent is gone meanwhile (the caller closes the connection); else the
   * consent goes in session and the opening is audited.
   */
  opened(channel: IderChannel): boolean {
    const { committed, device } = this.runtime;
    if (this.#open.size > 0 || (this.#active !== undefined && this.#active !== channel)) return false;
    const consent = optInRequiredFor(committed, 'ider');
    if (consent && currentOptInPhase(committed, device.now(), device.powerState) !== OPT_IN_PHASE.received) return false;
    this.#open.add(channel);
    this.#record(channel, true, consent);
    return true;
  }

  /** The drives attached to the host now. */
  get attached(): readonly IderDriveName[] {
    return [...this.#attached];
  }

  /** The console enabled the IDE registers on `channel`: probe the drives, attach those with media. */
  async enabled(channel: IderChannel): Promise<void> {
    if (!this.#open.has(channel) || (this.#active !== undefined && this.#active !== channel)) return;
    this.#active = channel;
    for (const drive of ['cd', 'floppy'] as const) {
      const blocks = await this.#probe(channel, drive);
      if (blocks === undefined || this.#active !== channel) continue;
      const description = `IDE-R ${drive === 'cd' ? 'CD' : 'floppy'} from ${channel.remote.address} (${blocks} blocks)`;
      const args = { action: 'attach', device: HOST_DEVICE[drive], description, blockSize: IDER_BLOCK_BYTES[drive], blocks };
      const reply = await this.runtime.context.invoke('host:boot', 'media', args).catch(() => undefined) as { accepted?: boolean } | undefined;
      if (reply?.accepted) this.#attached.add(drive);
    }
  }

  /** The IDER session of `channel` ended (closed, or the connection went): detach its media, release the consent, audit. */
  async ended(channel: IderChannel): Promise<void> {
    channel.close();
    if (this.#open.delete(channel)) this.#record(channel, false, true);
    await this.disabled(channel);
  }

  /** The console disabled the IDE registers on `channel` (or its session ended): detach its media. */
  async disabled(channel: IderChannel): Promise<void> {
    if (this.#active !== channel) return;
    this.#active = undefined;
    for (const drive of [...this.#attached]) {
      this.#attached.delete(drive);
      const args = { action: 'detach', device: HOST_DEVICE[drive], description: '', blockSize: 0, blocks: 0 };
      await this.runtime.context.invoke('host:boot', 'media', args).catch(() => undefined);
    }
  }

  /** The host reads `count` blocks at `lba` of an IDE-R drive (kernel `onHostMediaRead`). */
  async read(device: string, lba: number, count: number): Promise<Uint8Array> {
    const drive: IderDriveName | undefined = device === 'ider-cd' ? 'cd' : device === 'ider-floppy' ? 'floppy' : undefined;
    const channel = this.#active;
    if (drive === undefined || channel === undefined || !this.#attached.has(drive)) throw new IderCommandError(`no media in ${device}`);
    if (!Number.isSafeInteger(lba) || lba < 0 || !Number.isSafeInteger(count) || count < 1 || count * IDER_BLOCK_BYTES[drive] > MAX_READ_BYTES) throw new IderCommandError(`bad read of ${count} blocks at ${lba}`);
    const data = await channel.command(drive, atapi.read10(lba, count));
    if (data.length !== count * IDER_BLOCK_BYTES[drive]) throw new IderCommandError(`short read: ${data.length} bytes`);
    return data;
  }

  /** IDER Session Opened/Closed in the audit log; `consent`: put it in session (opened) or end it (closed). */
  #record(channel: IderChannel, opened: boolean, consent: boolean): void {
    const runtime = this.runtime;
    void serialized(runtime, async () => {
      if (consent) setOptInSession(runtime.state, runtime.device.now(), opened);
      recordAudit(runtime.state, { kind: opened ? 'ider-session-opened' : 'ider-session-closed', by: { kind: 'digest', user: channel.user }, at: runtime.device.now(), address: channel.remote.address });
      await commit(runtime);
    }).catch(() => undefined);
  }

  /** TEST UNIT READY (again after a unit attention), then READ CAPACITY: the block count, or undefined without media. */
  async #probe(channel: IderChannel, drive: IderDriveName): Promise<number | undefined> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        await channel.command(drive, atapi.testUnitReady());
        break;
      } catch (error) {
        if (!(error instanceof IderCommandError) || error.sense !== SENSE_KEY.unitAttention || attempt === 1) return undefined;
      }
    }
    const capacity = await channel.command(drive, atapi.readCapacity()).then(parseReadCapacity, () => undefined);
    return capacity?.blocks ?? 0;
  }
}
