// HECI wire formats: golden bytes, round trips and pinned numbers for the MEI header, every HBM
// message, client UUIDs (uuid_le), the device socket frames, ioctl numbers and errno values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants } from 'node:os';
import {
  CONNECT_STATUS, decodeFragment, decodeHbm, encodeFragment, encodeHbm, HBM_COMMAND, HBM_MESSAGES, HBM_STATUS,
  LINUX_ERRNO, MEI_HEADER_BITS, packMeiHeader, unpackMeiHeader, uuidFromBytes, uuidToBytes, type HbmName,
} from '../src/heci/index.js';
import { DecodeError } from '../src/codec/index.js';
import { CONNECT_REPLY, DEVICE_FRAME, DEVICE_OPERATION, MEI_IOCTL, encodeDeviceFrame } from '../src/heci/socket-protocol.js';

const hex = (data: Uint8Array): string => Buffer.from(data).toString('hex');
const AMTHI = '12f80028-b4b7-4b2d-aca8-46e0ff65814c';

test('MEI header: bit positions pinned to hw.h struct mei_msg_hdr', () => {
  const layout = Object.fromEntries(Object.entries(MEI_HEADER_BITS.fields).map(([name, field]) => [name, [field.shift, field.width]]));
  assert.deepEqual(layout, {
    meAddress: [0, 8], hostAddress: [8, 8], length: [16, 9], reserved: [25, 4], dmaRing: [29, 1], internal: [30, 1], messageComplete: [31, 1],
  });
});

test('MEI header: golden bytes and round trip', () => {
  const frame = encodeFragment(7, 3, new Uint8Array(508), true);
  assert.equal(hex(frame.subarray(0, 4)), '0703fc81'); // me 7, host 3, length 0x1FC, msg_complete
  assert.equal(hex(encodeFragment(1, 2, Uint8Array.of(1, 2, 3, 4, 5), false)), '01020500' + '0102030405');
  const word = packMeiHeader({ meAddress: 0xaa, hostAddress: 0x55, length: 0x1ff, messageComplete: true, internal: true, dmaRing: true });
  assert.deepEqual(unpackMeiHeader(word), { meAddress: 0xaa, hostAddress: 0x55, length: 0x1ff, messageComplete: true, dmaRing: true, internal: true, reserved: 0 });
  assert.throws(() => packMeiHeader({ meAddress: 0, hostAddress: 0, length: 0x200 }), RangeError);
});

test('MEI fragment: truncated and trailing bytes are decode errors', () => {
  assert.throws(() => decodeFragment(Uint8Array.of(1, 2)), DecodeError);
  assert.throws(() => decodeFragment(Uint8Array.of(1, 2, 5, 0, 9)), /truncated/);
  assert.throws(() => decodeFragment(Uint8Array.of(1, 2, 0, 0, 9)), /trailing bytes/);
});

test('HBM command numbers pinned to the brief (me-internals §3.3)', () => {
  assert.deepEqual(HBM_COMMAND, {
    hostStartRequest: 0x01, hostStartResponse: 0x81, hostStopRequest: 0x02, hostStopResponse: 0x82, meStopRequest: 0x03,
    hostEnumerationRequest: 0x04, hostEnumerationResponse: 0x84, clientPropertiesRequest: 0x05, clientPropertiesResponse: 0x85,
    clientConnectRequest: 0x06, clientConnectResponse: 0x86, clientDisconnectRequest: 0x07, clientDisconnectResponse: 0x87,
    flowControl: 0x08, notifyRequest: 0x10, notifyResponse: 0x90, notification: 0x11,
  });
  assert.deepEqual(HBM_STATUS, { success: 0, clientNotFound: 1, alreadyExists: 2, rejected: 3, invalidParameter: 4, notAllowed: 5, alreadyStarted: 6, notStarted: 7 });
  assert.deepEqual(CONNECT_STATUS, { success: 0, notFound: 1, alreadyStarted: 2, outOfResources: 3, messageSmall: 4, notAllowed: 5 });
});

const bitmap = new Uint8Array(32);
bitmap[0] = 0b0000_0110; // me_addr 1 and 2
bitmap[1] = 0b0000_0010; // me_addr 9

