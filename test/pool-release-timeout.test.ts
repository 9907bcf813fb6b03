import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool, PoolClosedError, TimeoutError } from '../src/index.js';
import { deferred, sleep } from './helpers.js';

test('releaseTimeout resolves once every worker has exited', async () => {
  const pool = new Pool(10);
  let finished = 0;
  for (let i = 0; i < 10; i++) {
    await pool.submit(async () => {
      await sleep(5);
      finished++;
    });
  }
  await pool.releaseTimeout(10_000);
  assert.equal(finished, 10);
  assert.equal(pool.running, 0);
  assert.equal(pool.closed, true);
});

test('releaseTimeout rejects TimeoutError when workers outlive the deadline', async () => {
  const pool = new Pool(1);
  const gate = deferred();
  await pool.submit(() => gate.promise);
  const err = await pool.releaseTimeout(10).catch((e: unknown) => e);
  assert.ok(err instanceof TimeoutError);
  assert.equal(err.code, 'ERR_TIMEOUT');
  assert.equal(pool.closed, true);
  gate.resolve();
});

test('releaseTimeout on a closed pool rejects PoolClosedError', async () => {
  const pool = new Pool(1);
  pool.release();
  await assert.rejects(pool.releaseTimeout(100), PoolClosedError);
});

test('releaseTimeout rejects a bad deadline with ERR_INVALID_OPTION', async () => {
  const pool = new Pool(1);
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5']) {
    await assert.rejects(pool.releaseTimeout(bad as number), { code: 'ERR_INVALID_OPTION' });
  }
  assert.equal(pool.closed, false);
  pool.release();
});
