// RMCP presence ping/pong: golden bytes from the brief (§7.1), the checks MeshCentral's scanner applies, drops, and a real UDP round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { PresencePing, PresencePong, RMCP } from './presence.js';
import { respondToRmcp } from './responder.js';
import { listenRmcp } from './udp.js';
import type { PresenceState } from './presence.js';

const STATE: PresenceState = { enabled: true, majorVersion: 16, minorVersion: 1, provisioningState: 2, httpOpen: true, tlsOpen: true };
/** MeshCentral's ping with tag 0x2A: 06 00 00 06 | 00 00 11 BE | 80 | tag | 00 | 00. */
const PING = Buffer.from('06000006000011BE802A0000', 'hex');

test('golden ping bytes parse to the declared fields; constants match the spec numbers', () => {
  assert.deepEqual(PresencePing.parse(PING), { version: 6, reserved: 0, sequence: 0, messageClass: 6, iana: 4542, messageType: 0x80, messageTag: 0x2a, reserved2: 0, dataLength: 0 });
  assert.equal(PresencePing.size, 12);
  assert.equal(PresencePong.size, 28);
  assert.deepEqual(RMCP, { version: 0x06, classAsf: 0x06, ianaAsf: 4542, ianaIntel: 343, port: 623, typePing: 0x80, typePong: 0x40 });
});

test('golden pong bytes for AMT 16.1, post-provisioning, both ports open', () => {
  const pong = Buffer.from(respondToRmcp(PING, STATE) ?? []);
  const expected = [
    '06000006', // RMCP v1.0, reserved, sequence 0 (echoed), class ASF
    '000011BE', // IANA 4542 (ASF)
    '40', '2A', '00', '10', // pong, tag echoed, reserved, 16 data bytes
    '00000157', // OEM IANA 343 (Intel)
    '4260', // open port 16992
    'F1', // version nibbles: major saturated at 15, minor 1
    '06', // provisioning state 2 | both ports open (0x04)
    '81', '20', // supported entities (IPMI, ASF 1.0), interactions (0x20)
    '000000000000', // reserved
  ].join('');
  assert.equal(pong.toString('hex').toUpperCase(), expected);
  assert.deepEqual(PresencePong.serialize(PresencePong.parse(pong)), new Uint8Array(pong), 'round trip');
});

test('MeshCentral\'s scanner checks pass: length ≥ 20, tag at 9, byte 21 & 0x20, port/version/state decoded', () => {
  const pong = respondToRmcp(PING, { ...STATE, majorVersion: 11, minorVersion: 8, provisioningState: 0, httpOpen: false }) ?? new Uint8Array();
  assert.ok(pong.length >= 20);
  assert.equal(pong[9], 0x2a);
  assert.ok(((pong[21] ?? 0) & 0x20) !== 0);
  assert.ok(pong[12] === 0, 'OEM clause: byte 12 is 0');
  assert.equal(((pong[16] ?? 0) << 8) | (pong[17] ?? 0), 16993, 'only TLS open');
  assert.deepEqual([(pong[18] ?? 0) >> 4, (pong[18] ?? 0) & 0x0f], [11, 8]);
  assert.equal((pong[19] ?? 0) & 0x03, 0);
  assert.equal((pong[19] ?? 0) & 0x04, 0, 'not both ports');
});

test('not a presence ping, or responses disabled: dropped silently', () => {
  const variants: Buffer[] = [
    Buffer.alloc(0), PING.subarray(0, 11), Buffer.concat([PING, Buffer.of(0)]),
    Buffer.from('07000006000011BE802A0000', 'hex'), // RMCP version
    Buffer.from('06000007000011BE802A0000', 'hex'), // class IPMI
    Buffer.from('06000006000011BF802A0000', 'hex'), // IANA
    Buffer.from('06000006000011BE402A0000', 'hex'), // a pong, not a ping
    Buffer.from('06000006000011BE802A0001', 'hex'), // data length 1
  ];
  for (const datagram of variants) assert.equal(respondToRmcp(datagram, STATE), undefined, datagram.toString('hex'));
  assert.equal(respondToRmcp(PING, { ...STATE, enabled: false }), undefined);
});

test('a real UDP ping on 127.0.0.1 gets the pong; a non-loopback host is refused', async () => {
  const listener = await listenRmcp({ host: '127.0.0.1', port: 0, state: () => STATE });
  const client = createSocket('udp4');
  try {
    const reply = await new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no pong within 2 s')), 2000);
      client.once('message', (message: Buffer) => {
        clearTimeout(timer);
        resolve(message);
      });
      client.send(PING, listener.address.port, '127.0.0.1');
    });
    assert.deepEqual(new Uint8Array(reply), respondToRmcp(PING, STATE));
  } finally {
    client.close();
    await listener.close();
  }
  await assert.rejects(listenRmcp({ host: '0.0.0.0', port: 0, state: () => STATE }), { code: 'VME_ERR_USAGE' });
});
