import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis } from './bullmq-helpers.js';

queueTest('a bad QueuePool option throws the typed error of SPEC §2', async (t, { QueuePool }) => {
  const redis = await startRedis(t);
  const connection = redis.url;
  const queue = queueName();
  const throws = (options: unknown, code: string, message: RegExp): void => {
    assert.throws(() => new QueuePool(options as never), {
      name: 'InvalidArgumentError',
      code,
      message,
    });
  };
  throws(undefined, 'ERR_INVALID_OPTION', /`options` to be an object, got `undefined`/);
  throws({ connection }, 'ERR_INVALID_OPTION', /`queue` to be a non-empty queue name/);
  throws({ queue: 'a:b', connection }, 'ERR_INVALID_OPTION', /without `:`/);
  throws({ queue }, 'ERR_INVALID_OPTION', /`connection` to be a redis:\/\/ URL/);
  throws({ queue, connection: 'http://x' }, 'ERR_INVALID_OPTION', /`connection`/);
  throws(
    { queue, connection, size: 0 },
    'ERR_INVALID_POOL_SIZE',
    /`size` to be a positive integer or Infinity, got `0`/,
  );
  throws({ queue, connection, size: 1.5 }, 'ERR_INVALID_POOL_SIZE', /`size`/);
  throws(
    { queue, connection, nonblocking: 'yes' },
    'ERR_INVALID_OPTION',
    /`nonblocking` to be a boolean/,
  );
  throws({ queue, connection, maxBlockingTasks: -1 }, 'ERR_INVALID_OPTION', /`maxBlockingTasks`/);
  throws(
    { queue, connection, jobOptions: { attempts: 0 } },
    'ERR_INVALID_OPTION',
    /`jobOptions.attempts`/,
  );
  throws(
    { queue, connection, jobOptions: { backoff: { type: 'linear', delay: 1 } } },
    'ERR_INVALID_OPTION',
    /`jobOptions.backoff`/,
  );
  throws(
    { queue, connection, jobOptions: { removeOnFail: -1 } },
    'ERR_INVALID_OPTION',
    /`jobOptions.removeOnFail`/,
  );
  throws({ queue, connection, prefix: '' }, 'ERR_INVALID_OPTION', /`prefix`/);
  throws({ queue, connection, logger: {} }, 'ERR_INVALID_OPTION', /`logger`/);
});

queueTest(
  'bad call options, sizes and durations reject with the typed error of SPEC §2',
  async (t, { QueuePool }) => {
    const redis = await startRedis(t);
    const pool = new QueuePool({ queue: queueName(), connection: redis.url });
    defer(t, () => pool.release());
    const rejects = (call: () => Promise<unknown>, code: string, message: RegExp) =>
      assert.rejects(call(), { name: 'InvalidArgumentError', code, message });
    await rejects(
      () => pool.run(1, 'x' as never),
      'ERR_INVALID_OPTION',
      /`options` to be an object/,
    );
    await rejects(() => pool.run(1, { name: 1 as never }), 'ERR_INVALID_OPTION', /`options.name`/);
    await rejects(
      () => pool.run(1, { signal: {} as never }),
      'ERR_INVALID_OPTION',
      /`options.signal`/,
    );
    await rejects(() => pool.run(1, { jobId: '12' }), 'ERR_INVALID_OPTION', /`options.jobId`/);
    await rejects(() => pool.submit(1, { jobId: 'a:b' }), 'ERR_INVALID_OPTION', /`options.jobId`/);
    await rejects(() => pool.run(1, { priority: -1 }), 'ERR_INVALID_OPTION', /`options.priority`/);
    await rejects(
      () => pool.run(1, { priority: 2 ** 22 }),
      'ERR_INVALID_OPTION',
      /`options.priority`/,
    );
    await rejects(() => pool.run(1, { timeout: 0 }), 'ERR_INVALID_OPTION', /`options.timeout`/);
    await rejects(() => pool.tune(0), 'ERR_INVALID_POOL_SIZE', /`size`/);
    await rejects(() => pool.releaseTimeout(-1), 'ERR_INVALID_OPTION', /`ms`/);
    // The same jobId twice in flight in one pool.
    const first = pool.submit(1, { jobId: 'twice' });
    await rejects(() => pool.run(2, { jobId: 'twice' }), 'ERR_INVALID_OPTION', /unique/);
    await first;
    assert.equal((await pool.counts()).waiting, 1);
  },
);

queueTest(
  'serve rejects a missing processor and bad options with the typed error of SPEC §2',
  async (t, { serve }) => {
    const redis = await startRedis(t);
    const connection = redis.url;
    const { PoolWithFunc, Pool } = await import('../src/index.js');
    const fn = new PoolWithFunc(2, (n: number) => n);
    const unlimited = new PoolWithFunc(Number.POSITIVE_INFINITY, (n: number) => n);
    defer(t, () => {
      fn.release();
      unlimited.release();
    });
    const rejects = (call: Promise<unknown>, code: string, message: RegExp) =>
      assert.rejects(call, { name: 'InvalidArgumentError', code, message });
    await rejects(
      serve('q', undefined as never, { connection }),
      'ERR_LACK_POOL_FUNC',
      /`processor` to be a ThreadPool or a PoolWithFunc/,
    );
    await rejects(
      serve('q', new Pool(1) as never, { connection }),
      'ERR_LACK_POOL_FUNC',
      /`processor`/,
    );
    await rejects(serve('', fn, { connection }), 'ERR_INVALID_OPTION', /`queue`/);
    await rejects(
      serve('q', fn, undefined as never),
      'ERR_INVALID_OPTION',
      /`options` to be an object/,
    );
    await rejects(serve('q', fn, {} as never), 'ERR_INVALID_OPTION', /`connection`/);
    await rejects(
      serve('q', fn, { connection, concurrency: 0 }),
      'ERR_INVALID_OPTION',
      /`concurrency` to be a positive integer/,
    );
    await rejects(
      serve('q', unlimited, { connection }),
      'ERR_INVALID_OPTION',
      /the processor is unlimited: give `concurrency`/,
    );
    await rejects(
      serve('q', fn, { connection, lockDuration: -5 }),
      'ERR_INVALID_OPTION',
      /`lockDuration`/,
    );
    await rejects(
      serve('q', fn, { connection, stalledInterval: 0 }),
      'ERR_INVALID_OPTION',
      /`stalledInterval`/,
    );
    await rejects(
      serve('q', fn, { connection, maxStalledCount: 1.5 }),
      'ERR_INVALID_OPTION',
      /`maxStalledCount`/,
    );
  },
);
