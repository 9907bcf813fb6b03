import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, startServer } from './bullmq-helpers.js';

queueTest(
  'release() rejects the runs in flight and later calls with PoolClosedError',
  async (t, { QueuePool, PoolClosedError }) => {
    const redis = await startRedis(t);
    const pool = new QueuePool({ queue: queueName(), connection: redis.url });
    defer(t, () => pool.release());
    const inFlight = pool.run(1); // no server: it waits
    await pool.submit(2);
    assert.equal(pool.closed, false);
    const released = pool.release();
    assert.equal(pool.closed, true);
    await assert.rejects(inFlight, (err: unknown) => {
      assert.ok(err instanceof PoolClosedError);
      assert.match(err.message, /released before job .* finished; the job may still run/);
      return true;
    });
    await released;
    await pool.release(); // idempotent
    await assert.rejects(pool.run(3), PoolClosedError);
    await assert.rejects(pool.submit(3), PoolClosedError);
    await assert.rejects(pool.counts(), PoolClosedError);
    await assert.rejects(pool.tune(2), PoolClosedError);
    await assert.rejects(pool.onIdle(), PoolClosedError);
    await assert.rejects(pool.releaseTimeout(100), PoolClosedError);
  },
);

queueTest(
  'releaseTimeout(ms) waits for the runs in flight, or rejects TimeoutError',
  async (t, { QueuePool, PoolClosedError, TimeoutError }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    await startServer(t, redis, { queue, processor: 'func' });
    const pool = new QueuePool<{ op: string; ms: number }, unknown>({
      queue,
      connection: redis.url,
    });
    defer(t, () => pool.release());
    const quick = pool.run({ op: 'sleep', ms: 300 });
    await pool.releaseTimeout(10_000);
    assert.ok(await quick, 'the run settled before the pool closed');
    assert.equal(pool.closed, true);

    const other = new QueuePool<{ op: string; ms: number }, unknown>({
      queue,
      connection: redis.url,
    });
    defer(t, () => other.release());
    const slow = other.run({ op: 'sleep', ms: 20_000 });
    await assert.rejects(other.releaseTimeout(300), (err: unknown) => {
      assert.ok(err instanceof TimeoutError);
      assert.match(err.message, /1 runs were still in flight after 300 ms/);
      return true;
    });
    await assert.rejects(slow, PoolClosedError);
    assert.equal(other.closed, true);
  },
);

queueTest('await using releases the pool', async (t, { QueuePool, PoolClosedError }) => {
  const redis = await startRedis(t);
  let escaped: InstanceType<typeof QueuePool> | undefined;
  {
    await using pool = new QueuePool({ queue: queueName(), connection: redis.url });
    await pool.submit(1);
    escaped = pool;
  }
  assert.equal(escaped.closed, true);
  await assert.rejects(escaped.run(1), PoolClosedError);
});
