import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, startServer } from './bullmq-helpers.js';

queueTest(
  'submit resolves once the job is stored; onIdle once the queue ran it',
  async (t, { QueuePool }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    const pool = new QueuePool({ queue, connection: redis.url });
    defer(t, () => pool.release());
    // No server yet: nothing can run the jobs, and submit resolves anyway.
    await pool.submit({ op: 'echo', value: 1 });
    await pool.submit({ op: 'echo', value: 2 });
    assert.deepEqual(await pool.counts(), { running: 0, waiting: 2, completed: 0, failed: 0 });
    await startServer(t, redis, { queue, processor: 'func' });
    await pool.onIdle();
    assert.deepEqual(await pool.counts(), { running: 0, waiting: 0, completed: 2, failed: 0 });
    await pool.release();
  },
);
