// DMA: grant checks at every boundary, directions, allegations, buffer loans, modelled completion.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DmaEngine, type DmaGrant, engineRange, UntrustedHostRange } from './dma.js';
import { HostDram } from './host-dram.js';
import { Sram } from './sram.js';
import { Uma } from './uma.js';

const MiB = 1024 * 1024;
const allege = (address: bigint | number, length: bigint | number): UntrustedHostRange => UntrustedHostRange.allege(address, length);

function platform(grant: Partial<DmaGrant> = {}, addressBits?: 32 | 64) {
  const dram = new HostDram(8 * MiB);
  const sram = new Sram(256 * 1024);
  const uma = new Uma(dram);
  const engine = new DmaEngine({ dram, uma, ...(addressBits ? { addressBits } : {}) });
  const buffer = sram.allocateBuffer('app', 8192);
  const other = sram.allocateBuffer('app', 4096);
  const channel = engine.createChannel('app', {
    hostWindows: [{ base: 0x10000, length: 0x4000, direction: 'both' }, { base: 0x20000, length: 0x1000, direction: 'to-engine' }, { base: 0x30000, length: 0x1000, direction: 'to-host' }],
    engineBuffers: [buffer, other],
    ...grant,
  });
  return { dram, sram, uma, engine, buffer, other, channel };
}

test('host → engine and engine → host move bytes; the last granted byte is reachable', async () => {
  const { dram, buffer, channel } = platform();
  dram.write(0x10000, Buffer.from('hello dma'));
  await channel.hostToEngine(allege(0x10000n, 9n), engineRange(buffer, 100, 9));
  assert.equal(Buffer.from(buffer.bytes().subarray(100, 109)).toString(), 'hello dma');
  buffer.bytes()[0] = 0x5a;
  await channel.engineToHost(engineRange(buffer, 0, 1), allege(0x13fff, 1));
  assert.deepEqual(dram.read(0x13fff, 1), Uint8Array.of(0x5a));
  await channel.hostToEngine(allege(0x10000, 0x2000), engineRange(buffer));
});

test('ranges one past the window, straddling windows or in the wrong direction are denied', async () => {
  const { buffer, channel } = platform();
  const denied = { code: 'VME_ERR_DMA_DENIED', blame: 'app' };
  await assert.rejects(channel.engineToHost(engineRange(buffer, 0, 1), allege(0x14000, 1)), denied);
  await assert.rejects(channel.engineToHost(engineRange(buffer, 0, 2), allege(0x13fff, 2)), denied);
  await assert.rejects(channel.hostToEngine(allege(0xffff, 2), engineRange(buffer, 0, 2)), denied);
  await assert.rejects(channel.engineToHost(engineRange(buffer, 0, 4), allege(0x20000, 4)), denied, 'to-engine-only window');
  await assert.rejects(channel.hostToEngine(allege(0x30000, 4), engineRange(buffer, 0, 4)), denied, 'to-host-only window');
  await channel.hostToEngine(allege(0x20000, 4), engineRange(buffer, 0, 4));
  await channel.engineToHost(engineRange(buffer, 0, 4), allege(0x30ffc, 4));
});

test('zero-length, over-long, wrapping and non-integer host ranges are VME_ERR_DMA_RANGE', async () => {
  const { buffer, channel } = platform({ maxTransferBytes: 4096 });
  const range = { code: 'VME_ERR_DMA_RANGE' };
  await assert.rejects(channel.hostToEngine(allege(0x10000, 0), engineRange(buffer, 0, 0)), range);
  await assert.rejects(channel.hostToEngine(allege(0x10000, 4097), engineRange(buffer, 0, 4097)), range);
  await channel.hostToEngine(allege(0x10000, 4096), engineRange(buffer, 0, 4096));
  await assert.rejects(channel.hostToEngine(allege(2n ** 64n - 1n, 2n), engineRange(buffer, 0, 2)), range);
  await assert.rejects(channel.hostToEngine(allege(2n ** 64n, 1n), engineRange(buffer, 0, 1)), range);
  await assert.rejects(channel.hostToEngine(allege(-1, 1), engineRange(buffer, 0, 1)), range);
  await assert.rejects(channel.hostToEngine(allege(0x10000 + 0.5, 1), engineRange(buffer, 0, 1)), range);
  await assert.rejects(channel.hostToEngine(allege(0x10000, 4), engineRange(buffer, 0, 3)), range, 'length mismatch');
});

