// Issue 11, points 2 and 6: `release(); reboot();` while old tasks still run gives a pool that
// works as new. Tasks accepted after reboot() run on new threads and resolve, whatever the old
// threads still finish; a nonblocking pool accepts as a new one would. The old threads finish
// only the tasks they had started, and exit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PoolOverloadError } from '../src/thread/index.js';
import { until } from './helpers.js';
import {
  type Blocked,
  inRounds,
  type LifecyclePool,
  marks,
  type Outcome,
  settledWhileBlocked,
  startBlocked,
  Tracker,
  tally,
  watch,
} from './lifecycle-helpers.js';

const ROUNDS = 10;
const QUEUED = 20;
const ONE_THREAD = { size: 1, localQueueSize: 64 };

test(
  'tasks accepted after release(); reboot() run on a new thread while the old one still runs',
  {
    timeout: 60_000,
  },
  () =>
    inRounds(ROUNDS, ONE_THREAD, async ({ round, tracker, pool }) => {
      const running = await startBlocked(tracker, pool);
      const oldIds = tracker.ids(QUEUED);
      const old = marks(pool, oldIds);

      pool.release();
      const runningAfterRelease = pool.running;
      pool.reboot();
      assert.equal(pool.closed, false);
      const newIds = tracker.ids(QUEUED);
      const fresh = marks(pool, newIds);
      await settledWhileBlocked(
        tracker,
        fresh,
        newIds,
        `round ${round}: the tasks accepted after reboot() settle while the old thread still ` +
          'runs its task',
      );
      assert.equal(tally(fresh), `fulfilled×${QUEUED}`, `round ${round}`);
      assert.deepEqual(
        fresh.map((o) => o.value),
        newIds,
      );
      assert.equal(running.outcome.state, 'pending', 'the old task is still blocked');
      assert.equal(tally(old), `rejected:PoolClosedError×${QUEUED}`, 'the old queued tasks');

      await finishBlocked(tracker, pool, running);
      for (const id of oldIds) assert.equal(tracker.started(id), 0, `old task ${id} never runs`);
      assert.equal(
        runningAfterRelease,
        0,
        'release() tells the busy thread to stop: it no longer counts',
      );
    }),
);

/** Opens the blocked task's gate; once it ended, disposes of the pool (old threads exit too). */
async function finishBlocked(
  tracker: Tracker,
  pool: LifecyclePool,
  { gate, id, outcome }: Blocked,
): Promise<void> {
  tracker.open(gate);
  await until(() => outcome.state !== 'pending', 'the old task ends');
  assert.equal(outcome.value, id, 'the old running task finishes');
  await pool[Symbol.asyncDispose]();
}

test(
  'release(); reboot() as the old task ends: no task accepted after reboot() is lost',
  {
    timeout: 60_000,
  },
  () =>
    inRounds(ROUNDS, ONE_THREAD, async ({ round, tracker, pool }) => {
      const running = await startBlocked(tracker, pool);
      const oldIds = tracker.ids(QUEUED);
      const old = marks(pool, oldIds);

      pool.release();
      pool.reboot();
      // Async tasks: a thread that awaits one reads its messages (a `drop` sent by release()).
      const fresh = tracker
        .ids(QUEUED)
        .map((id) => watch(pool.run({ id, ms: 1 }, { name: 'sleep' })));
      tracker.open(running.gate); // the old thread goes on as the new tasks come
      await until(
        () => [running.outcome, ...old, ...fresh].every((o) => o.state !== 'pending'),
        'every task settles',
      );
      assert.equal(tally(fresh), `fulfilled×${QUEUED}`, `round ${round}: the new tasks`);
      assert.equal(running.outcome.value, running.id);
      assert.equal(tally(old), `rejected:PoolClosedError×${QUEUED}`, `round ${round}: old ones`);
      await pool[Symbol.asyncDispose]();
      for (const id of oldIds) assert.equal(tracker.started(id), 0, `old task ${id} never runs`);
    }),
);

// A fresh pool with these options takes SUBMITTED tasks offered at once: which ones it accepts.
const NONBLOCKING = { size: 1, localQueueSize: 4, nonblocking: true } as const;
const SUBMITTED = 6;

/** What a pool answered to each offer: 'accepted' or the name of the error it rejected with. */
const answers = (offered: readonly Outcome[]) =>
  offered.map((o) => (o.state === 'fulfilled' ? 'accepted' : (o.error as Error).name));

test('a nonblocking pool after release(); reboot() accepts as a new one would', {
  timeout: 60_000,
}, async () => {
  const reference = new Tracker();
  const fresh = reference.pool(NONBLOCKING);
  const asNew = marks(fresh, reference.ids(SUBMITTED));
  await until(() => asNew.every((o) => o.state !== 'pending'), 'the fresh pool settles them');
  await fresh[Symbol.asyncDispose]();
  assert.equal(asNew[0]!.state, 'fulfilled', 'a new pool accepts at least one task');
  assert.ok(asNew.every((o) => o.state === 'fulfilled' || o.error instanceof PoolOverloadError));
  const expected = answers(asNew);

  await inRounds(ROUNDS, NONBLOCKING, async ({ round, tracker, pool }) => {
    const running = await startBlocked(tracker, pool);
    pool.release();
    pool.reboot();
    const newIds = tracker.ids(SUBMITTED);
    const offered = marks(pool, newIds);
    await settledWhileBlocked(
      tracker,
      offered,
      newIds,
      `round ${round}: the tasks offered after reboot() settle while the old thread still ` +
        'runs its task',
    );
    assert.deepEqual(
      answers(offered),
      expected,
      `round ${round}: the rebooted pool accepts exactly what a new pool accepts`,
    );
    assert.equal(running.outcome.state, 'pending');
    await finishBlocked(tracker, pool, running);
  });
});
