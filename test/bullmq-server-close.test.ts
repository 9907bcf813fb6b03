import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, startServer, until } from './bullmq-helpers.js';

queueTest(
  'server.close() lets the running jobs finish, then stops taking jobs',
  async (t, { QueuePool }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    const server = await startServer(t, redis, { queue, processor: 'thread' });
    const pool = new QueuePool<number, { pid: number }>({ queue, connection: redis.url });
    defer(t, () => pool.release());
    const running = [pool.run(1000, { name: 'sleep' }), pool.run(1000, { name: 'sleep' })];
    const started = async () => server.lines.filter((line) => line.startsWith('active')).length;
    await until(started, (n) => n === 2, 'both jobs run');
    // The fixture closes the server on SIGTERM, then releases its ThreadPool: nothing is left to
    // keep the process alive, so it exits by itself, with 0.
    assert.equal(await server.kill('SIGTERM'), 0);
    for (const result of await Promise.all(running)) assert.equal(result.pid, server.pid);
    const closed = server.lines.indexOf('closed');
    assert.ok(closed > 0, 'the server closed');
    const completed = server.lines.flatMap((line, i) => (line.startsWith('completed') ? [i] : []));
    assert.equal(completed.length, 2);
    assert.ok(
      completed.every((i) => i < closed),
      'both jobs finished before the server closed',
    );
    // Nobody serves the queue any more: a new job waits.
    await pool.submit(1, { name: 'sleep' });
    assert.deepEqual(await pool.counts(), { running: 0, waiting: 1, completed: 2, failed: 0 });
  },
);
