/**
 * One open file of the host MEI driver (one `open("/dev/mei0")`): connect by client UUID, then
 * whole-message write and read, and notification set/get, with the driver's errno for every
 * refusal. Credits: the engine's FLOW_CONTROL lets a queued write leave; the file grants the engine
 * one credit at a time while its unread queue has room. [brief me-internals §3.3–3.4; Linux
 * drivers/misc/mei/main.c `mei_write`/`mei_read`/`mei_ioctl_connect_client`, client.c]
 */
import { fail, MeiErrnoError, type ErrnoName } from './errno.js';
import { copyBytes, MessageAssembly } from './bytes.js';
import { encodeFragment, type MeiHeader } from './header.js';
import { CONNECT_STATUS, encodeHbm, HBM_STATUS, type HbmFields } from './hbm.js';
import type { EnumeratedClient, MeiHostDriver } from './host-driver.js';
import { DeadlineList, type Deadline } from './deadlines.js';

/** IOCTL_MEI_CONNECT_CLIENT's answer. */
export interface ConnectResult {
  readonly maxMessageLength: number;
  readonly protocolVersion: number;
}

export type FileState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'closed';

/** Connect status → errno [Linux hbm.c `mei_cl_conn_status_to_errno`]. */
export const CONNECT_ERRNO: Readonly<Record<number, ErrnoName>> = {
  [CONNECT_STATUS.notFound]: 'ENOTTY',
  [CONNECT_STATUS.alreadyStarted]: 'EBUSY',
  [CONNECT_STATUS.outOfResources]: 'EBUSY',
  [CONNECT_STATUS.messageSmall]: 'EINVAL',
  [CONNECT_STATUS.notAllowed]: 'EBUSY',
};

/** A received message, or the error that replaced it (an over-long message reads as EMSGSIZE). */
type Received = { readonly message: Uint8Array } | { readonly errno: ErrnoName };

interface Waiter<T> extends Deadline {
  readonly resolve: (value: T) => void;
  readonly reject: (error: Error) => void;
}

/** Engine credits a file banks; the engine grants one per message it can take. */
const MAX_ENGINE_CREDITS = 8;

export class MeiFile {
  state: FileState = 'idle';
  meAddress = 0;
  hostAddress = 0;
  #client: EnumeratedClient | undefined;
  #flowControlFrame: Uint8Array | undefined;
  #engineCredits = 0;
  #creditGranted = false;
  #assembly = new MessageAssembly();
  #assemblyOverflow = false;
  #notificationPending = false;
  readonly #transmitQueue: Uint8Array[] = [];
  readonly #received: Received[] = [];
  readonly #readers = new DeadlineList<Waiter<Uint8Array>>();
  readonly #notificationWaiters = new DeadlineList<Waiter<boolean>>();

  constructor(private readonly driver: MeiHostDriver) {}

  /**
   * IOCTL_MEI_CONNECT_CLIENT.
   * @throws MeiErrnoError EBADF closed, ENODEV engine not ready, EBUSY already connected / client busy
   *   or at its limit, ENOTTY unknown client, EMFILE no host address, EINVAL refused as malformed
   */
  async connect(uuid: string): Promise<ConnectResult> {
    this.#checkOpen();
    if (this.driver.state !== 'ready') fail('ENODEV', 'the engine is not ready');
    if (this.state === 'connecting' || this.state === 'connected') fail('EBUSY', 'this file is already connected');
    const client = this.driver.client(uuid) ?? fail('ENOTTY', `no firmware client ${uuid}`);
    const hostAddress = this.driver.claimHostAddress(this);
    this.state = 'connecting';
    this.meAddress = client.meAddress;
    this.hostAddress = hostAddress;
    this.#engineCredits = 0;
    const answer = await this.driver.request('clientConnectRequest', { meAddress: client.meAddress, hostAddress }, (m) => (
      m.name === 'clientConnectResponse' && m.fields.meAddress === client.meAddress && m.fields.hostAddress === hostAddress
    )).catch((error: unknown) => {
      this.#detach('idle');
      throw error;
    });
    const stateNow: FileState = this.state as FileState;
    if (stateNow !== 'connecting') fail(stateNow === 'closed' ? 'EBADF' : 'ENODEV', 'the file was closed or the engine went down while connecting');
    const errno = CONNECT_ERRNO[(answer.fields as HbmFields<'clientConnectResponse'>).status];
    if (errno !== undefined || (answer.fields as HbmFields<'clientConnectResponse'>).status !== CONNECT_STATUS.success) {
      this.#detach('idle');
      fail(errno ?? 'EINVAL', `the engine refused the connection to ${client.uuid}`);
    }
    this.state = 'connected';
    this.#client = client;
    this.#assembly = new MessageAssembly(client.maxMessageLength);
    this.#flowControlFrame = encodeFragment(0, 0, encodeHbm('flowControl', { meAddress: client.meAddress, hostAddress }), true);
    this.#grantCredit();
    this.#flush();
    return { maxMessageLength: client.maxMessageLength, protocolVersion: client.protocolVersion };
  }

