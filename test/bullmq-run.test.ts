import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, startServer } from './bullmq-helpers.js';

queueTest(
  'QueuePool.run resolves with the result computed in another process',
  async (t, { QueuePool }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    const server = await startServer(t, redis, { queue, processor: 'thread' });
    const pool = new QueuePool<unknown, { pid: number; value: unknown }>({
      queue,
      connection: redis.url,
    });
    defer(t, () => pool.release());
    const value = { n: 1, list: [1, 'two', null, { deep: true }] };
    const result = await pool.run(value);
    assert.equal(result.pid, server.pid);
    assert.notEqual(result.pid, process.pid);
    assert.deepEqual(result.value, value);
    const many = await Promise.all(Array.from({ length: 200 }, (_, i) => pool.run(i)));
    assert.deepEqual(
      many.map((r) => r.value),
      Array.from({ length: 200 }, (_, i) => i),
    );
    assert.equal(await pool.run(undefined).then((r) => r.value), undefined);
    await pool.release();
  },
);
