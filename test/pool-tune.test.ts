import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from '../src/index.js';
import { deferred, sleep } from './helpers.js';

test('tune up starts waiting callers at once', async () => {
  const pool = new Pool(2);
  const gate = deferred();
  let active = 0;
  const tasks = Array.from({ length: 6 }, () =>
    pool.run(async () => {
      active++;
      await gate.promise;
    }),
  );
  assert.equal(active, 2);
  assert.equal(pool.waiting, 4);
  pool.tune(5);
  assert.equal(pool.cap, 5);
  assert.equal(active, 5);
  assert.equal(pool.running, 5);
  assert.equal(pool.waiting, 1);
  gate.resolve();
  await Promise.all(tasks);
  pool.release();
});

test('tune down retires idle workers at once and busy ones when their task ends', async () => {
  const pool = new Pool(10, { disablePurge: true });
  const gate = deferred();
  await Promise.all(Array.from({ length: 10 }, () => pool.run(() => sleep(1))));
  assert.equal(pool.running, 10);
  const busy = Array.from({ length: 4 }, () => pool.run(() => gate.promise));
  pool.tune(2);
  assert.equal(pool.cap, 2);
  assert.equal(pool.running, 4, 'the six idle workers retired; four are busy');
  assert.equal(pool.free, 0, 'free never goes below 0');
  let active = 0;
  let peak = 0;
  const more = Array.from({ length: 10 }, () =>
    pool.run(async () => {
      active++;
      peak = Math.max(peak, active);
      await sleep(1);
      active--;
    }),
  );
  gate.resolve();
  await Promise.all([...busy, ...more]);
  assert.equal(peak, 2);
  assert.equal(pool.running, 2);
  pool.release();
});

test('tune rejects a size that is not a positive integer, and an unlimited pool', () => {
  const pool = new Pool(3);
  for (const bad of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '4']) {
    assert.throws(() => pool.tune(bad as number), { code: 'ERR_INVALID_POOL_SIZE' });
  }
  assert.equal(pool.cap, 3);
  const unlimited = new Pool(Number.POSITIVE_INFINITY);
  assert.throws(() => unlimited.tune(10), { code: 'ERR_INVALID_POOL_SIZE' });
  pool.release();
});
