import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { TaskTraceContext } from '../src/index.js';
import { defer, queueName, queueTest, startRedis, startServer } from './bullmq-helpers.js';

queueTest(
  "QueuePool.stats counts the producer's runs; a tracing subscriber sees each with its name",
  async (t, { QueuePool }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    await startServer(t, redis, { queue, processor: 'thread' });
    const pool = new QueuePool<unknown, unknown>({
      queue,
      connection: redis.url,
      recordTiming: true,
    });
    defer(t, () => pool.release());
    const channel = diagnosticsChannel.tracingChannel<unknown, TaskTraceContext>('antpool:task');
    const traced: [string | undefined, string][] = [];
    const handlers = {
      start: (context: TaskTraceContext) => traced.push([context.name, 'start']),
      end: () => {},
      asyncStart: () => {},
      asyncEnd: (context: TaskTraceContext) => traced.push([context.name, 'asyncEnd']),
      error: (context: TaskTraceContext) => traced.push([context.name, 'error']),
    };
    channel.subscribe(handlers);
    try {
      assert.equal(await pool.run(2, { name: 'double' }), 4);
      const where = (await pool.run(3, { name: '' })) as { value: unknown };
      assert.equal(where.value, 3);
      await assert.rejects(pool.run('bad', { name: 'fail' }), { code: 'ERR_JOB_FAILED' });
      await assert.rejects(pool.run(5_000, { name: 'sleep', timeout: 200 }), {
        code: 'ERR_TIMEOUT',
      });
      await pool.submit(1, { name: 'double' }); // its outcome is reported nowhere: not counted
    } finally {
      channel.unsubscribe(handlers);
    }
    const stats = pool.stats();
    assert.deepEqual(
      { completed: stats.completed, failed: stats.failed },
      { completed: 2, failed: 2 },
    );
    assert.equal(stats.waitTime.count, 4);
    assert.equal(stats.runTime.count, 4);
    assert.ok(
      stats.runTime.max >= 150,
      `the timed-out run lasted its 200 ms: ${stats.runTime.max}`,
    );
    assert.deepEqual(traced, [
      ['double', 'start'],
      ['double', 'asyncEnd'],
      ['default', 'start'],
      ['default', 'asyncEnd'],
      ['fail', 'start'],
      ['fail', 'error'],
      ['fail', 'asyncEnd'],
      ['sleep', 'start'],
      ['sleep', 'error'],
      ['sleep', 'asyncEnd'],
    ]);
    pool.resetStats();
    assert.equal(pool.stats().completed, 0);
    assert.equal(pool.stats().runTime.count, 0);
  },
);

queueTest('a run refused before its job is stored counts in neither', async (t, { QueuePool }) => {
  const redis = await startRedis(t);
  const pool = new QueuePool({
    queue: queueName(),
    connection: redis.url,
    size: 1,
    nonblocking: true,
  });
  defer(t, () => pool.release());
  await pool.submit(1); // no server: it stays waiting, and fills the cap
  await assert.rejects(pool.run(2), { code: 'ERR_POOL_OVERLOAD' });
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(pool.run(3, { signal: controller.signal }), { code: 'ERR_TASK_ABORTED' });
  assert.deepEqual(pool.stats(), {
    completed: 0,
    failed: 0,
    waitTime: { count: 0, min: 0, max: 0, mean: 0, p50: 0, p99: 0 },
    runTime: { count: 0, min: 0, max: 0, mean: 0, p50: 0, p99: 0 },
  });
});
