import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, startServer, until } from './bullmq-helpers.js';

queueTest(
  'aborting a running job cancels it on its server: its thread is preempted',
  async (t, { QueuePool, AbortError }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    // One thread: while `forever` holds it, nothing else can run there.
    const server = await startServer(t, redis, { queue, processor: 'thread', size: 1 });
    const pool = new QueuePool({ queue, connection: redis.url });
    defer(t, () => pool.release());
    const controller = new AbortController();
    const run = pool.run(null, { name: 'forever', signal: controller.signal });
    await server.waitFor(/^active /);
    controller.abort();
    await assert.rejects(run, AbortError); // at once: the server has not answered yet
    // The job fails on its server, for good (no retry), and the thread is free again.
    await until(
      () => pool.counts(),
      (c) => c.failed === 1 && c.running === 0,
      'the job is cancelled',
    );
    assert.deepEqual(await pool.run('after'), { pid: server.pid, value: 'after' });
    assert.equal(server.lines.filter((line) => line.startsWith('active')).length, 2);
  },
);
