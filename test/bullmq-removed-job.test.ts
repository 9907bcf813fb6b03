import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { defer, queueName, queueTest, startRedis, until } from './bullmq-helpers.js';

queueTest(
  'a job removed from the queue by someone else still settles its run',
  async (t, { QueuePool, JobFailedError }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    const pool = new QueuePool({ queue, connection: redis.url });
    defer(t, () => pool.release());
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const admin = new Queue(queue, { connection });
    defer(t, async () => {
      await admin.close();
      connection.disconnect();
    });
    // No server: the job waits, and an operator removes it. No server will ever reply: the
    // producer's sweep finds the job gone (5 s after it was stored, and again 1 s later) and settles the run.
    const run = pool.run(1);
    const [job] = await until(
      () => admin.getJobs(['wait']),
      (jobs) => jobs.length === 1,
      'stored',
    );
    assert.equal(await admin.remove(job!.id!), 1);
    const err = await run.then(
      () => assert.fail('the run should reject'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof JobFailedError);
    assert.match(err.message, /left the queue unfinished/);
  },
);
