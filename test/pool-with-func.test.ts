import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PoolWithFunc } from '../src/index.js';
import { deferred } from './helpers.js';

test('PoolWithFunc sums 0..999 to 499500, before and after reboot', async () => {
  let sum = 0;
  const pool = new PoolWithFunc(10, async (i: number) => {
    sum += i;
  });
  const sumTo999 = async () => {
    sum = 0;
    for (let i = 0; i < 1000; i++) await pool.invoke(i);
    await pool.onIdle();
    return sum;
  };
  assert.equal(await sumTo999(), 499500);
  assert.ok(pool.running <= 10);
  await pool.releaseTimeout(1000);
  pool.reboot();
  assert.equal(await sumTo999(), 499500);
  pool.release();
});

test('run resolves with fn(arg); the types infer from fn', async () => {
  const pool = new PoolWithFunc(2, (n: number) => n * 2);
  const doubled: number[] = await Promise.all([1, 2, 3].map((n) => pool.run(n)));
  assert.deepEqual(doubled, [2, 4, 6]);
  pool.release();
});

test('undefined and null are valid arguments', async () => {
  const pool = new PoolWithFunc(1, (arg: unknown) => arg);
  assert.equal(await pool.run(undefined), undefined);
  assert.equal(await pool.run(null), null);
  await pool.invoke(undefined);
  pool.release();
});

test('fn receives the task signal; aborting a waiting invoke removes it', async () => {
  const gate = deferred();
  const seen: unknown[] = [];
  const pool = new PoolWithFunc(1, async (arg: string, signal: AbortSignal) => {
    seen.push([arg, signal.aborted]);
    await gate.promise;
  });
  await pool.invoke('first');
  const controller = new AbortController();
  const second = pool.invoke('second', { signal: controller.signal });
  controller.abort();
  await assert.rejects(second, { code: 'ERR_TASK_ABORTED' });
  gate.resolve();
  await pool.onIdle();
  assert.deepEqual(seen, [['first', false]]);
  pool.release();
});

test('errors of invoked tasks go to panicHandler; errors of run reject', async () => {
  const panics: unknown[] = [];
  const pool = new PoolWithFunc(
    1,
    (n: number) => {
      if (n < 0) throw new RangeError('negative');
      return n;
    },
    { panicHandler: (err) => panics.push(err) },
  );
  await pool.invoke(-1);
  await assert.rejects(pool.run(-2), RangeError);
  await pool.onIdle();
  assert.equal(panics.length, 1);
  pool.release();
});

test('a missing function is ERR_LACK_POOL_FUNC', () => {
  assert.throws(() => new PoolWithFunc(1, undefined as never), { code: 'ERR_LACK_POOL_FUNC' });
  assert.throws(() => new PoolWithFunc(1, 'fn' as never), { code: 'ERR_LACK_POOL_FUNC' });
});

test('tune, running/free/cap and nonblocking work as on Pool', async () => {
  const gate = deferred();
  const pool = new PoolWithFunc(1, () => gate.promise, { nonblocking: true });
  await pool.invoke(0);
  await assert.rejects(pool.invoke(1), { code: 'ERR_POOL_OVERLOAD' });
  pool.tune(2);
  await pool.invoke(2);
  assert.equal(pool.running, 2);
  assert.equal(pool.free, 0);
  assert.equal(pool.cap, 2);
  gate.resolve();
  await pool.onIdle();
  await pool[Symbol.asyncDispose]();
  assert.equal(pool.closed, true);
});
