/**
 * Entry point of an app-host worker: one worker runs one app kind (its module, named in
 * `workerData.moduleUrl`) for every platform in the process. It keeps one instance per platform,
 * answers the kernel's requests and turns the app's needs into syscalls. An app that throws
 * anything but an `AppError` faults its instance: the reply says so and the instance is dropped.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AppDefinition, AppInstance } from '../app-api.js';
import { toWireError } from '../errors.js';
import type { InterfaceSpec } from '../interfaces.js';
import type { KernelToWorker, NetToWorker, RequestBody } from '../protocol.js';
import { AppError } from '../errors.js';
import { createAppContext, SyscallTable, type FactsCell } from './app-context.js';
import { InstanceNet } from './app-net.js';

interface Slot {
  readonly syscalls: SyscallTable;
  readonly net: InstanceNet;
  instance: AppInstance<InterfaceSpec | undefined> | undefined;
}

const port = parentPort;
if (!port) throw new Error('app-worker must run in a worker thread');
const { moduleUrl } = workerData as { moduleUrl: string };
const loaded = import(moduleUrl).then((module: { default?: AppDefinition }) => {
  if (typeof module.default?.start !== 'function') throw new Error(`${moduleUrl} does not default-export defineApp(...)`);
  return module.default;
});
const slots = new Map<number, Slot>();
/** Each instance's pushed platform facts, from its `start` on (a `facts` message may arrive while it starts). */
const facts = new Map<number, FactsCell>();

async function perform(instance: number, body: RequestBody): Promise<unknown> {
  const definition = await loaded;
  if (body.kind === 'start') {
    const syscalls = new SyscallTable(port as NonNullable<typeof port>, instance);
    const slot: Slot = { syscalls, net: new InstanceNet(port as NonNullable<typeof port>, instance), instance: undefined };
    slots.set(instance, slot);
    slot.instance = await definition.start(createAppContext(body.app, body.platform, body.capabilities, syscalls, facts.get(instance)));
    return {};
  }
  const running = slots.get(instance)?.instance;
  if (!running) throw new AppError('not-running', `instance ${instance} is not running`);
  if (body.kind === 'host-message') {
    if (!running.onHostMessage) throw new AppError('no-host-interface', 'this app serves no host messages');
    return running.onHostMessage(body.client, body.bytes);
  }
  if (body.kind === 'host-connection') {
    await running.onHostConnection?.(body.client, body.event);
    return {};
  }
  if (body.kind === 'host-media-read') {
    if (!running.onHostMediaRead) throw new AppError('no-media', 'this app serves no host media');
    return running.onHostMediaRead(body.device, body.lba, body.count);
  }
  if (body.kind === 'host-serial') {
    await running.onHostSerial?.(body.bytes);
    return {};
  }
  if (body.kind === 'datagram') {
    if (!running.onDatagram) throw new AppError('no-datagram-handler', 'this app serves no datagrams');
    return running.onDatagram(body.port, body.remote, body.bytes);
  }
  const handler = (running.handlers as Record<string, ((args: unknown, caller: string) => unknown) | undefined> | undefined)?.[body.operation];
  if (typeof handler !== 'function') throw new AppError('not-implemented', `operation ${body.operation} is not implemented`);
  return handler(body.args, body.caller);
}

async function serve(instance: number, request: number, body: RequestBody): Promise<void> {
  try {
    const value = await perform(instance, body);
    port?.postMessage({ t: 'reply', instance, request, ok: true, value });
  } catch (error) {
    const fault = !(error instanceof AppError);
    if (fault) stop(instance);
    port?.postMessage({ t: 'reply', instance, request, ok: false, fault, error: toWireError(error) });
  }
}

/** A network event for an instance; a handler that throws faults the instance. */
function network(message: NetToWorker): void {
  const slot = slots.get(message.instance);
  if (!slot) return;
  try {
    slot.net.handle(slot.instance, message);
  } catch (error) {
    stop(message.instance);
    port?.postMessage({ t: 'fault', instance: message.instance, error: toWireError(error) });
  }
}

function stop(instance: number): void {
  const slot = slots.get(instance);
  slots.delete(instance);
  facts.delete(instance);
  slot?.net.clear();
  try {
    slot?.instance?.stop?.();
  } catch {
    // A failing stop() must not take the other instances down; the instance is gone either way.
  }
}

port.on('message', (message: KernelToWorker) => {
  switch (message.t) {
    case 'request':
      if (message.body.kind === 'start') facts.set(message.instance, { view: message.body.facts });
      void serve(message.instance, message.request, message.body);
      break;
    case 'facts': {
      const cell = facts.get(message.instance);
      if (cell) cell.view = message.facts;
      break;
    }
    case 'syscall-reply':
      slots.get(message.instance)?.syscalls.settle(message.call, message.ok, message.ok ? message.value : undefined, message.ok ? undefined : message.error);
      break;
    case 'stop':
      stop(message.instance);
      break;
    case 'ping':
      for (const slot of slots.values()) slot.net.flush(); // the kernel reads a pong as "every earlier ack has arrived"
      port.postMessage({ t: 'pong', nonce: message.nonce });
      break;
    default:
      network(message);
  }
});
