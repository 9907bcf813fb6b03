import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  defaultPool,
  MultiPool,
  MultiPoolWithFunc,
  Pool,
  type PoolStats,
  PoolWithFunc,
} from '../src/index.js';
import { deferred, flush } from './helpers.js';
import { propertyParameters } from './property-parameters.js';

const fail = (): never => {
  throw new Error('own error');
};

function assertEmptyHistograms(stats: PoolStats): void {
  for (const histogram of [stats.waitTime, stats.runTime]) {
    assert.deepEqual(histogram, { count: 0, min: 0, max: 0, mean: 0, p50: 0, p99: 0 });
  }
}

test('completed and failed count what the tasks did, without recordTiming no time', async () => {
  const pool = new Pool(2);
  await pool.run(() => 1);
  await pool.run(async () => 2);
  await assert.rejects(pool.run(fail));
  await assert.rejects(pool.run(async () => fail()));
  const panics: unknown[] = [];
  const invoked = new Pool(1, { panicHandler: (err) => panics.push(err) });
  await invoked.submit(fail);
  await invoked.submit(() => 3);
  await invoked.onIdle();
  const stats = pool.stats();
  assert.equal(stats.completed, 2);
  assert.equal(stats.failed, 2);
  assertEmptyHistograms(stats);
  assert.equal(invoked.stats().completed, 1);
  assert.equal(invoked.stats().failed, 1);
  assert.equal(panics.length, 1);
  pool.release();
  invoked.release();
});

test('an abort while running counts as failed once, a removed or refused task in neither', async () => {
  const gate = deferred();
  const pool = new Pool(1, { maxBlockingTasks: 1 });
  const running = new AbortController();
  const waiting = new AbortController();
  const first = pool.run(() => gate.promise, { signal: running.signal });
  const second = pool.run(() => 'never', { signal: waiting.signal });
  await assert.rejects(
    pool.run(() => 'refused'),
    { code: 'ERR_POOL_OVERLOAD' },
  );
  waiting.abort();
  await assert.rejects(second, { code: 'ERR_TASK_ABORTED' });
  running.abort();
  await assert.rejects(first, { code: 'ERR_TASK_ABORTED' });
  assert.equal(pool.stats().failed, 1, 'counted when the caller heard of it');
  gate.resolve(); // the late result is dropped, and not counted again
  await pool.onIdle();
  const closedWaiter = pool.run(() => gate.promise);
  const dropped = pool.run(() => 'never');
  pool.release();
  await assert.rejects(dropped, { code: 'ERR_POOL_CLOSED' });
  await closedWaiter;
  assert.deepEqual(
    { completed: pool.stats().completed, failed: pool.stats().failed },
    { completed: 1, failed: 1 },
  );
});

test('recordTiming fills the wait and run histograms in ms, one sample per started task', async () => {
  const pool = new Pool(1, { recordTiming: true });
  const gate = deferred();
  const first = pool.run(() => gate.promise);
  const second = pool.run(() => 'after');
  await flush();
  await new Promise((resolve) => setTimeout(resolve, 20));
  gate.resolve();
  await Promise.all([first, second]);
  await assert.rejects(pool.run(fail));
  const { waitTime, runTime, completed, failed } = pool.stats();
  assert.equal(completed + failed, 3);
  assert.equal(waitTime.count, 3);
  assert.equal(runTime.count, 3);
  assert.ok(waitTime.min >= 0.001, 'a wait under 1 us counts as 1 us');
  assert.ok(waitTime.max >= 15, `the second task waited ~20 ms, got ${waitTime.max}`);
  assert.ok(runTime.max >= 15, `the first task ran ~20 ms, got ${runTime.max}`);
  assert.ok(waitTime.min <= waitTime.p50 && waitTime.p50 <= waitTime.p99);
  assert.ok(waitTime.p99 <= waitTime.max && waitTime.mean <= waitTime.max);
  pool.release();
});