  /**
   * write(): queues one whole message; it leaves when the engine has granted a credit.
   * @returns the bytes accepted (0 for an empty write, which sends nothing)
   * @throws MeiErrnoError EBADF, ENODEV not connected, EFBIG over the maximum, EAGAIN queue full (no credit)
   */
  write(message: Uint8Array): number {
    this.#checkOpen();
    const client = this.state === 'connected' ? this.#client : undefined;
    if (client === undefined) return fail('ENODEV', 'not connected');
    if (message.length > client.maxMessageLength) fail('EFBIG', `${message.length} bytes exceed the client's maximum of ${client.maxMessageLength}`);
    if (message.length === 0) return 0;
    if (this.#transmitQueue.length >= this.driver.transmitQueueLimit) fail('EAGAIN', `no credit and ${this.#transmitQueue.length} messages already queued`);
    this.#transmitQueue.push(copyBytes(message));
    this.#flush();
    return message.length;
  }

  /**
   * read(): the next whole message. `timeoutMs` 0 is O_NONBLOCK; otherwise it waits that long (poll).
   * @throws MeiErrnoError EBADF, ENODEV not connected / disconnected while waiting, EAGAIN, ETIMEDOUT, EMSGSIZE
   */
  read(timeoutMs: number): Promise<Uint8Array> {
    try {
      this.#checkOpen();
      const next = this.#received.shift();
      if (next !== undefined) {
        this.#grantCredit();
        return 'errno' in next ? Promise.reject(new MeiErrnoError(next.errno, 'the engine sent a message over the maximum length')) : Promise.resolve(next.message);
      }
      if (this.state !== 'connected') fail('ENODEV', 'not connected');
      if (timeoutMs <= 0) fail('EAGAIN', 'no message yet');
      return this.#wait(this.#readers, timeoutMs, 'no message');
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /**
   * IOCTL_MEI_NOTIFY_SET.
   * @throws MeiErrnoError EBADF, ENODEV, EOPNOTSUPP (HBM below 2.0), EINVAL refused
   */
  async setNotify(enable: boolean): Promise<void> {
    this.#checkOpen();
    if (this.state !== 'connected') fail('ENODEV', 'not connected');
    if ((this.driver.negotiated?.major ?? 0) < 2) fail('EOPNOTSUPP', 'notifications need HBM 2.0');
    const { meAddress, hostAddress } = this;
    const answer = await this.driver.request('notifyRequest', { meAddress, hostAddress, start: enable ? 1 : 0 }, (m) => (
      m.name === 'notifyResponse' && m.fields.meAddress === meAddress && m.fields.hostAddress === hostAddress
    ));
    const status = (answer.fields as HbmFields<'notifyResponse'>).status;
    const fine: number[] = [HBM_STATUS.success, enable ? HBM_STATUS.alreadyStarted : HBM_STATUS.notStarted];
    if (!fine.includes(status)) fail('EINVAL', `the engine answered notify with status ${status}`);
  }

  /**
   * IOCTL_MEI_NOTIFY_GET: true once a notification arrived. `timeoutMs` 0 answers at once.
   * @throws MeiErrnoError EBADF, ENODEV, ETIMEDOUT
   */
  waitNotification(timeoutMs: number): Promise<boolean> {
    try {
      this.#checkOpen();
      if (this.#notificationPending) {
        this.#notificationPending = false;
        return Promise.resolve(true);
      }
      if (this.state !== 'connected') fail('ENODEV', 'not connected');
      if (timeoutMs <= 0) return Promise.resolve(false);
      return this.#wait(this.#notificationWaiters, timeoutMs, 'no notification');
    } catch (error) {
      return Promise.reject(error as Error);
    }
  }

  /** close(): disconnects (CLIENT_DISCONNECT) and frees the host address; waits end with EBADF. */
  close(): void {
    if (this.state === 'closed') return;
    if (this.state === 'connected' || this.state === 'connecting') {
      const { meAddress, hostAddress } = this;
      void this.driver.request('clientDisconnectRequest', { meAddress, hostAddress }, (m) => (
        m.name === 'clientDisconnectResponse' && m.fields.meAddress === meAddress && m.fields.hostAddress === hostAddress
      )).catch(() => undefined);
    }
    this.#detach('closed');
  }

  // ---- from the driver ----

  /** A fragment for this file; false when it is not acceptable (the driver counts it). */
  receiveFragment(header: MeiHeader, payload: Uint8Array): boolean {
    const client = this.#client;
    if (this.state !== 'connected' || client === undefined || header.meAddress !== this.meAddress || !this.#creditGranted) return false;
    if (this.#assemblyOverflow || this.#assembly.length + payload.length > client.maxMessageLength) this.#assemblyOverflow = true;
    else this.#assembly.append(payload);
    if (header.messageComplete) this.#complete();
    return true;
  }

  engineCredit(): void {
    if (this.state !== 'connecting' && this.state !== 'connected') return;
    this.#engineCredits = Math.min(this.#engineCredits + 1, MAX_ENGINE_CREDITS);
    this.#flush();
  }

  engineNotification(): void {
    const waiter = this.#notificationWaiters.first();
    if (waiter === undefined) this.#notificationPending = true;
    else {
      this.#notificationWaiters.remove(waiter);
      waiter.resolve(true);
    }
  }

  /** The engine disconnected this file (or went down): reads and writes now fail with ENODEV. */
  engineDisconnected(): void {
    if (this.state !== 'closed') this.#detach('disconnected');
  }

  // ---- internals ----

  #complete(): void {
    const entry: Received = this.#assemblyOverflow ? { errno: 'EMSGSIZE' } : { message: this.#assembly.take() };
    this.#assembly.clear();
    this.#assemblyOverflow = false;
    this.#creditGranted = false;
    const reader = this.#readers.first();
    if (reader === undefined) this.#received.push(entry);
    else {
      this.#readers.remove(reader);
      if ('errno' in entry) reader.reject(new MeiErrnoError(entry.errno, 'the engine sent a message over the maximum length'));
      else reader.resolve(entry.message);
    }
    this.#grantCredit();
  }

  #grantCredit(): void {
    if (this.state !== 'connected' || this.#creditGranted || this.#received.length >= this.driver.receiveQueueLimit) return;
    this.#creditGranted = true;
    if (this.#flowControlFrame !== undefined) this.driver.transmit(this.#flowControlFrame);
  }

  #flush(): void {
    while (this.state === 'connected' && this.#engineCredits > 0) {
      const message = this.#transmitQueue.shift();
      if (message === undefined) return;
      this.#engineCredits -= 1;
      const size = this.driver.fragmentBytes;
      for (let offset = 0; offset < message.length; offset += size) {
        const end = Math.min(offset + size, message.length);
        this.driver.transmit(encodeFragment(this.meAddress, this.hostAddress, message.subarray(offset, end), end === message.length));
      }
    }
  }

  #wait<T>(list: DeadlineList<Waiter<T>>, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const expire = (): void => reject(new MeiErrnoError('ETIMEDOUT', `${what} within ${timeoutMs} ms`));
      list.add({ resolve, reject, expiresAt: Date.now() + timeoutMs, expire });
    });
  }

  #detach(state: 'idle' | 'disconnected' | 'closed'): void {
    this.driver.releaseHostAddress(this.hostAddress, this);
    this.state = state;
    this.#client = undefined;
    this.#engineCredits = 0;
    this.#creditGranted = false;
    this.#assembly.clear(true);
    this.#transmitQueue.length = 0;
    this.#received.length = 0;
    const errno: ErrnoName = state === 'closed' ? 'EBADF' : 'ENODEV';
    const waiters: Waiter<unknown>[] = [...this.#readers.drain(), ...this.#notificationWaiters.drain()] as Waiter<unknown>[];
    for (const waiter of waiters) waiter.reject(new MeiErrnoError(errno, state === 'closed' ? 'the file was closed' : 'the connection ended'));
  }

  #checkOpen(): void {
    if (this.state === 'closed') fail('EBADF', 'the file is closed');
  }
}
