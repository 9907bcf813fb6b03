import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThreadPool } from '../src/thread/index.js';
import { fixture } from './thread-helpers.js';

interface Seen {
  threadId: number;
  most: number;
}

test('concurrentTasksPerThread: 20 timer tasks on 2 threads run 10 at a time on each', async () => {
  const pool = new ThreadPool<number, Seen>({
    filename: fixture('concurrent.mjs'),
    size: 2,
    concurrentTasksPerThread: 10,
    workStealing: false, // each thread gets its 10 by the core's fill, none stolen
  });
  const seen = await Promise.all(Array.from({ length: 20 }, () => pool.run(100)));
  const threads = new Map<number, number>();
  for (const s of seen) threads.set(s.threadId, Math.max(threads.get(s.threadId) ?? 0, s.most));
  // Every task ran while 10 were in flight on its thread: about one timer's time in all.
  assert.equal(threads.size, 2);
  assert.deepEqual([...threads.values()], [10, 10]);
  await pool.releaseTimeout(5000);
});

test('concurrentTasksPerThread: never more than n in flight on a thread, whatever is queued', async () => {
  const pool = new ThreadPool<number, Seen>({
    filename: fixture('concurrent.mjs'),
    size: 2,
    concurrentTasksPerThread: 3,
  });
  const seen = await Promise.all(Array.from({ length: 60 }, () => pool.run(5)));
  const most = Math.max(...seen.map((s) => s.most));
  assert.equal(most, 3);
  await pool.releaseTimeout(5000);
});

test('without the option, a thread runs one task at a time', async () => {
  const pool = new ThreadPool<number, Seen>({ filename: fixture('concurrent.mjs'), size: 2 });
  const seen = await Promise.all(Array.from({ length: 8 }, () => pool.run(5)));
  assert.equal(Math.max(...seen.map((s) => s.most)), 1);
  await pool.releaseTimeout(5000);
});
