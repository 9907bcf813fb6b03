import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { defer, queueName, queueTest, startRedis, startServer } from './bullmq-helpers.js';

queueTest(
  'cap and tune() bound the jobs running at once across all servers',
  async (t, { QueuePool }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    // Two servers of 4 each: 8 jobs could run at once without the cap.
    await startServer(t, redis, { queue, processor: 'func', size: 4 });
    await startServer(t, redis, { queue, processor: 'func', size: 4 });
    const pool = new QueuePool<{ op: string; key: string; ms: number }, number>({
      queue,
      connection: redis.url,
      size: 3,
    });
    defer(t, () => pool.release());
    assert.equal(pool.cap, 3);
    const client = new Redis(redis.url);
    defer(t, () => client.disconnect());
    // Each job counts itself in Redis while it runs; the highest count is what ran at once.
    const most = async (key: string, jobs: number): Promise<number> => {
      await Promise.all(
        Array.from({ length: jobs }, () => pool.run({ op: 'track', key, ms: 250 })),
      );
      return Number(await client.get(`${key}:max`));
    };
    const three = await most('three', 12);
    assert.ok(three <= 3 && three >= 2, `at most 3 at once (saw ${three})`);
    await pool.tune(1);
    assert.equal(pool.cap, 1);
    assert.equal(await most('one', 4), 1);
    await pool.tune(6);
    const six = await most('six', 12);
    assert.ok(six <= 6 && six > 3, `more than 3, at most 6 at once (saw ${six})`);
    await pool.tune(Number.POSITIVE_INFINITY);
    assert.equal(pool.cap, Number.POSITIVE_INFINITY);
    const all = await most('all', 12);
    assert.ok(all > 6, `no cap: up to the servers' 8 (saw ${all})`);
    await pool.release();
  },
);
