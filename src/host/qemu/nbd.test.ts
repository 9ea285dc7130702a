// The NBD server: NbdSession against a hand-driven client (handshake, GO, reads, refusals, malformed
// input), then serveNbd against Debian's real qemu-img (info, and convert copying the export whole).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NBD_CMD, NBD_OPT, NBD_OPTS_MAGIC, NBD_REP, NBD_REP_MAGIC, NBD_REQUEST_MAGIC, NBD_STRUCTS, NbdSession, type NbdOutput } from './nbd-protocol.js';
import { serveNbd } from './nbd-server.js';
import type { MediaBlocks } from '../boot-order.js';

const option = (code: number, data: Uint8Array = new Uint8Array(0)): Uint8Array =>
  Buffer.concat([NBD_STRUCTS.option.serialize({ magic: NBD_OPTS_MAGIC, option: code, length: data.length }), data]);
const go = (name: string): Uint8Array => {
  const data = Buffer.alloc(4 + name.length + 2);
  data.writeUInt32BE(name.length, 0);
  data.write(name, 4, 'latin1');
  return option(NBD_OPT.go, data);
};
const cookie = (n: number): Uint8Array => Uint8Array.of(0, 0, 0, 0, 0, 0, 0, n);
const request = (type: number, offset: number, length: number, n = 1): Uint8Array =>
  NBD_STRUCTS.request.serialize({ magic: NBD_REQUEST_MAGIC, flags: 0, type, cookie: cookie(n), offset: BigInt(offset), length });
const sent = (outputs: NbdOutput[]): Uint8Array => Buffer.concat(outputs.flatMap((o) => (o.kind === 'send' ? [o.bytes] : [])));
const replies = (bytes: Uint8Array): { type: number; length: number }[] => {
  const out: { type: number; length: number }[] = [];
  for (let at = 0; at < bytes.length;) {
    const reply = NBD_STRUCTS.optionReply.parse(bytes, at);
    assert.equal(reply.magic, NBD_REP_MAGIC);
    out.push({ type: reply.type, length: reply.length });
    at += NBD_STRUCTS.optionReply.size + reply.length;
  }
  return out;
};

function negotiated(): NbdSession {
  const session = new NbdSession({ size: 4 * 2048, blockSize: 2048 });
  const greeting = NBD_STRUCTS.greeting.parse(session.greeting());
  assert.deepEqual([greeting.magic, greeting.optsMagic, greeting.flags], [0x4e42444d41474943n, NBD_OPTS_MAGIC, 3]);
  assert.deepEqual(session.receive(Uint8Array.of(0, 0, 0, 3)), []);
  assert.deepEqual(replies(sent(session.receive(option(NBD_OPT.structuredReply)))), [{ type: NBD_REP.errUnsup, length: 0 }], 'no structured replies');
  const answer = sent(session.receive(go('')));
  assert.deepEqual(replies(answer), [{ type: NBD_REP.info, length: 12 }, { type: NBD_REP.info, length: 14 }, { type: NBD_REP.ack, length: 0 }]);
  const info = NBD_STRUCTS.infoExport.parse(answer, NBD_STRUCTS.optionReply.size);
  assert.deepEqual([info.size, info.flags], [8192n, 3], 'size, HAS_FLAGS|READ_ONLY');
  assert.equal(session.phase, 'transmission');
  return session;
}

test('handshake (fixed newstyle, GO), reads in pieces, writes and trims refused EPERM, out-of-range EINVAL, DISC closes', () => {
  const session = negotiated();
  const whole = request(NBD_CMD.read, 512, 1024, 7);
  assert.deepEqual(session.receive(whole.subarray(0, 10)), []);
  assert.deepEqual(session.receive(whole.subarray(10)), [{ kind: 'read', cookie: cookie(7), offset: 512, length: 1024 }]);
  const reply = session.readReply(cookie(7), new Uint8Array(1024).fill(9));
  assert.deepEqual(NBD_STRUCTS.simpleReply.parse(reply), { magic: 0x67446698, error: 0, cookie: cookie(7) });
  assert.equal(reply.length, 16 + 1024);
  const errorOf = (outputs: NbdOutput[]): number => NBD_STRUCTS.simpleReply.parse(sent(outputs)).error;
  assert.equal(errorOf(session.receive(Buffer.concat([request(NBD_CMD.write, 0, 4), Uint8Array.of(1, 2, 3, 4)]))), 1, 'EPERM, payload skipped');
  assert.equal(errorOf(session.receive(request(NBD_CMD.trim, 0, 512))), 1);
  assert.equal(errorOf(session.receive(request(NBD_CMD.read, 8192 - 512, 1024))), 22, 'past the end');
  assert.equal(errorOf(session.receive(request(NBD_CMD.read, 0, 2 << 20))), 22, 'over the maximum');
  assert.equal(errorOf(session.receive(request(NBD_CMD.flush, 0, 0))), 22);
  assert.equal(NBD_STRUCTS.simpleReply.parse(session.readReply(cookie(2), undefined)).error, 5, 'a failed read is EIO');
  assert.deepEqual(session.receive(request(NBD_CMD.disc, 0, 0)), [{ kind: 'close', reason: 'the client disconnected (NBD_CMD_DISC)' }]);
});

