import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { sleep, until } from './helpers.js';
import { propertyParameters } from './property-parameters.js';
import { behaviours, Flights, Gates } from './thread-helpers.js';

test('completed and failed count what the thread tasks did: own error, crash', async () => {
  const pool = behaviours({ size: 1, localQueueSize: 1 });
  assert.equal(await pool.run(1, { name: 'echo' }), 1);
  await pool.run('two', { name: 'echo' });
  await assert.rejects(pool.run({ name: 'E', message: 'm' }, { name: 'fail' }), { name: 'E' });
  await assert.rejects(pool.run(7, { name: 'exit' }), { code: 'ERR_WORKER_EXITED' });
  // An argument that cannot be cloned never reaches a thread: it counts in neither.
  await assert.rejects(
    pool.run(() => {}, { name: 'echo' }),
    { name: 'DataCloneError' },
  );
  const stats = pool.stats();
  assert.equal(stats.completed, 2);
  assert.equal(stats.failed, 2, 'own error, crash');
  assert.equal(stats.runTime.count, 0);
  assert.equal(stats.waitTime.count, 0);
  await pool.releaseTimeout(10_000);
});

test('an abort while running counts as failed, an abort while waiting in neither', async () => {
  const gates = new Gates();
  const pool = gates.pool({ size: 1 });
  const running = new AbortController();
  const waiting = new AbortController();
  const blocked = pool.run(0, { name: 'wait', signal: running.signal });
  const queued = pool.run(1, { name: 'wait', signal: waiting.signal });
  waiting.abort();
  await assert.rejects(queued, { code: 'ERR_TASK_ABORTED' });
  while (gates.started(0) === 0) await sleep(5);
  running.abort();
  await assert.rejects(blocked, { code: 'ERR_TASK_ABORTED' });
  assert.deepEqual(
    { completed: pool.stats().completed, failed: pool.stats().failed },
    { completed: 0, failed: 1 },
  );
  await pool.releaseTimeout(10_000);
});

test('a timeout counts as failed, and recordTiming records one sample per started task', async () => {
  const pool = behaviours({ size: 1, taskTimeout: 200, recordTiming: true });
  await pool.run(5, { name: 'wait' });
  await assert.rejects(pool.run(null, { name: 'spin' }), { code: 'ERR_TASK_TIMEOUT' });
  await pool.run(5, { name: 'wait' });
  const { completed, failed, waitTime, runTime } = pool.stats();
  assert.deepEqual({ completed, failed }, { completed: 2, failed: 1 });
  assert.equal(waitTime.count, 3);
  assert.equal(runTime.count, 3);
  assert.ok(runTime.max >= 150, `the spinning task ran until its 200 ms timeout: ${runTime.max}`);
  assert.ok(runTime.min >= 1, `a wait(5) task takes its timer's time: ${runTime.min}`);
  await pool.releaseTimeout(10_000);
});

test('tasks given back unstarted and rejected on release count in neither', async () => {
  const gates = new Gates();
  const pool = gates.pool({ size: 1, localQueueSize: 4 });
  const first = pool.run(0, { name: 'wait' });
  const held = [1, 2].map((i) => pool.run(i, { name: 'wait' }));
  while (gates.started(0) === 0) await sleep(5);
  pool.release();
  for (const promise of held) await assert.rejects(promise, { code: 'ERR_POOL_CLOSED' });
  gates.open(0);
  await first;
  assert.equal(pool.stats().completed, 1);
  assert.equal(pool.stats().failed, 0);
  await pool.releaseTimeout(10_000).catch(() => {});
});

