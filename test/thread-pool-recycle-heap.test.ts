import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThreadPool } from '../src/thread/index.js';
import { fixture } from './thread-helpers.js';

const MB = 1024 * 1024;

test('maxHeapUsedPerThread: task code that leaks keeps the process RSS bounded', async (t) => {
  const pool = new ThreadPool<number, number>({
    filename: fixture('recycle.mjs'),
    size: 2,
    maxHeapUsedPerThread: 32 * MB,
  });
  await Promise.all([pool.run(0), pool.run(0)]); // the threads are up
  const base = process.memoryUsage.rss();
  let peak = base;
  const threads = new Set<number>();
  // 150 tasks keep 4 MB each: 600 MB if their threads lived on.
  for (let wave = 0; wave < 15; wave++) {
    const ids = await Promise.all(Array.from({ length: 10 }, () => pool.run(4, { name: 'leak' })));
    for (const id of ids) threads.add(id);
    peak = Math.max(peak, process.memoryUsage.rss());
  }
  t.diagnostic(`RSS grew by ${Math.round((peak - base) / MB)} MB`);
  assert.ok(peak - base < 300 * MB, `RSS grew by ${Math.round((peak - base) / MB)} MB`);
  assert.ok(threads.size >= 10, `${threads.size} threads ran the tasks`);
  await pool.releaseTimeout(5000);
});
