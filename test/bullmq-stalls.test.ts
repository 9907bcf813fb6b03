import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { defer, queueName, queueTest, startRedis, startServer, until } from './bullmq-helpers.js';

// CPU-bound jobs of about 1.5 s under a 1 s lock: BullMQ renews a lock from the server's event
// loop every lockDuration / 2, so only a server whose loop stays free keeps its jobs.
const JOB_MS = 1500;
const LOCKS = { lockDuration: 1000, stalledInterval: 500 } as const;
// The issue asks for 20 jobs; on a 2-core machine that is 15 s of computing, so the test runs 6
// (three rounds per thread: every lock is renewed twice or more). ANTPOOL_STALL_JOBS=20 runs all.
const JOBS = Number(process.env.ANTPOOL_STALL_JOBS ?? 6);

/** BullMQ's `stalled` events of the queue, from its events stream: every server's. */
async function stalledEvents(queue: string, client: Redis): Promise<number> {
  const entries = await client.xrange(`bull:${queue}:events`, '-', '+');
  return entries.filter(([, fields]) => fields[0] === 'event' && fields[1] === 'stalled').length;
}

queueTest(
  'CPU-bound jobs through serve() and a ThreadPool never stall; inline, they do',
  async (t, { QueuePool }) => {
    const redis = await startRedis(t);
    const client = new Redis(redis.url);
    defer(t, () => client.disconnect());

    // serve() with a ThreadPool of 2: the jobs compute in threads, the server's loop stays free.
    const pooled = queueName();
    await startServer(t, redis, { queue: pooled, processor: 'thread', size: 2, ...LOCKS });
    const pool = new QueuePool<number, { ms: number }>({ queue: pooled, connection: redis.url });
    defer(t, () => pool.release());
    const results = await Promise.all(
      Array.from({ length: JOBS }, () => pool.run(JOB_MS, { name: 'spin' })),
    );
    assert.equal(results.length, JOBS);
    assert.ok(results.every((r) => r.ms === JOB_MS));
    assert.equal(await stalledEvents(pooled, client), 0, 'no job stalled');
    // A server answers before BullMQ marks the job completed: the count may lag a moment.
    let completed = 0;
    for (let tries = 0; tries < 100 && completed < JOBS; tries++) {
      completed = (await pool.counts()).completed;
      if (completed < JOBS) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(completed, JOBS);

    // The contrast: a plain BullMQ worker computing the same jobs on its main thread.
    const inline = queueName();
    const worker = await startServer(
      t,
      redis,
      { queue: inline, processor: 'func', ...LOCKS },
      'bullmq-inline-server.mjs',
    );
    const producer = new QueuePool<number>({ queue: inline, connection: redis.url });
    defer(t, () => producer.release());
    for (let i = 0; i < 3; i++) await producer.submit(JOB_MS);
    const stalled = await until(
      () => stalledEvents(inline, client),
      (n) => n > 0,
      'a job of the inline worker stalls',
    );
    assert.ok(stalled > 0);
    await worker.kill();
  },
);
