// Pipeline: the sequential and overlapped schedules give identical results, with and without timing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runOverlapped, runSequential } from './pipeline.js';
import { pipelineFixture } from './pipeline-fixture.js';

test('sequential and overlapped runs parse the same results (pool-sized chunks)', async () => {
  const setup = await pipelineFixture({ count: 7, chunkBytes: 96 * 1024 });
  const sequential = await runSequential(setup);
  const overlapped = await runOverlapped(setup);
  assert.equal(sequential.length, 7);
  assert.deepEqual(overlapped, sequential);
  assert.equal(new Set(sequential).size, 7, 'chunks differ, so order mistakes would show');
});

test('identical results with modelled DMA and crypto timing, and for 0, 1 and 2 chunks', async () => {
  for (const count of [0, 1, 2, 5]) {
    const setup = await pipelineFixture({
      count, chunkBytes: 8 * 1024,
      dmaThroughput: { fixedMilliseconds: 1 }, cryptoThroughput: { fixedMilliseconds: 1 },
    });
    assert.deepEqual(await runOverlapped(setup), await runSequential(setup), `count ${count}`);
  }
});

test('a chunk that fails authentication (wrong IV) rejects the run with VME_ERR_CRYPTO_AUTH and leaves no buffer lent', async () => {
  const setup = await pipelineFixture({ count: 4, chunkBytes: 4096 });
  const chunk = setup.chunks[2];
  assert.ok(chunk);
  const bad = { ...setup, chunks: setup.chunks.map((c, i) => (i === 2 ? { ...c, iv: new Uint8Array(12) } : c)) };
  await assert.rejects(runOverlapped(bad), { code: 'VME_ERR_CRYPTO_AUTH' });
  await assert.rejects(runSequential(bad), { code: 'VME_ERR_CRYPTO_AUTH' });
  assert.ok(setup.buffers.every((buffer) => !buffer.lent));
});

test('the overlapped schedule needs three buffers', async () => {
  const setup = await pipelineFixture({ count: 2, chunkBytes: 4096 });
  await assert.rejects(runOverlapped({ ...setup, buffers: setup.buffers.slice(0, 2) }), RangeError);
});
