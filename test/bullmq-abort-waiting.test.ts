import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, startServer, until } from './bullmq-helpers.js';

queueTest(
  'aborting a waiting job removes it from the queue',
  async (t, { QueuePool, AbortError }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    const pool = new QueuePool({ queue, connection: redis.url });
    defer(t, () => pool.release());
    // No server yet: the job waits.
    const controller = new AbortController();
    const run = pool.run({ op: 'echo', value: 'never' }, { signal: controller.signal });
    await until(
      () => pool.counts(),
      (c) => c.waiting === 1,
      'the job is stored',
    );
    const reason = new Error('no longer needed');
    controller.abort(reason);
    const err = await run.then(
      () => assert.fail('the run should reject'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof AbortError);
    assert.equal(err.code, 'ERR_TASK_ABORTED');
    assert.equal(err.cause, reason);
    await until(
      () => pool.counts(),
      (c) => c.waiting === 0,
      'the job is removed',
    );
    // Aborted before it was even stored: nothing reaches the queue.
    const early = new AbortController();
    const second = pool.run({ op: 'echo', value: 'never' }, { signal: early.signal });
    early.abort();
    await assert.rejects(second, AbortError);
    await assert.rejects(pool.run(1, { signal: early.signal }), AbortError);
    // A submitted job is removed the same way.
    const third = new AbortController();
    await pool.submit({ op: 'echo', value: 'never' }, { signal: third.signal });
    third.abort();
    await until(
      () => pool.counts(),
      (c) => c.waiting === 0,
      'the submitted job is removed',
    );
    // A server that starts now finds nothing to run.
    const server = await startServer(t, redis, { queue, processor: 'func' });
    assert.deepEqual(await pool.run({ op: 'echo', value: 'last' }), {
      pid: server.pid,
      value: 'last',
    });
    await pool.onIdle();
    assert.deepEqual(await pool.counts(), { running: 0, waiting: 0, completed: 1, failed: 0 });
    assert.equal(server.lines.filter((line) => line.startsWith('active')).length, 1);
  },
);