/** One golden per message: fields, then the bytes with a comment per field. */
const GOLDEN: { [K in HbmName]: [Partial<Record<string, unknown>>, string] } = {
  hostStartRequest: [{ minorVersion: 2, majorVersion: 2 }, '01' + '00' + '02' + '02'], // cmd, reserved, minor, major
  hostStartResponse: [{ hostVersionSupported: 1, minorVersion: 2, majorVersion: 2 }, '81' + '01' + '02' + '02'], // cmd, supported, minor, major
  hostStopRequest: [{ reason: 0 }, '02' + '00' + '0000'], // cmd, reason, reserved[2]
  hostStopResponse: [{}, '82' + '000000'], // cmd, reserved[3]
  meStopRequest: [{ reason: 1 }, '03' + '01' + '0000'], // cmd, reason, reserved[2]
  hostEnumerationRequest: [{ flags: 2 }, '04' + '02' + '0000'], // cmd, flags (immediate reply), reserved[2]
  hostEnumerationResponse: [{ validAddresses: bitmap }, '84' + '000000' + '0602' + '00'.repeat(30)], // cmd, reserved[3], bitmap[32]
  clientPropertiesRequest: [{ meAddress: 7 }, '05' + '07' + '0000'], // cmd, me_addr, reserved[2]
  clientPropertiesResponse: [
    { meAddress: 7, status: 0, protocolName: AMTHI, protocolVersion: 1, maxConnections: 1, fixedAddress: 0, flags: 1, maxMessageLength: 4096 },
    '85' + '07' + '00' + '00' // cmd, me_addr, status, reserved
    + '2800f812b7b42d4baca846e0ff65814c' // protocol_name (uuid_le)
    + '01' + '01' + '00' + '01' // protocol_version, max_number_of_connections, fixed_address, single_recv_buf
    + '00100000', // max_msg_length 4096
  ],
  clientConnectRequest: [{ meAddress: 7, hostAddress: 3 }, '06' + '07' + '03' + '00'], // cmd, me_addr, host_addr, reserved
  clientConnectResponse: [{ meAddress: 7, hostAddress: 3, status: 3 }, '86' + '07' + '03' + '03'], // cmd, me_addr, host_addr, status
  clientDisconnectRequest: [{ meAddress: 7, hostAddress: 3 }, '07' + '07' + '03' + '00'],
  clientDisconnectResponse: [{ meAddress: 7, hostAddress: 3, status: 0 }, '87' + '07' + '03' + '00'],
  flowControl: [{ meAddress: 7, hostAddress: 3 }, '08' + '07' + '03' + '0000000000'], // cmd, me_addr, host_addr, reserved[5]
  notifyRequest: [{ meAddress: 7, hostAddress: 3, start: 1 }, '10' + '07' + '03' + '01'], // cmd, me_addr, host_addr, start
  notifyResponse: [{ meAddress: 7, hostAddress: 3, status: 0, start: 1 }, '90' + '07' + '03' + '00' + '01' + '000000'], // + status, start, reserved[3]
  notification: [{ meAddress: 7, hostAddress: 3 }, '11' + '07' + '03' + '00'], // cmd, me_addr, host_addr, reserved
};

for (const [name, [fields, golden]] of Object.entries(GOLDEN) as [HbmName, [Record<string, unknown>, string]][]) {
  test(`HBM ${name}: golden bytes, round trip, truncated and oversize`, () => {
    const encoded = encodeHbm(name, fields as never);
    assert.equal(hex(encoded), golden);
    assert.equal(encoded.length, HBM_MESSAGES[name].size);
    const decoded = decodeHbm(encoded);
    assert.equal(decoded.name, name);
    assert.equal(hex(encodeHbm(name, decoded.fields as never)), golden);
    for (const [field, value] of Object.entries(fields)) {
      const actual = (decoded.fields as Record<string, unknown>)[field];
      assert.deepEqual(actual instanceof Uint8Array ? hex(actual) : actual, value instanceof Uint8Array ? hex(value) : value, field);
    }
    assert.throws(() => decodeHbm(encoded.subarray(0, encoded.length - 1)), DecodeError);
    assert.throws(() => decodeHbm(Uint8Array.of(...encoded, 0)), /trailing bytes/);
  });
}

test('HBM: empty payload and unknown commands are decode errors', () => {
  assert.throws(() => decodeHbm(new Uint8Array(0)), /truncated/);
  assert.throws(() => decodeHbm(Uint8Array.of(0x7f, 0, 0, 0)), /unknown command/);
});

test('uuid_le: the AMTHI bytes rpc-go passes to the ioctl, and back', () => {
  assert.equal(hex(uuidToBytes(AMTHI)), '2800f812b7b42d4baca846e0ff65814c');
  assert.equal(hex(uuidToBytes('6733A4DB-0476-4E7B-B3AF-BCFC29BEE7A7')), 'dba4336776047b4eb3afbcfc29bee7a7'); // LME
  assert.equal(uuidFromBytes(uuidToBytes(AMTHI)), AMTHI);
  assert.throws(() => uuidToBytes('not-a-uuid'), /not a UUID/);
});

test('device frames: header golden bytes and the connect union', () => {
  assert.deepEqual(DEVICE_FRAME.layout.map((field) => [field.name, field.offset, field.size]), [['operation', 0, 1], ['errno', 1, 1], ['tag', 2, 2], ['length', 4, 4]]);
  const frame = encodeDeviceFrame(DEVICE_OPERATION.connect, 0x1234, uuidToBytes(AMTHI));
  assert.equal(hex(frame), '01' + '00' + '3412' + '10000000' + '2800f812b7b42d4baca846e0ff65814c');
  assert.equal(hex(encodeDeviceFrame(0x82, 7, new Uint8Array(0), LINUX_ERRNO.EFBIG)), '82' + '1b' + '0700' + '00000000');
  const reply = CONNECT_REPLY.serialize(CONNECT_REPLY.defaults({ maxMessageLength: 4096, protocolVersion: 1 }));
  assert.equal(hex(reply), '00100000' + '01' + '000000' + '00'.repeat(8)); // max_msg_length, protocol_version, reserved[3], union tail
  assert.deepEqual(DEVICE_OPERATION, { connect: 1, write: 2, read: 3, notifySet: 4, notifyGet: 5, request: 6 });
});

test('ioctl numbers are the _IOWR/_IOW/_IOR encodings with magic H (brief §3.4)', () => {
  const ioc = (direction: number, number: number, size: number): number => ((direction << 30) | (size << 16) | (0x48 << 8) | number) >>> 0;
  assert.equal(MEI_IOCTL.connectClient, ioc(3, 1, 16));
  assert.equal(MEI_IOCTL.notifySet, ioc(1, 2, 4));
  assert.equal(MEI_IOCTL.notifyGet, ioc(2, 3, 4));
  assert.equal(MEI_IOCTL.connectClientVtag, ioc(3, 4, 20));
  assert.equal(MEI_IOCTL.connectClient, 0xc0104801);
});

test('errno values are the Linux numbers', { skip: process.platform !== 'linux' && 'errno numbering differs off Linux' }, () => {
  const system = constants.errno as Record<string, number>;
  for (const [name, value] of Object.entries(LINUX_ERRNO)) assert.equal(value, system[name], name);
});
