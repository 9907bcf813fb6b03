import assert from 'node:assert/strict';
import { defer, queueName, queueTest, startRedis, startServer } from './bullmq-helpers.js';

queueTest(
  'SIGKILL of a server mid-job: the job completes on another server, run resolves once',
  async (t, { QueuePool }) => {
    const redis = await startRedis(t);
    const queue = queueName();
    // Short locks and frequent stall checks, so that the job is taken again within seconds.
    const config = {
      queue,
      processor: 'thread',
      size: 1,
      lockDuration: 1000,
      stalledInterval: 500,
    } as const;
    const servers = [await startServer(t, redis, config), await startServer(t, redis, config)];
    const pool = new QueuePool<number, { pid: number }>({ queue, connection: redis.url });
    defer(t, () => pool.release());
    let settled = 0;
    const run = pool.run(1500, { name: 'sleep' }).finally(() => settled++);
    const first = await Promise.race(servers.map((s) => s.waitFor(/^active /).then(() => s)));
    const other = servers.find((s) => s !== first)!;
    assert.equal(await first.kill('SIGKILL'), null);
    const result = await run;
    assert.equal(result.pid, other.pid, 'the surviving server ran it');
    await other.waitFor(/^completed /);
    assert.equal(settled, 1);
    assert.deepEqual(await pool.counts(), { running: 0, waiting: 0, completed: 1, failed: 0 });
    assert.equal(other.lines.filter((line) => line.startsWith('active')).length, 1);
  },
);
