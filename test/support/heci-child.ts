/**
 * A host process for the HECI device tests and benchmark: it opens a platform's MEI device socket
 * with the host library and runs one scenario, printing JSON lines on stdout.
 * Usage: node heci-child.js <socket> <scenario> [uuid] [count]
 *   requests  — connect, echo `count` requests, check ENOTTY/EFBIG/EBUSY answers, close
 *   hold      — connect and keep the connection until killed
 *   half-frame — connect, then write half of a write frame and wait to be killed
 */
import { connect } from 'node:net';
import { MeiDevice, MeiErrnoError } from '../../src/heci/index.js';
import { CONNECT_REQUEST, DEVICE_OPERATION, encodeDeviceFrame } from '../../src/heci/socket-protocol.js';

const [socketPath = '', scenario = '', uuid = '', countText = '10'] = process.argv.slice(2);
const print = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value)}\n`);
};
const errnoOf = async (operation: Promise<unknown>): Promise<string> => operation.then(() => 'no error', (error: unknown) => (error instanceof MeiErrnoError ? error.errno : String(error)));
const forever = (): Promise<never> => new Promise(() => setInterval(() => undefined, 60_000));

async function requests(): Promise<void> {
  const device = await MeiDevice.open(socketPath);
  const connected = await device.connect(uuid);
  let echoed = 0;
  for (let index = 0; index < Number(countText); index++) {
    const message = Buffer.from(`request ${index} from ${process.pid}`);
    if (Buffer.from(await device.request(message)).equals(message)) echoed += 1;
  }
  const tooLong = await errnoOf(device.send(new Uint8Array(connected.maxMessageLength + 1)));
  const again = await errnoOf(device.connect(uuid));
  const other = await MeiDevice.open(socketPath);
  const unknown = await errnoOf(other.connect('00000000-0000-4000-8000-00000000dead'));
  await other.close();
  await device.close();
  print({ connected, echoed, tooLong, again, unknown });
}

async function hold(): Promise<void> {
  const device = await MeiDevice.open(socketPath);
  print({ connected: await device.connect(uuid) });
  await forever();
}

async function halfFrame(): Promise<void> {
  const socket = connect(socketPath);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(encodeDeviceFrame(DEVICE_OPERATION.connect, 1, CONNECT_REQUEST.serialize({ uuid })));
  await new Promise((resolve) => socket.once('data', resolve)); // the connect reply
  const frame = encodeDeviceFrame(DEVICE_OPERATION.write, 2, new Uint8Array(100).fill(0xab));
  socket.write(frame.subarray(0, 8 + 50));
  print({ halfWritten: 58 });
  await forever();
}

const scenarios: Record<string, () => Promise<void>> = { requests, hold, 'half-frame': halfFrame };
const run = scenarios[scenario];
if (run === undefined) {
  process.stderr.write(`unknown scenario ${scenario}\n`);
  process.exit(2);
}
await run();