test('a 32-bit engine refuses ranges that wrap past 2^32', async () => {
  const { buffer, channel } = platform({}, 32);
  await assert.rejects(channel.hostToEngine(allege(2 ** 32 - 2, 4), engineRange(buffer, 0, 4)), { code: 'VME_ERR_DMA_RANGE' });
  await assert.rejects(channel.hostToEngine(allege(2 ** 32, 1), engineRange(buffer, 0, 1)), { code: 'VME_ERR_DMA_RANGE' });
});

test('alignment, when the grant requires it, is checked on address and length', async () => {
  const { buffer, channel } = platform({ hostAlignment: 64 });
  await assert.rejects(channel.hostToEngine(allege(0x10001, 64), engineRange(buffer, 0, 64)), { code: 'VME_ERR_DMA_RANGE' });
  await assert.rejects(channel.hostToEngine(allege(0x10000, 63), engineRange(buffer, 0, 63)), { code: 'VME_ERR_DMA_RANGE' });
  await channel.hostToEngine(allege(0x10040, 64), engineRange(buffer, 0, 64));
});

test('engine ranges: last byte, one past the buffer, foreign and ungranted buffers', async () => {
  const { sram, buffer, channel } = platform();
  await channel.hostToEngine(allege(0x10000, 1), engineRange(buffer, 8191, 1));
  await assert.rejects(channel.hostToEngine(allege(0x10000, 1), engineRange(buffer, 8192, 1)), { code: 'VME_ERR_DMA_RANGE' });
  await assert.rejects(channel.hostToEngine(allege(0x10000, 2), engineRange(buffer, 8191, 2)), { code: 'VME_ERR_DMA_RANGE' });
  const ungranted = sram.allocateBuffer('app', 4096);
  await assert.rejects(channel.hostToEngine(allege(0x10000, 4), engineRange(ungranted, 0, 4)), { code: 'VME_ERR_DMA_DENIED' });
  const foreign = sram.allocateBuffer('mallory', 4096);
  await assert.rejects(channel.hostToEngine(allege(0x10000, 4), engineRange(foreign, 0, 4)), { code: 'VME_ERR_DMA_DENIED' });
});

test('host → host is refused; engine → engine copies, overlapping ranges in one buffer are refused', async () => {
  const { buffer, other, channel } = platform();
  await assert.rejects(channel.transfer(allege(0x10000, 4), allege(0x11000, 4)), { code: 'VME_ERR_DMA_DENIED' });
  buffer.bytes().set([1, 2, 3, 4]);
  await channel.engineToEngine(engineRange(buffer, 0, 4), engineRange(other, 10, 4));
  assert.deepEqual(other.bytes().subarray(10, 14), Uint8Array.of(1, 2, 3, 4));
  await channel.engineToEngine(engineRange(buffer, 0, 4), engineRange(buffer, 4, 4));
  assert.deepEqual(buffer.bytes().subarray(4, 8), Uint8Array.of(1, 2, 3, 4));
  await assert.rejects(channel.engineToEngine(engineRange(buffer, 0, 4), engineRange(buffer, 3, 4)), { code: 'VME_ERR_DMA_RANGE' });
});

