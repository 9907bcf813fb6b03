import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoadBalancingStrategy, MultiPool, PoolClosedError, TimeoutError } from '../src/index.js';
import { deferred } from './helpers.js';

test('round-robin starts at pool 0 and spreads tasks evenly', async () => {
  const pool = new MultiPool(3, 2, LoadBalancingStrategy.RoundRobin);
  const gate = deferred();
  for (let i = 0; i < 4; i++) await pool.submit(() => gate.promise);
  assert.deepEqual(
    [0, 1, 2].map((i) => pool.runningByIndex(i)),
    [2, 1, 1],
  );
  assert.equal(pool.running, 4);
  assert.equal(pool.cap, 6);
  assert.equal(pool.free, 2);
  assert.deepEqual(
    [0, 1, 2].map((i) => pool.freeByIndex(i)),
    [0, 1, 1],
  );
  gate.resolve();
  await pool.onIdle();
  pool.release();
});

test('round-robin retries once on the least busy pool when its pick is overloaded', async () => {
  const pool = new MultiPool(2, 1, 'round-robin', { nonblocking: true });
  const gate = deferred();
  await pool.submit(() => gate.promise); // pool 0
  await pool.submit(() => gate.promise); // pool 1
  await assert.rejects(
    pool.submit(() => {}),
    { code: 'ERR_POOL_OVERLOAD' },
  );
  gate.resolve();
  await pool.onIdle();
  pool.release();
});

test('round-robin falls back to a pool with room when its pick is full and nonblocking', async () => {
  const pool = new MultiPool(2, 2, 'round-robin', { nonblocking: true });
  const hold = deferred();
  await pool.submit(() => hold.promise); // turn: pool 0, 1 of 2 busy
  await pool.run(() => 'done'); // turn: pool 1, its worker idles again
  await pool.submit(() => hold.promise); // turn: pool 0, 2 of 2 busy
  await pool.submit(() => {}); // turn: pool 1
  await pool.submit(() => {}); // turn: pool 0 is full, so the least busy: pool 1
  assert.equal(pool.runningByIndex(0), 2);
  assert.equal(pool.runningByIndex(1), 1);
  hold.resolve();
  await pool.onIdle();
  pool.release();
});

test('least-tasks picks the lowest running count, ties to the lowest index', async () => {
  const pool = new MultiPool(3, 10, LoadBalancingStrategy.LeastTasks);
  const gate = deferred();
  for (let i = 0; i < 7; i++) await pool.submit(() => gate.promise);
  assert.deepEqual(
    [0, 1, 2].map((i) => pool.runningByIndex(i)),
    [3, 2, 2],
  );
  gate.resolve();
  await pool.onIdle();
  pool.release();
});

test('waiting is summed over sub-pools and reported per index', async () => {
  const pool = new MultiPool(2, 1, 'round-robin');
  const gate = deferred();
  const tasks = Array.from({ length: 5 }, () => pool.run(() => gate.promise));
  assert.equal(pool.waiting, 3);
  assert.equal(pool.waitingByIndex(0) + pool.waitingByIndex(1), 3);
  gate.resolve();
  await Promise.all(tasks);
  pool.release();
});

test('run resolves with the result; tune changes every sub-pool', async () => {
  const pool = new MultiPool(2, 1, 'least-tasks');
  assert.equal(await pool.run(async () => 'result'), 'result');
  pool.tune(3);
  assert.equal(pool.cap, 6);
  await assert.rejects(pool.run(42 as never), TypeError);
  await assert.rejects(pool.submit('x' as never), TypeError);
  pool.release();
});

test('release, releaseTimeout with one deadline, reboot', async () => {
  const pool = new MultiPool(2, 2, 'round-robin');
  const gate = deferred();
  await pool.submit(() => gate.promise);
  await pool.submit(() => gate.promise);
  await assert.rejects(pool.releaseTimeout(10), TimeoutError);
  assert.equal(pool.closed, true);
  await assert.rejects(pool.releaseTimeout(10), PoolClosedError);
  await assert.rejects(
    pool.run(() => 1),
    PoolClosedError,
  );
  gate.resolve();
  pool.reboot();
  assert.equal(pool.closed, false);
  assert.equal(await pool.run(() => 2), 2);
  await pool.releaseTimeout(1000);
  assert.equal(pool.running, 0);
  await assert.rejects(pool.releaseTimeout(-1), { code: 'ERR_INVALID_OPTION' });
});

test('Symbol.asyncDispose releases every sub-pool', async () => {
  const pool = new MultiPool(2, 2, 'round-robin');
  await pool.submit(() => new Promise((resolve) => setTimeout(resolve, 5)));
  await pool[Symbol.asyncDispose]();
  assert.equal(pool.running, 0);
  assert.equal(pool.closed, true);
});

test('bad arguments get their codes', () => {
  assert.throws(() => new MultiPool(0, 1, 'round-robin'), { code: 'ERR_INVALID_MULTI_POOL_SIZE' });
  assert.throws(() => new MultiPool(1.5, 1, 'round-robin'), {
    code: 'ERR_INVALID_MULTI_POOL_SIZE',
  });
  assert.throws(() => new MultiPool(2, 0, 'round-robin'), { code: 'ERR_INVALID_POOL_SIZE' });
  assert.throws(() => new MultiPool(2, 1, 'random' as never), {
    code: 'ERR_INVALID_LOAD_BALANCING_STRATEGY',
  });
  const pool = new MultiPool(2, 1, 'round-robin');
  for (const bad of [-1, 2, 0.5, Number.NaN]) {
    assert.throws(() => pool.runningByIndex(bad), { code: 'ERR_INVALID_POOL_INDEX' });
    assert.throws(() => pool.freeByIndex(bad), { code: 'ERR_INVALID_POOL_INDEX' });
    assert.throws(() => pool.waitingByIndex(bad), { code: 'ERR_INVALID_POOL_INDEX' });
  }
  pool.release();
});
