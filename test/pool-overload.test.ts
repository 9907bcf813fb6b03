import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool, PoolOverloadError } from '../src/index.js';
import { deferred } from './helpers.js';

test('nonblocking: a task with no free worker rejects PoolOverloadError at once', async () => {
  const pool = new Pool(2, { nonblocking: true });
  const gate = deferred();
  await pool.submit(() => gate.promise);
  await pool.submit(() => gate.promise);
  await assert.rejects(
    pool.submit(() => {}),
    PoolOverloadError,
  );
  await assert.rejects(
    pool.run(() => 1),
    { code: 'ERR_POOL_OVERLOAD' },
  );
  assert.equal(pool.waiting, 0);
  gate.resolve();
  await pool.onIdle();
  assert.equal(await pool.run(() => 'free again'), 'free again');
  pool.release();
});

test('maxBlockingTasks: one caller more than the limit rejects PoolOverloadError', async () => {
  const pool = new Pool(1, { maxBlockingTasks: 2 });
  const gate = deferred();
  await pool.submit(() => gate.promise);
  const waiting = [pool.submit(() => {}), pool.run(() => 2)];
  assert.equal(pool.waiting, 2);
  await assert.rejects(
    pool.submit(() => {}),
    PoolOverloadError,
  );
  await assert.rejects(
    pool.run(() => 3),
    PoolOverloadError,
  );
  assert.equal(pool.waiting, 2);
  gate.resolve();
  const [, two] = await Promise.all(waiting);
  assert.equal(two, 2);
  pool.release();
});

test('maxBlockingTasks of 0 means no limit', async () => {
  const pool = new Pool(1, { maxBlockingTasks: 0 });
  const gate = deferred();
  await pool.submit(() => gate.promise);
  const many = Array.from({ length: 100 }, () => pool.run(() => 1));
  assert.equal(pool.waiting, 100);
  gate.resolve();
  assert.equal((await Promise.all(many)).length, 100);
  pool.release();
});