test('resetStats starts the figures over', async () => {
  const pool = new Pool(1, { recordTiming: true });
  await pool.run(() => 1);
  await assert.rejects(pool.run(fail));
  pool.resetStats();
  assert.deepEqual(pool.stats(), {
    completed: 0,
    failed: 0,
    waitTime: { count: 0, min: 0, max: 0, mean: 0, p50: 0, p99: 0 },
    runTime: { count: 0, min: 0, max: 0, mean: 0, p50: 0, p99: 0 },
  });
  await pool.run(() => 1);
  assert.equal(pool.stats().runTime.count, 1);
  pool.release();
});

test('stats() is a snapshot, not a live view', async () => {
  const pool = new Pool(1);
  const before = pool.stats();
  await pool.run(() => 1);
  assert.equal(before.completed, 0);
  assert.equal(pool.stats().completed, 1);
  pool.release();
});

test('PoolWithFunc and the default pool count as Pool does', async () => {
  const pool = new PoolWithFunc(2, (n: number) => (n < 0 ? fail() : n), { recordTiming: true });
  await pool.run(1);
  await assert.rejects(pool.run(-1));
  assert.equal(pool.stats().completed, 1);
  assert.equal(pool.stats().failed, 1);
  assert.equal(pool.stats().runTime.count, 2);
  pool.release();
  defaultPool.resetStats();
  await defaultPool.run(() => 1);
  assert.equal(defaultPool.stats().completed, 1);
  assertEmptyHistograms(defaultPool.stats());
});

test("a MultiPool's figures are totals over its pools", async () => {
  const multi = new MultiPool(3, 1, 'round-robin', { recordTiming: true });
  await Promise.all([1, 2, 3, 4, 5].map((n) => multi.run(() => n)));
  await assert.rejects(multi.run(fail));
  const stats = multi.stats();
  assert.equal(stats.completed, 5);
  assert.equal(stats.failed, 1);
  assert.equal(stats.waitTime.count, 6);
  assert.equal(stats.runTime.count, 6);
  multi.resetStats();
  assert.equal(multi.stats().completed, 0);
  assert.equal(multi.stats().runTime.count, 0);
  const withFunc = new MultiPoolWithFunc(2, 1, (n: number) => n, 'least-tasks');
  await Promise.all([1, 2, 3].map((n) => withFunc.run(n)));
  assert.equal(withFunc.stats().completed, 3);
  assertEmptyHistograms(withFunc.stats());
  multi.release();
  withFunc.release();
});

test('recordTiming must be a boolean', () => {
  assert.throws(() => new Pool(1, { recordTiming: 1 as never }), { code: 'ERR_INVALID_OPTION' });
});

// Random tasks: each resolves or rejects, sync or async, some aborted while they run or wait.
const taskArbitrary = fc.record({
  outcome: fc.constantFrom('resolve', 'reject', 'throw', 'value'),
  abort: fc.constantFrom('none', 'waiting', 'running'),
});

test('property: completed + failed equals the tasks that started, whatever they do', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.integer({ min: 1, max: 3 }),
      fc.array(taskArbitrary, { maxLength: 20 }),
      async (size, tasks) => {
        const pool = new Pool(size, { recordTiming: true });
        let started = 0;
        const runs = tasks.map(({ outcome, abort }) => {
          const controller = new AbortController();
          const promise = pool.run(
            async () => {
              started++;
              if (abort === 'running') controller.abort();
              await flush();
              if (outcome === 'throw') fail();
              if (outcome === 'reject') return Promise.reject(new Error('rejected'));
              return outcome === 'value' ? 1 : Promise.resolve(1);
            },
            { signal: controller.signal },
          );
          if (abort === 'waiting') controller.abort();
          return promise;
        });
        const settled = await Promise.allSettled(runs);
        await pool.onIdle();
        const stats = pool.stats();
        const resolved = settled.filter((s) => s.status === 'fulfilled').length;
        assert.equal(stats.completed, resolved);
        assert.equal(stats.completed + stats.failed, started);
        assert.equal(stats.runTime.count, started);
        assert.equal(stats.waitTime.count, started);
        pool.release();
      },
    ),
    propertyParameters('ANTPOOL_PROPERTY', 100),
  );
});
