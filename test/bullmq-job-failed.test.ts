import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, startServer } from './bullmq-helpers.js';

queueTest(
  'a failed job rejects JobFailedError with the remote error as cause',
  async (t, { QueuePool, JobFailedError, PoolError }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    await startServer(t, redis, { queue, processor: 'thread' });
    const pool = new QueuePool({ queue, connection: redis.url });
    defer(t, () => pool.release());
    const err = await pool.run('bad input', { name: 'fail' }).then(
      () => assert.fail('the job should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof JobFailedError);
    assert.ok(err instanceof PoolError);
    assert.equal(err.code, 'ERR_JOB_FAILED');
    assert.match(err.message, /bad input/);
    assert.equal(typeof err.jobId, 'string');
    const cause = err.cause as Error & { code?: unknown };
    assert.ok(cause instanceof Error);
    assert.equal(cause.name, 'RangeError');
    assert.equal(cause.message, 'bad input');
    assert.equal(cause.code, 'E_JOB');
    assert.match(cause.stack ?? '', /at fail .*bullmq-jobs\.mjs/);
    assert.deepEqual({ failed: (await pool.counts()).failed }, { failed: 1 });
    await pool.release();
  },
);

queueTest(
  'with attempts, run settles once: with the first result, or with the last failure',
  async (t, { QueuePool, JobFailedError }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    await startServer(t, redis, { queue, processor: 'func' });
    const pool = new QueuePool({
      queue,
      connection: redis.url,
      jobOptions: { attempts: 3, backoff: 10 },
    });
    defer(t, () => pool.release());
    // Fails twice, then succeeds: the run resolves with the third try's result.
    assert.equal(await pool.run({ op: 'flaky', key: 'a', succeedOn: 3 }), 3);
    // Fails every time: the run rejects once, with the third (last) failure.
    const err = await pool.run({ op: 'flaky', key: 'b' }).then(
      () => assert.fail('the job should fail'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof JobFailedError);
    const cause = err.cause as Error & { code?: unknown };
    assert.equal(cause.name, 'TypeError');
    assert.equal(cause.message, 'try 3 failed');
    assert.equal(cause.code, 'E_FLAKY');
    await pool.release();
  },
);
