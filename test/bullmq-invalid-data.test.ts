import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, startServer } from './bullmq-helpers.js';

queueTest(
  'data JSON cannot carry faithfully rejects ERR_INVALID_JOB_DATA before anything is sent',
  async (t, { QueuePool, InvalidArgumentError }) => {
    const redis = await startRedis(t);
    const pool = new QueuePool<unknown>({ queue: queueName(), connection: redis.url });
    defer(t, () => pool.release());
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    const bad: [unknown, RegExp][] = [
      [() => 1, /a function/],
      [{ when: new Map([[1, 2]]) }, /a Map at \.when/],
      [{ n: 10n }, /a BigInt \(`10n`\) at \.n/],
      [cycle, /a cycle at \.self/],
      [[1, new Set()], /a Set at \[1\]/],
      [{ at: new Date(0) }, /a Date at \.at/],
      [Number.NaN, /`NaN`/],
      [[1, undefined], /`undefined` at \[1\]/],
    ];
    for (const [data, message] of bad) {
      for (const call of [pool.run(data), pool.submit(data)]) {
        const err = await call.then(
          () => assert.fail('the call should reject'),
          (e: unknown) => e,
        );
        assert.ok(err instanceof InvalidArgumentError);
        assert.equal(err.code, 'ERR_INVALID_JOB_DATA');
        assert.match(err.message, message);
      }
    }
    // Nothing reached the queue.
    assert.deepEqual(await pool.counts(), { running: 0, waiting: 0, completed: 0, failed: 0 });
  },
);

queueTest(
  'a result JSON cannot carry fails the job with ERR_INVALID_JOB_DATA',
  async (t, { QueuePool, JobFailedError }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    await startServer(t, redis, { queue, processor: 'thread' });
    const pool = new QueuePool({ queue, connection: redis.url });
    defer(t, () => pool.release());
    const err = await pool.run(null, { name: 'map' }).then(
      () => assert.fail('the run should reject'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof JobFailedError);
    const cause = err.cause as Error & { code?: unknown };
    assert.equal(cause.code, 'ERR_INVALID_JOB_DATA');
    assert.match(cause.message, /the result of job .* a Map/);
  },
);
