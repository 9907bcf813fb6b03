import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from '../src/index.js';
import { deferred } from './helpers.js';

test('an unlimited pool runs every task at once and reports Infinity', async () => {
  const pool = new Pool(Number.POSITIVE_INFINITY);
  assert.equal(pool.cap, Number.POSITIVE_INFINITY);
  assert.equal(pool.free, Number.POSITIVE_INFINITY);
  const gate = deferred();
  const tasks = Array.from({ length: 500 }, () => pool.run(() => gate.promise));
  assert.equal(pool.running, 500);
  assert.equal(pool.waiting, 0);
  gate.resolve();
  await Promise.all(tasks);
  pool.release();
});

test('nested submits on an unlimited pool all run', async () => {
  const pool = new Pool(Number.POSITIVE_INFINITY);
  let count = 0;
  const spawn = async (depth: number): Promise<void> => {
    count++;
    if (depth === 0) return;
    await pool.submit(() => spawn(depth - 1));
    await pool.submit(() => spawn(depth - 1));
  };
  await pool.submit(() => spawn(9));
  await pool.onIdle();
  assert.equal(count, 2 ** 10 - 1);
  pool.release();
});
