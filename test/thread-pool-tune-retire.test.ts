// Issue 11, point 4: tune(n) down retires the excess threads; a retiring thread claims and steals
// nothing more, its unstarted tasks go back to the global queue and run on the threads that stay.
// Once the tasks already started on retired threads end, at most n tasks run at once.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until } from './helpers.js';
import { inRounds, type Outcome, type Round, tally, watch } from './lifecycle-helpers.js';

const ROUNDS = 10;
const QUEUED = 40;

test(
  'tune(1) on a pool of two busy threads: then one task at a time',
  {
    timeout: 60_000,
  },
  () =>
    inRounds(ROUNDS, { size: 2, localQueueSize: 64 }, async (round) => {
      const { tracker, pool } = round;
      // Each thread runs a blocking task; QUEUED slow tasks wait in their local queues.
      const gate = tracker.gate();
      const blockingIds = tracker.ids(2);
      const blocking = blockingIds.map((id) => watch(pool.run({ id, gate }, { name: 'block' })));
      await until(
        () => blockingIds.every((id) => tracker.started(id) === 1),
        'both threads run a task',
      );
      const slow = runSlow(round);
      assert.equal(pool.waiting, 0, 'the threads hold every task');
      await tuneToOne(round, gate, slow);
      assert.deepEqual(
        blocking.map((o) => o.value),
        blockingIds,
      );
    }),
);

test(
  'tune(1): a busy thread with nothing queued, once retired, steals nothing from the other',
  {
    timeout: 60_000,
  },
  () =>
    inRounds(ROUNDS, { size: 1, localQueueSize: 64 }, async (round) => {
      const { tracker, pool } = round;
      // Thread A runs a blocking task and holds every slow task; thread B runs a blocking task
      // and holds nothing: whatever it runs next, it has to steal.
      const gate = tracker.gate();
      const blockingIds = tracker.ids(2);
      const blocking = [watch(pool.run({ id: blockingIds[0]!, gate }, { name: 'block' }))];
      await until(() => tracker.started(blockingIds[0]!) === 1, 'thread A runs a task');
      const slow = runSlow(round);
      pool.tune(2);
      blocking.push(watch(pool.run({ id: blockingIds[1]!, gate }, { name: 'block' })));
      await until(() => tracker.started(blockingIds[1]!) === 1, 'thread B runs a task');
      await tuneToOne(round, gate, slow);
      assert.deepEqual(
        blocking.map((o) => o.value),
        blockingIds,
      );
    }),
);

/** QUEUED `slow` tasks, which the busy threads hold. */
function runSlow({ tracker, pool }: Round): { ids: number[]; outcomes: Outcome<number>[] } {
  const ids = tracker.ids(QUEUED);
  return { ids, outcomes: ids.map((id) => watch(pool.run({ id, ms: 3 }, { name: 'slow' }))) };
}

/**
 * With every thread blocked on `gate` and the slow tasks not started: tune(1), let the blocked
 * tasks end, and check that the slow tasks then all ran, one at a time, and one thread stays.
 */
async function tuneToOne(
  { round, tracker, pool }: Round,
  gate: number,
  slow: ReturnType<typeof runSlow>,
): Promise<void> {
  assert.ok(
    slow.ids.every((id) => tracker.started(id) === 0),
    'no slow task started yet',
  );
  pool.tune(1);
  tracker.resetPeak();
  tracker.open(gate); // the tasks started before tune() end now
  await until(() => slow.outcomes.every((o) => o.state !== 'pending'), 'every slow task settles');
  assert.equal(tally(slow.outcomes), `fulfilled×${QUEUED}`, `round ${round}`);
  assert.equal(
    tracker.peak,
    1,
    `round ${round}: at most one task at a time once the tasks started before tune(1) ended`,
  );
  await until(() => pool.running === 1, 'one thread stays');
  await pool.releaseTimeout(10_000);
}
