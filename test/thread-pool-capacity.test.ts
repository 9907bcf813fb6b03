import assert from 'node:assert/strict';
import { test } from 'node:test';
import { behaviours } from './thread-helpers.js';

test("localQueueSize 1 is ants' model: one task per thread, the rest wait", async () => {
  const pool = behaviours({ size: 2, localQueueSize: 1 });
  const tasks = Array.from({ length: 5 }, () => pool.run(30, { name: 'wait' }));
  assert.equal(pool.running, 2);
  assert.equal(pool.waiting, 3);
  assert.equal(pool.free, 0);
  await Promise.all(tasks);
  await pool.releaseTimeout(5000);
});

test('a thread accepts up to localQueueSize tasks before callers wait', async () => {
  const pool = behaviours({ size: 2, localQueueSize: 3 });
  const tasks = Array.from({ length: 8 }, () => pool.run(30, { name: 'wait' }));
  assert.equal(pool.running, 2);
  assert.equal(pool.waiting, 2, 'two threads hold three tasks each');
  await Promise.all(tasks);
  await pool.releaseTimeout(5000);
});

test('nonblocking with a local queue rejects only when every local queue is full', async () => {
  const pool = behaviours({ size: 1, localQueueSize: 2, nonblocking: true });
  const accepted = [pool.run(30, { name: 'wait' }), pool.run(30, { name: 'wait' })];
  await assert.rejects(pool.run(1, { name: 'echo' }), { code: 'ERR_POOL_OVERLOAD' });
  assert.deepEqual(await Promise.all(accepted), [30, 30]);
  await pool.releaseTimeout(5000);
});

test('many tasks through a few threads all complete, in any order', async () => {
  const pool = behaviours({ size: 2 });
  const results = await Promise.all(
    Array.from({ length: 2000 }, (_, i) => pool.run(i, { name: 'echo' })),
  );
  assert.equal(
    results.reduce((sum: number, value) => sum + (value as number), 0),
    (2000 * 1999) / 2,
  );
  await pool.releaseTimeout(5000);
});

test('nonblocking rejects a task that must run alone when no thread is free for it', async () => {
  const pool = behaviours({ size: 1, localQueueSize: 2, nonblocking: true });
  const busy = pool.run(50, { name: 'wait' }); // the thread has room for one more, but not alone
  const signal = new AbortController().signal;
  await assert.rejects(pool.run('alone', { name: 'echo', signal }), { code: 'ERR_POOL_OVERLOAD' });
  assert.equal(pool.waiting, 0);
  assert.equal(await pool.run('shares', { name: 'echo' }), 'shares');
  assert.equal(await busy, 50);
  await pool.releaseTimeout(5000);
});
