import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, startServer, until } from './bullmq-helpers.js';

queueTest(
  "counts() reads the queue's running, waiting, completed and failed jobs",
  async (t, { QueuePool }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    await startServer(t, redis, { queue, processor: 'func', concurrency: 1 });
    const pool = new QueuePool({ queue, connection: redis.url });
    defer(t, () => pool.release());
    assert.deepEqual(await pool.counts(), { running: 0, waiting: 0, completed: 0, failed: 0 });
    await pool.run({ op: 'echo' });
    await pool.run({ op: 'echo' });
    await assert.rejects(pool.run({ op: 'flaky', key: 'k' }), { code: 'ERR_JOB_FAILED' });
    const long = pool.run({ op: 'sleep', ms: 2000 });
    await until(
      () => pool.counts(),
      (c) => c.running === 1,
      'the long job runs',
    );
    await pool.submit({ op: 'echo' });
    await pool.submit({ op: 'echo' });
    assert.deepEqual(await pool.counts(), { running: 1, waiting: 2, completed: 2, failed: 1 });
    await long;
    await pool.onIdle();
    assert.deepEqual(await pool.counts(), { running: 0, waiting: 0, completed: 5, failed: 1 });
    await pool.release();
  },
);
