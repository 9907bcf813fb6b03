import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, until } from './bullmq-helpers.js';

queueTest(
  'timeout rejects TimeoutError, and says the job may still run',
  async (t, { QueuePool, TimeoutError }) => {
    const redis = await startRedis(t);
    const pool = new QueuePool({ queue: queueName(), connection: redis.url });
    defer(t, () => pool.release());
    // No server: the job waits for ever.
    const err = await pool.run(1, { timeout: 200 }).then(
      () => assert.fail('the run should time out'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof TimeoutError);
    assert.equal(err.code, 'ERR_TIMEOUT');
    assert.match(err.message, /did not finish within 200 ms; it may still run/);
    // A loaded machine may take longer than 200 ms to store the job: it is stored all the same.
    await until(
      () => pool.counts(),
      (counts) => counts.waiting === 1,
      'the job is in the queue, waiting',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await pool.counts()).waiting, 1, 'the job stays in the queue');
  },
);
