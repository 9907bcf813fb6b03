// Issue 11, point 5: onIdle() resolves only when no task is in flight anywhere. When a thread
// dies (process.exit in a task), the tasks it held go back to the global queue and count: onIdle()
// waits for them, and for tasks other threads stole from it and still run.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkerExitedError } from '../src/thread/index.js';
import { flush, until } from './helpers.js';
import {
  inRounds,
  type Outcome,
  startBlocked,
  Tracker,
  tally,
  warm,
  watch,
} from './lifecycle-helpers.js';

const ROUNDS = 10;
const QUEUED = 10;
const ONE_THREAD = { size: 1, localQueueSize: 64 };

/** Watches `pool.onIdle()`, noting whether every task had settled when it resolved. */
function watchIdle(onIdle: Promise<void>, tasks: readonly Outcome[]) {
  const idle = { resolved: false, withTasksPending: -1 };
  void onIdle.then(() => {
    idle.resolved = true;
    idle.withTasksPending = tasks.filter((o) => o.state === 'pending').length;
  });
  return idle;
}

test(
  'onIdle() waits for the tasks queued behind a task that killed its thread',
  {
    timeout: 60_000,
  },
  () =>
    inRounds(ROUNDS, ONE_THREAD, async ({ round, tracker, pool }) => {
      const gate = tracker.gate();
      const exiting = watch(pool.run(tracker.id(), { name: 'exit' }));
      const queuedIds = tracker.ids(QUEUED);
      const queued = queuedIds.map((id) => watch(pool.run({ id, gate }, { name: 'block' })));
      const idle = watchIdle(pool.onIdle(), queued);

      await until(() => exiting.state !== 'pending', 'the exiting task settles');
      assert.ok(exiting.error instanceof WorkerExitedError, tally([exiting]));
      await until(() => tracker.started(queuedIds[0]!) === 1, 'a new thread runs the requeued');
      assert.equal(
        idle.resolved,
        false,
        `round ${round}: onIdle() resolved with ${idle.withTasksPending} of ${QUEUED} ` +
          'requeued tasks still in flight',
      );

      tracker.open(gate);
      await until(() => idle.resolved, 'onIdle() resolves once every task settled');
      assert.equal(idle.withTasksPending, 0, `round ${round}: onIdle() waited for every task`);
      assert.equal(tally(queued), `fulfilled×${QUEUED}`);
      assert.ok(
        queuedIds.every((id) => tracker.started(id) === 1),
        'each runs once',
      );
      await pool.releaseTimeout(10_000);
    }),
);

test(
  'onIdle() waits for the tasks a thread stole from one that then died',
  {
    timeout: 60_000,
  },
  () =>
    inRounds(ROUNDS / 2, ONE_THREAD, async ({ round, tracker, pool }) => {
      // Thread A blocks, then exits; B steals the task queued behind it and blocks in it.
      const exitGate = tracker.gate();
      const gate = tracker.gate();
      const exitId = tracker.id();
      const exiting = watch(pool.run({ id: exitId, gate: exitGate }, { name: 'blockThenExit' }));
      await until(() => tracker.started(exitId) === 1, 'thread A runs its task');
      const queuedIds = [tracker.id()];
      const queued = queuedIds.map((id) => watch(pool.run({ id, gate }, { name: 'block' })));
      pool.tune(2);
      await pool.run(tracker.id(), { name: 'mark' }); // thread B, which then steals
      await until(() => tracker.started(queuedIds[0]!) === 1, 'thread B runs the task it stole');
      const idle = watchIdle(pool.onIdle(), queued);

      tracker.open(exitGate);
      await until(() => exiting.state !== 'pending', 'the exiting task settles');
      assert.ok(exiting.error instanceof WorkerExitedError, tally([exiting]));
      assert.equal(
        idle.resolved,
        false,
        `round ${round}: onIdle() resolved with ${idle.withTasksPending} of ` +
          `${queued.length} tasks still running`,
      );

      tracker.open(gate);
      await until(() => idle.resolved, 'onIdle() resolves once every task settled');
      assert.equal(idle.withTasksPending, 0, `round ${round}: onIdle() waited for every task`);
      assert.equal(tally(queued), `fulfilled×${queued.length}`);
      await pool.releaseTimeout(10_000);
    }),
);

// A guard more than a regression test (it passes before the fix): once release() stops counting
// busy threads, the task one of them still runs is in flight all the same.
test('onIdle() after release() waits for the task a released thread still runs', {
  timeout: 60_000,
}, async () => {
  const tracker = new Tracker();
  const pool = tracker.pool(ONE_THREAD);
  try {
    await warm(tracker, pool, 1);
    const running = await startBlocked(tracker, pool);
    pool.release();
    const idle = watchIdle(pool.onIdle(), [running.outcome]);
    await flush();
    assert.equal(idle.resolved, false, 'onIdle() waits while a started task runs');
    tracker.open(running.gate);
    await until(() => idle.resolved, 'onIdle() resolves once the task settled');
    assert.equal(idle.withTasksPending, 0);
    assert.equal(running.outcome.value, running.id);
    await pool[Symbol.asyncDispose]();
  } finally {
    tracker.openAll();
  }
});
