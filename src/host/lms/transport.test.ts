// The MEI/HECI adapter of LMS with a fake MeiDevice: the LME UUID, EBUSY connect retries, ENOTTY,
// writes kept in order across EAGAIN retries, poll timeouts that are not errors, ENODEV → closed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MeiErrnoError, type ConnectResult, type ErrnoName } from '../../heci/index.js';
import { LME_CLIENT_UUID } from '../../protocols/apf/index.js';
import { openMeiTransport, type MeiLike } from './transport.js';

class FakeMei implements MeiLike {
  readonly connects: string[] = [];
  readonly sent: string[] = [];
  connectErrors: ErrnoName[] = [];
  sendErrors: ErrnoName[] = [];
  readonly inbox: (Uint8Array | ErrnoName)[] = [];
  closed = false;
  #waiting: (() => void) | undefined;

  connect(uuid: string): Promise<ConnectResult> {
    this.connects.push(uuid);
    const errno = this.connectErrors.shift();
    return errno ? Promise.reject(new MeiErrnoError(errno, 'fake')) : Promise.resolve({ maxMessageLength: 4096, protocolVersion: 1 });
  }

  async send(message: Uint8Array): Promise<number> {
    await new Promise((resolve) => setImmediate(resolve));
    const errno = this.sendErrors.shift();
    if (errno) throw new MeiErrnoError(errno, 'fake');
    this.sent.push(Buffer.from(message).toString());
    return message.length;
  }

  async receive(): Promise<Uint8Array> {
    while (this.inbox.length === 0) {
      if (this.closed) throw new MeiErrnoError('ENODEV', 'closed');
      await new Promise<void>((resolve) => { this.#waiting = resolve; setTimeout(resolve, 20); });
    }
    const next = this.inbox.shift() as Uint8Array | ErrnoName;
    if (typeof next === 'string') throw new MeiErrnoError(next, 'fake');
    return next;
  }

  push(item: Uint8Array | ErrnoName): void {
    this.inbox.push(item);
    this.#waiting?.();
  }

  close(): Promise<void> {
    this.closed = true;
    this.#waiting?.();
    return Promise.resolve();
  }
}

const settle = (ms = 50): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('connects the LME client, retrying while it is busy; maxMessageBytes from the connect reply', async () => {
  const mei = new FakeMei();
  mei.connectErrors = ['EBUSY', 'EBUSY'];
  const transport = await openMeiTransport(mei);
  assert.deepEqual(mei.connects, [LME_CLIENT_UUID, LME_CLIENT_UUID, LME_CLIENT_UUID]);
  assert.equal(transport.maxMessageBytes, 4096);
  await transport.close();
  assert.ok(mei.closed);
});

test('no LME client (ENOTTY): the error surfaces and the device is closed', async () => {
  const mei = new FakeMei();
  mei.connectErrors = ['ENOTTY'];
  await assert.rejects(openMeiTransport(mei), (e: unknown) => e instanceof MeiErrnoError && e.errno === 'ENOTTY');
  assert.ok(mei.closed);
});

test('writes stay in order while the driver has no credit (EAGAIN is retried)', async () => {
  const mei = new FakeMei();
  const transport = await openMeiTransport(mei, { retryDelayMs: 1 });
  mei.sendErrors = ['EAGAIN', 'EAGAIN'];
  await Promise.all(['one', 'two', 'three'].map((m) => transport.send(Buffer.from(m))));
  assert.deepEqual(mei.sent, ['one', 'two', 'three']);
  mei.sendErrors = ['EFBIG'];
  await assert.rejects(transport.send(Buffer.from('too big')), (e: unknown) => e instanceof MeiErrnoError && e.errno === 'EFBIG');
  await transport.send(Buffer.from('four'));
  assert.deepEqual(mei.sent.at(-1), 'four');
  await transport.close();
});

test('reads: timeouts poll again, messages are delivered, ENODEV ends the connection once', async () => {
  const mei = new FakeMei();
  const transport = await openMeiTransport(mei, { pollMs: 5 });
  const got: string[] = [];
  const closed: (Error | undefined)[] = [];
  transport.start({ message: (b) => got.push(Buffer.from(b).toString()), closed: (e) => closed.push(e) });
  mei.push('ETIMEDOUT');
  mei.push(Buffer.from('hello'));
  mei.push('EAGAIN');
  mei.push(Buffer.from('world'));
  await settle();
  assert.deepEqual(got, ['hello', 'world']);
  assert.equal(closed.length, 0);
  mei.push('ENODEV');
  await settle();
  assert.equal(closed.length, 1);
  assert.ok(closed[0] instanceof MeiErrnoError && closed[0].errno === 'ENODEV');
  assert.ok(mei.closed);
  await assert.rejects(transport.send(Buffer.from('late')), (e: unknown) => e instanceof MeiErrnoError && e.errno === 'EBADF');
});

test('close waits for queued writes, then closes the device; the reader ends without an error', async () => {
  const mei = new FakeMei();
  const transport = await openMeiTransport(mei);
  const closed: (Error | undefined)[] = [];
  transport.start({ message: () => undefined, closed: (e) => closed.push(e) });
  void transport.send(Buffer.from('DISCONNECT'));
  await transport.close();
  assert.deepEqual(mei.sent, ['DISCONNECT']);
  await settle();
  assert.deepEqual(closed, [undefined]);
});