test('NBD_OPT_EXPORT_NAME answers size and flags (124 zeroes unless NO_ZEROES); ABORT acks and closes; bad GO data is ERR_INVALID', () => {
  const old = new NbdSession({ size: 512, blockSize: 512 });
  old.receive(Uint8Array.of(0, 0, 0, 1));
  const answer = sent(old.receive(option(NBD_OPT.exportName, Buffer.from('any'))));
  assert.equal(answer.length, 10 + 124);
  assert.deepEqual(NBD_STRUCTS.exportNameReply.parse(answer), { size: 512n, flags: 3 });
  const aborted = new NbdSession({ size: 512, blockSize: 512 });
  aborted.receive(Uint8Array.of(0, 0, 0, 3));
  const outputs = aborted.receive(option(NBD_OPT.abort));
  assert.deepEqual(replies(sent(outputs)), [{ type: NBD_REP.ack, length: 0 }]);
  assert.equal(outputs.at(-1)?.kind, 'close');
  const bad = new NbdSession({ size: 512, blockSize: 512 });
  bad.receive(Uint8Array.of(0, 0, 0, 3));
  assert.deepEqual(replies(sent(bad.receive(option(NBD_OPT.go, Uint8Array.of(0, 0, 0, 9))))), [{ type: NBD_REP.errInvalid, length: 0 }]);
});

test('malformed input is a typed error: old-style client, bad option magic, oversized option, bad request magic, oversized write', () => {
  const fresh = (): NbdSession => new NbdSession({ size: 512, blockSize: 512 });
  assert.throws(() => fresh().receive(Uint8Array.of(0, 0, 0, 0)), { code: 'VME_ERR_NBD_PROTOCOL' });
  const session = fresh();
  session.receive(Uint8Array.of(0, 0, 0, 3));
  assert.throws(() => session.receive(new Uint8Array(16)), { code: 'VME_ERR_NBD_PROTOCOL' });
  const big = fresh();
  big.receive(Uint8Array.of(0, 0, 0, 3));
  assert.throws(() => big.receive(NBD_STRUCTS.option.serialize({ magic: NBD_OPTS_MAGIC, option: 99, length: 1 << 30 })), /over 4096/);
  const tx = negotiated();
  assert.throws(() => tx.receive(new Uint8Array(28)), /bad request magic/);
  assert.throws(() => negotiated().receive(request(NBD_CMD.write, 0, 64 << 20)), /write payload/);
});

const qemuImg = (args: string[]): Promise<{ code: number; stdout: string; stderr: string } | undefined> => new Promise((resolve) => {
  execFile('qemu-img', args, { timeout: 20_000, encoding: 'utf8' }, (error, stdout, stderr) => {
    if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') return resolve(undefined);
    resolve({ code: error ? 1 : 0, stdout, stderr });
  });
});

test('serveNbd against real qemu-img: info sees the size, convert copies every byte (through whole-block reads)', { timeout: 60_000 }, async (t) => {
  if ((await qemuImg(['--version'])) === undefined) return t.skip('qemu-img is not installed (Debian qemu-utils; scripts/install-test-deps.sh)');
  const dir = mkdtempSync(join(tmpdir(), 'vme-nbd-'));
  const image = new Uint8Array(37 * 2048).map((_, i) => (i * 7 + (i >> 11)) & 0xff);
  const reads: string[] = [];
  const problems: string[] = [];
  const blocks: MediaBlocks = {
    blockSize: 2048, count: 37,
    read: (lba, count) => { reads.push(`${lba}+${count}`); return Promise.resolve(image.slice(lba * 2048, (lba + count) * 2048)); },
  };
  const server = await serveNbd({ path: join(dir, 'nbd.sock'), blocks, onProblem: (m) => problems.push(m) });
  try {
    const info = await qemuImg(['info', '--output=json', server.url]);
    assert.equal(info?.code, 0, info?.stderr);
    assert.equal((JSON.parse(info?.stdout ?? '{}') as { 'virtual-size': number })['virtual-size'], image.length);
    const copy = join(dir, 'copy.img');
    const convert = await qemuImg(['convert', '-f', 'raw', '-O', 'raw', server.url, copy]);
    assert.equal(convert?.code, 0, convert?.stderr);
    assert.deepEqual(new Uint8Array(readFileSync(copy)), image);
    assert.ok(reads.length > 0 && server.connections() >= 2);
    assert.deepEqual(problems, []);
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
