import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis } from './bullmq-helpers.js';

// No server runs these queues: every job stored stays waiting.

queueTest(
  'nonblocking rejects PoolOverloadError once cap jobs run or wait',
  async (t, { QueuePool, PoolOverloadError }) => {
    const redis = await startRedis(t);
    const pool = new QueuePool({
      queue: queueName(),
      connection: redis.url,
      size: 2,
      nonblocking: true,
    });
    defer(t, () => pool.release());
    await pool.submit(1);
    await pool.submit(2);
    await assert.rejects(pool.submit(3), PoolOverloadError);
    await assert.rejects(pool.run(4), { name: 'PoolOverloadError', code: 'ERR_POOL_OVERLOAD' });
    assert.equal((await pool.counts()).waiting, 2, 'nothing refused was added');
    await pool.tune(3);
    await pool.submit(3);
    await assert.rejects(pool.submit(4), PoolOverloadError);
  },
);

queueTest(
  'maxBlockingTasks rejects PoolOverloadError once that many jobs wait',
  async (t, { QueuePool, PoolOverloadError }) => {
    const redis = await startRedis(t);
    const pool = new QueuePool({ queue: queueName(), connection: redis.url, maxBlockingTasks: 3 });
    defer(t, () => pool.release());
    for (let i = 0; i < 3; i++) await pool.submit(i);
    await assert.rejects(pool.submit(3), PoolOverloadError);
    await assert.rejects(pool.run(4), PoolOverloadError);
    assert.equal((await pool.counts()).waiting, 3, 'nothing refused was added');
  },
);
