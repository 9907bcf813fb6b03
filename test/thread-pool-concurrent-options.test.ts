import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError, ThreadPool } from '../src/thread/index.js';
import { fixture } from './thread-helpers.js';

const filename = fixture('concurrent.mjs');

test('concurrentTasksPerThread, maxTasksPerThread, maxHeapUsedPerThread: positive integers', () => {
  const names = ['concurrentTasksPerThread', 'maxTasksPerThread', 'maxHeapUsedPerThread'];
  for (const name of names) {
    for (const value of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2', null]) {
      assert.throws(
        () => new ThreadPool({ filename, [name]: value }),
        (err: unknown) =>
          err instanceof InvalidArgumentError &&
          err.code === 'ERR_INVALID_OPTION' &&
          err.message.includes(`\`${name}\``),
        `${name}: ${String(value)}`,
      );
    }
  }
});

test('an explicit localQueueSize below concurrentTasksPerThread is ERR_INVALID_OPTION', () => {
  assert.throws(
    () => new ThreadPool({ filename, concurrentTasksPerThread: 8, localQueueSize: 4 }),
    {
      code: 'ERR_INVALID_OPTION',
      message: /localQueueSize.*concurrentTasksPerThread \(8\)/,
    },
  );
  const pool = new ThreadPool({ filename, concurrentTasksPerThread: 8, localQueueSize: 8 });
  pool.release();
});

test('localQueueSize defaults to at least concurrentTasksPerThread', async () => {
  const pool = new ThreadPool<number, { most: number }>({
    filename,
    size: 1,
    concurrentTasksPerThread: 100,
  });
  const seen = await Promise.all(Array.from({ length: 100 }, () => pool.run(50)));
  assert.equal(Math.max(...seen.map((s) => s.most)), 100);
  await pool.releaseTimeout(5000);
});
