import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThreadPool } from '../src/thread/index.js';
import { fixture } from './thread-helpers.js';

const tally = (ids: number[]) => {
  const counts = new Map<number, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
};

test('maxTasksPerThread: 10 replaces the thread every 10 tasks, and every task resolves', async () => {
  const pool = new ThreadPool<number, number>({
    filename: fixture('recycle.mjs'),
    size: 1,
    maxTasksPerThread: 10,
  });
  const ids = await Promise.all(Array.from({ length: 50 }, (_, i) => pool.run(i)));
  const counts = tally(ids);
  assert.equal(counts.size, 5);
  assert.deepEqual([...counts.values()], [10, 10, 10, 10, 10]);
  // In order: a thread's ten, then the next thread's.
  for (let i = 0; i < 50; i++) assert.equal(ids[i], ids[i - (i % 10)]);
  assert.ok(pool.running <= 1);
  await pool.releaseTimeout(5000);
});

test('maxTasksPerThread with async tasks in flight and two threads stealing', async () => {
  const pool = new ThreadPool<number, number>({
    filename: fixture('recycle.mjs'),
    size: 2,
    maxTasksPerThread: 10,
    concurrentTasksPerThread: 4,
  });
  const ids = await Promise.all(Array.from({ length: 200 }, () => pool.run(2, { name: 'later' })));
  const counts = tally(ids);
  for (const [thread, count] of counts) assert.ok(count <= 10, `thread ${thread} ran ${count}`);
  assert.ok(counts.size >= 20);
  assert.ok(pool.running <= 2);
  await pool.releaseTimeout(5000);
});
