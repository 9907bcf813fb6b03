import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  defer,
  queueName,
  queueTest,
  quietLogger,
  startRedis,
  startServer,
} from './bullmq-helpers.js';

queueTest(
  'Redis stopped for 2 s in the middle of 1,000 runs: none hangs, nothing is lost',
  async (t, { QueuePool }) => {
    // Append-only file, fsync'd on every write: what Redis acknowledged survives its crash.
    const redis = await startRedis(t, { aof: true });
    const queue = queueName();
    // A job handed to a server by a command whose reply the crash cut off is active with nobody
    // running it: the stalled check takes it back once its lock expires. Short locks keep that
    // within the test's bounds (BullMQ's defaults: 30 s each).
    const config = {
      queue,
      processor: 'func',
      size: 20,
      lockDuration: 2000,
      stalledInterval: 1000,
    } as const;
    await startServer(t, redis, config);
    await startServer(t, redis, config);
    const logger = quietLogger();
    const pool = new QueuePool<{ op: string; ms: number; value: number }, { value: number }>({
      queue,
      connection: redis.url,
      logger,
    });
    defer(t, () => pool.release());
    let done = 0;
    const runs = Array.from({ length: 1000 }, (_, value) =>
      pool.run({ op: 'sleep', ms: 20, value }).finally(() => done++),
    );
    while (done < 250) await sleep(5);
    await redis.kill();
    const atCrash = done;
    await sleep(2000);
    await redis.start();
    const results = await Promise.allSettled(runs);
    const rejected = results.filter((r) => r.status === 'rejected');
    assert.deepEqual(rejected, [], 'every run resolved');
    assert.deepEqual(
      results.map((r) => (r.status === 'fulfilled' ? r.value.value : -1)),
      Array.from({ length: 1000 }, (_, i) => i),
    );
    assert.ok(atCrash < 1000, 'Redis went away in the middle of the runs');
    // Jobs whose completion the crash cut off run again once their lock expired (at least once):
    // their runs have settled with the first result already; the queue settles a little later.
    await pool.onIdle();
    const counts = await pool.counts();
    assert.deepEqual(counts, { running: 0, waiting: 0, completed: 1000, failed: 0 });
    assert.ok(logger.calls.length >= 1, 'the lost connection was logged');
  },
);