test('utilization: busy time over time alive, from 0 to 1, reset by resetStats', async () => {
  const pool = behaviours({ size: 1, preAlloc: true });
  await pool.run(1, { name: 'echo' }); // the thread is up
  pool.resetStats();
  await pool.run(200, { name: 'wait' });
  const busy = pool.stats().utilization;
  assert.ok(busy > 0.5 && busy <= 1, `busy for nearly all of the window: ${busy}`);
  await sleep(400);
  const after = pool.stats().utilization;
  assert.ok(after < busy && after < 0.6, `idle for twice as long: ${after}`);
  pool.resetStats();
  const reset = pool.stats();
  assert.ok(reset.utilization < 0.1, `nothing ran since the reset: ${reset.utilization}`);
  assert.equal(reset.completed, 0);
  await pool.releaseTimeout(10_000);
});

test('utilization counts every thread: two busy threads of two stay near 1', async () => {
  const pool = behaviours({ size: 2, preAlloc: true, localQueueSize: 1 });
  await Promise.all([pool.run(1, { name: 'echo' }), pool.run(1, { name: 'echo' })]);
  pool.resetStats();
  await Promise.all([pool.run(200, { name: 'wait' }), pool.run(200, { name: 'wait' })]);
  const both = pool.stats().utilization;
  assert.ok(both > 0.5 && both <= 1, `both busy: ${both}`);
  pool.resetStats();
  await pool.run(200, { name: 'wait' });
  const one = pool.stats().utilization;
  assert.ok(one > 0.2 && one < 0.75, `one thread of two busy: ${one}`);
  await pool.releaseTimeout(10_000);
});

test('property: every thread task settles into completed or failed exactly once', async () => {
  const pool = behaviours({ size: 2, localQueueSize: 4, recordTiming: true });
  const outcome = fc.constantFrom('echo', 'wait', 'fail', 'exit');
  try {
    await fc.assert(
      fc.asyncProperty(fc.array(outcome, { minLength: 1, maxLength: 8 }), async (tasks) => {
        pool.resetStats();
        const settled = await Promise.allSettled(
          tasks.map((name) => {
            if (name === 'fail') return pool.run({ name: 'E', message: 'm' }, { name });
            return pool.run(name === 'exit' ? 3 : 1, { name });
          }),
        );
        const stats = pool.stats();
        const resolved = settled.filter((s) => s.status === 'fulfilled').length;
        assert.equal(stats.completed, resolved);
        assert.equal(stats.failed, tasks.length - resolved);
        assert.equal(stats.runTime.count, tasks.length);
        assert.equal(stats.waitTime.count, tasks.length);
      }),
      propertyParameters('ANTPOOL_PROPERTY', 15),
    );
  } finally {
    await pool.releaseTimeout(10_000);
  }
});

test('with concurrentTasksPerThread, a crash counts every task it failed; held tasks count once', async (t) => {
  const flights = new Flights();
  t.after(() => flights.openAll());
  const pool = flights.pool<{ i: number; exit?: boolean }>({
    size: 1,
    concurrentTasksPerThread: 4,
    localQueueSize: 8,
    recordTiming: true,
  });
  const started = [0, 1, 2, 3].map((i) => pool.run({ i, exit: i === 3 }, { name: 'gated' }));
  await until(() => [0, 1, 2, 3].every((i) => flights.starts(i) === 1), 'four tasks in flight');
  for (const i of [4, 5, 6, 7]) flights.open(i);
  const held = [4, 5, 6, 7].map((i) => pool.run({ i }, { name: 'gated' }));
  flights.open(3); // task 3 exits its thread while 0, 1 and 2 await
  await Promise.allSettled(started);
  await Promise.all(held); // given back unstarted, then run by a new thread
  const stats = pool.stats();
  assert.deepEqual(
    { completed: stats.completed, failed: stats.failed },
    { completed: 4, failed: 4 },
  );
  assert.equal(stats.runTime.count, 8, 'one run time per task that started');
  assert.equal(stats.waitTime.count, 8, 'one wait per start, none for a hand-back');
  assert.ok(stats.utilization > 0 && stats.utilization <= 1, String(stats.utilization));
  await pool.releaseTimeout(5000);
});
