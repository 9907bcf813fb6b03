import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PoolClosedError, PoolOverloadError, TimeoutError } from '../src/thread/index.js';
import { until } from './helpers.js';
import { behaviours } from './thread-helpers.js';

test('running counts live threads; idle ones are purged after expiryDuration', async () => {
  const pool = behaviours({ size: 2, localQueueSize: 1, expiryDuration: 30 });
  assert.equal(pool.running, 0, 'no thread before the first task');
  const tasks = [pool.run(20, { name: 'wait' }), pool.run(20, { name: 'wait' })];
  assert.equal(pool.running, 2, 'busy threads count, and are never purged');
  await Promise.all(tasks);
  await until(() => pool.running === 0, 'idle threads are purged');
  assert.equal(await pool.run('back', { name: 'echo' }), 'back');
  await pool.releaseTimeout(5000);
});

test('disablePurge keeps idle threads; preAlloc starts every thread at construction', async () => {
  const pool = behaviours({ size: 2, expiryDuration: 10, disablePurge: true, preAlloc: true });
  assert.equal(pool.running, 2);
  await new Promise((resolve) => setTimeout(resolve, 60));
  assert.equal(pool.running, 2);
  assert.equal(await pool.run('ok', { name: 'echo' }), 'ok');
  await pool.releaseTimeout(5000);
  assert.equal(pool.running, 0);
});

test('tune adds threads at once and retires extra ones when they go idle', async () => {
  const pool = behaviours({ size: 1, localQueueSize: 1 });
  const tasks = Array.from({ length: 4 }, () => pool.run(100, { name: 'wait' }));
  assert.equal(pool.running, 1);
  assert.equal(pool.waiting, 3);
  pool.tune(3);
  assert.equal(pool.running, 3);
  assert.equal(pool.waiting, 1);
  pool.tune(1);
  await Promise.all(tasks);
  await pool.onIdle();
  assert.equal(pool.running, 1);
  await pool.releaseTimeout(5000);
});

test('nonblocking and maxBlockingTasks reject with PoolOverloadError', async () => {
  const strict = behaviours({ size: 1, localQueueSize: 1, nonblocking: true });
  const busy = strict.run(50, { name: 'wait' });
  await assert.rejects(strict.run('x', { name: 'echo' }), PoolOverloadError);
  await busy;
  await strict.releaseTimeout(5000);

  const bounded = behaviours({ size: 1, localQueueSize: 1, maxBlockingTasks: 1 });
  const first = bounded.run(50, { name: 'wait' });
  const second = bounded.run('queued', { name: 'echo' });
  await assert.rejects(bounded.invoke('x', { name: 'echo' }), PoolOverloadError);
  assert.deepEqual(await Promise.all([first, second]), [50, 'queued']);
  await bounded.releaseTimeout(5000);
});

test('release rejects waiting tasks; releaseTimeout waits for every thread to exit', async () => {
  const pool = behaviours({ size: 1, localQueueSize: 1 });
  const running = pool.run(50, { name: 'wait' });
  const waiting = pool.run('w', { name: 'echo' });
  const released = pool.releaseTimeout(5000);
  await assert.rejects(waiting, PoolClosedError);
  assert.equal(await running, 50);
  await released;
  assert.equal(pool.running, 0);
  await assert.rejects(pool.run('x', { name: 'echo' }), PoolClosedError);
  await assert.rejects(pool.releaseTimeout(100), PoolClosedError);
});

test('releaseTimeout rejects TimeoutError when a task outlives it', async () => {
  const pool = behaviours({ size: 1 });
  const spinning = pool.run(300, { name: 'wait' });
  await assert.rejects(pool.releaseTimeout(20), TimeoutError);
  // The thread no longer keeps the process alive (SPEC §8): the test's own timer does.
  const alive = setInterval(() => {}, 1000);
  assert.equal(await spinning, 300, 'the task still runs to its end');
  clearInterval(alive);
});

test('reboot opens a released pool; onIdle and asyncDispose work as on Pool', async () => {
  const pool = behaviours({ size: 2 });
  assert.equal(await pool.run(1, { name: 'echo' }), 1);
  pool.release();
  pool.reboot();
  const results = Promise.all(Array.from({ length: 6 }, (_, i) => pool.run(i, { name: 'echo' })));
  await pool.onIdle();
  assert.deepEqual(await results, [0, 1, 2, 3, 4, 5]);
  await pool[Symbol.asyncDispose]();
  assert.equal(pool.closed, true);
  assert.equal(pool.running, 0);
});

test('release drops tasks accepted into a local queue but not started', async () => {
  const pool = behaviours({ size: 1, localQueueSize: 4 });
  await pool.run('warm', { name: 'echo' }); // the module is loaded: the next task starts on arrival
  const started = pool.run(100, { name: 'wait' });
  const queuedRun = pool.run('never', { name: 'echo' });
  await pool.invoke('dropped silently', { name: 'echo' });
  const released = pool.releaseTimeout(5000);
  await assert.rejects(queuedRun, PoolClosedError);
  assert.equal(await started, 100, 'the running task finishes');
  await released;
  assert.equal(pool.running, 0);
});
