import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, startServer } from './bullmq-helpers.js';

queueTest(
  "run's name picks the ThreadPool export; '' and 'default' mean the default export",
  async (t, { QueuePool }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    const server = await startServer(t, redis, { queue, processor: 'thread' });
    const pool = new QueuePool({ queue, connection: redis.url });
    defer(t, () => pool.release());
    assert.equal(await pool.run(21, { name: 'double' }), 42);
    assert.deepEqual(await pool.run('x'), { pid: server.pid, value: 'x' });
    assert.deepEqual(await pool.run('y', { name: '' }), { pid: server.pid, value: 'y' });
    assert.deepEqual(await pool.run('z', { name: 'default' }), { pid: server.pid, value: 'z' });
    await pool.release();
  },
);