test('a buffer is lent until completion: its owner cannot touch or resubmit it', async () => {
  const dram = new HostDram(MiB);
  const sram = new Sram(256 * 1024);
  const engine = new DmaEngine({ dram, throughput: { fixedMilliseconds: 5 } });
  const buffer = sram.allocateBuffer('app', 4096);
  const channel = engine.createChannel('app', { hostWindows: [{ base: 0, length: MiB, direction: 'both' }], engineBuffers: [buffer] });
  dram.write(0, Uint8Array.of(42));
  const pending = channel.hostToEngine(allege(0, 4096), engineRange(buffer));
  assert.equal(buffer.lent, true);
  assert.throws(() => buffer.bytes(), { code: 'VME_ERR_DMA_BUSY' });
  assert.throws(() => buffer.release(), { code: 'VME_ERR_DMA_BUSY' });
  await assert.rejects(channel.hostToEngine(allege(0, 4096), engineRange(buffer)), { code: 'VME_ERR_DMA_BUSY' });
  dram.write(0, Uint8Array.of(43));
  assert.throws(() => engine.restore(engine.snapshot()), { code: 'VME_ERR_DMA_BUSY' });
  await pending;
  assert.equal(buffer.lent, false);
  assert.equal(buffer.bytes()[0], 43, 'data moves at completion, not at submission');
  assert.equal(engine.counters.transfers, 1);
});

test('the UMA region is out of reach of DMA even inside a granted window', async () => {
  const { uma, buffer, channel } = platform();
  uma.reserveUma(0x10000, 0x2000 * 2);
  await assert.rejects(channel.hostToEngine(allege(0x13000, 4), engineRange(buffer, 0, 4)), { code: 'VME_ERR_DMA_DENIED' });
});

test('malformed grants are refused at channel creation', () => {
  const dram = new HostDram(MiB);
  const engine = new DmaEngine({ dram });
  const sram = new Sram(256 * 1024);
  const buffer = sram.allocateBuffer('other', 4096);
  assert.throws(() => engine.createChannel('app', { hostWindows: [{ base: MiB - 4096, length: 4097, direction: 'both' }], engineBuffers: [] }), { code: 'VME_ERR_DMA_RANGE', blame: 'kernel' });
  assert.throws(() => engine.createChannel('app', { hostWindows: [{ base: 0, length: 0, direction: 'both' }], engineBuffers: [] }), { code: 'VME_ERR_DMA_RANGE' });
  assert.throws(() => engine.createChannel('app', { hostWindows: [], engineBuffers: [], hostAlignment: 3 }), { code: 'VME_ERR_DMA_RANGE' });
  assert.throws(() => engine.createChannel('app', { hostWindows: [], engineBuffers: [buffer] }), { code: 'VME_ERR_DMA_DENIED' });
});

test('a closed channel refuses new transfers; refusals are counted', async () => {
  const { buffer, engine, channel } = platform();
  channel.close();
  await assert.rejects(channel.hostToEngine(allege(0x10000, 4), engineRange(buffer, 0, 4)), { code: 'VME_ERR_DMA_DENIED' });
  assert.equal(engine.counters.refused, 1);
});

test('overlapping grant windows: a range must fit inside one window, not just their union', async () => {
  const dram = new HostDram(MiB);
  const sram = new Sram(256 * 1024);
  const buffer = sram.allocateBuffer('app', 0x3000);
  const channel = new DmaEngine({ dram }).createChannel('app', {
    hostWindows: [{ base: 0x1000, length: 0x2000, direction: 'both' }, { base: 0x2000, length: 0x2000, direction: 'both' }],
    engineBuffers: [buffer],
  });
  await channel.hostToEngine(allege(0x2000, 0x2000), engineRange(buffer, 0, 0x2000));
  await channel.hostToEngine(allege(0x1000, 0x2000), engineRange(buffer, 0, 0x2000));
  await assert.rejects(channel.hostToEngine(allege(0x1000, 0x3000), engineRange(buffer, 0, 0x3000)), { code: 'VME_ERR_DMA_DENIED' });
  assert.deepEqual(Object.keys(channel), ['owner'], 'no grant or DRAM reachable from the channel object');
});
