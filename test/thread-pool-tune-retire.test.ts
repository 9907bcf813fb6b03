// Issue 11, point 4: tune(n) down retires the excess threads; a retiring thread claims and steals
// nothing more, its unstarted tasks go back to the global queue and run on the threads that stay.
// Once the tasks already started on retired threads end, at most n tasks run at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until } from './helpers.js';
import { Tracker, tally, warm, watch } from './lifecycle-helpers.js';

const ROUNDS = 10;
const QUEUED = 40;

test('tune(1) on a pool of two busy threads: then one task at a time', {
  timeout: 60_000,
}, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const tracker = new Tracker();
    const pool = tracker.pool({ size: 2, localQueueSize: 64 });
    try {
      await warm(tracker, pool, 2);
      // Each thread runs a blocking task; QUEUED slow tasks wait in their local queues.
      const gate = tracker.gate();
      const blockingIds = [tracker.id(), tracker.id()];
      const blocking = blockingIds.map((id) => watch(pool.run({ id, gate }, { name: 'block' })));
      await until(
        () => blockingIds.every((id) => tracker.started(id) === 1),
        'both threads run a task',
      );
      const slowIds = Array.from({ length: QUEUED }, () => tracker.id());
      const slow = slowIds.map((id) => watch(pool.run({ id, ms: 3 }, { name: 'slow' })));
      assert.equal(pool.waiting, 0, 'the threads hold every task');
      assert.ok(
        slowIds.every((id) => tracker.started(id) === 0),
        'no slow task started yet',
      );

      pool.tune(1);
      tracker.resetPeak();
      tracker.open(gate); // the tasks started before tune() end now
      await until(() => slow.every((o) => o.state !== 'pending'), 'every slow task settles');
      assert.equal(tally(slow), `fulfilled×${QUEUED}`, `round ${round}`);
      assert.equal(
        tracker.peak,
        1,
        `round ${round}: at most one task at a time once the tasks started before tune(1) ended`,
      );
      assert.deepEqual(
        blocking.map((o) => o.value),
        blockingIds,
      );
      await until(() => pool.running === 1, 'one thread stays');
      await pool.releaseTimeout(10_000);
    } finally {
      tracker.openAll();
    }
  }
});

test('tune(1): a busy thread with nothing queued, once retired, steals nothing from the other', {
  timeout: 60_000,
}, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const tracker = new Tracker();
    const pool = tracker.pool({ size: 1, localQueueSize: 64 });
    try {
      await warm(tracker, pool, 1);
      // Thread A runs a blocking task and holds every slow task; thread B runs a blocking task
      // and holds nothing: whatever it runs next, it has to steal.
      const gate = tracker.gate();
      const blockingIds = [tracker.id(), tracker.id()];
      const blocking = [watch(pool.run({ id: blockingIds[0]!, gate }, { name: 'block' }))];
      await until(() => tracker.started(blockingIds[0]!) === 1, 'thread A runs a task');
      const slowIds = Array.from({ length: QUEUED }, () => tracker.id());
      const slow = slowIds.map((id) => watch(pool.run({ id, ms: 3 }, { name: 'slow' })));
      pool.tune(2);
      blocking.push(watch(pool.run({ id: blockingIds[1]!, gate }, { name: 'block' })));
      await until(() => tracker.started(blockingIds[1]!) === 1, 'thread B runs a task');
      assert.ok(
        slowIds.every((id) => tracker.started(id) === 0),
        'no slow task started yet',
      );

      pool.tune(1);
      tracker.resetPeak();
      tracker.open(gate); // the tasks started before tune() end now
      await until(() => slow.every((o) => o.state !== 'pending'), 'every slow task settles');
      assert.equal(tally(slow), `fulfilled×${QUEUED}`, `round ${round}`);
      assert.equal(
        tracker.peak,
        1,
        `round ${round}: at most one task at a time once the tasks started before tune(1) ended`,
      );
      assert.deepEqual(
        blocking.map((o) => o.value),
        blockingIds,
      );
      await until(() => pool.running === 1, 'one thread stays');
      await pool.releaseTimeout(10_000);
    } finally {
      tracker.openAll();
    }
  }
});
