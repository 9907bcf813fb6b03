// Issue 11, point 1: release() takes back every task not started, wherever it waits: in the local
// run queue of a thread busy with a synchronous task, in a port message on its way, in the stash
// of a thread that stole it. A thread that runs a task keeps none of the tasks it holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { until } from './helpers.js';
import {
  type Arg,
  inRounds,
  type Outcome,
  settledWhileBlocked,
  startBlocked,
  tally,
  watch,
} from './lifecycle-helpers.js';

const ROUNDS = 10;
const QUEUED = 50;

type Offer = (id: number) => Arg | number;

// Rounds of a warmed one-thread pool that runs a synchronous task while QUEUED more (and a few
// invoked ones) wait in its hands; release() must reject them all at once, and none may start.
async function queuedBehindSyncTask(rounds: number, offer: Offer): Promise<void> {
  const panics: unknown[] = [];
  const options = { size: 1, localQueueSize: 64, panicHandler: (e: unknown) => panics.push(e) };
  await inRounds(rounds, options, async ({ round, tracker, pool }) => {
    const running = await startBlocked(tracker, pool);
    const queuedIds = tracker.ids(QUEUED);
    const queued = queuedIds.map((id) => watch(pool.run(offer(id), { name: 'mark' })));
    const invokedIds = tracker.ids(5);
    for (const id of invokedIds) await pool.invoke(offer(id), { name: 'mark' });
    assert.equal(pool.waiting, 0, 'every task was accepted by the thread, none waits in the pool');

    pool.release();
    await settledWhileBlocked(
      tracker,
      queued,
      queuedIds,
      `round ${round}: the ${QUEUED} queued tasks settle while the running task still runs`,
    );
    assert.equal(running.outcome.state, 'pending', 'the running task is still blocked');
    assert.equal(tally(queued), `rejected:PoolClosedError×${QUEUED}`, `round ${round}`);

    tracker.open(running.gate);
    await until(() => running.outcome.state !== 'pending', 'the running task ends');
    assert.equal(running.outcome.value, running.id, `round ${round}: the running task finishes`);
    await pool[Symbol.asyncDispose](); // every thread has exited: nothing can start any more
    for (const id of [...queuedIds, ...invokedIds]) {
      assert.equal(tracker.started(id), 0, `round ${round}: task ${id} was taken back, never runs`);
    }
    assert.deepEqual(panics, [], 'a dropped invoke() task is dropped silently');
  });
}

test('release() on a warmed pool rejects the tasks queued behind a running synchronous task', {
  timeout: 60_000,
}, async () => {
  await queuedBehindSyncTask(ROUNDS, (id) => id);
});

test('release() rejects tasks that went through the port (an argument too large for a slot)', {
  timeout: 60_000,
}, async () => {
  const pad = 'x'.repeat(1024); // 2 KB as UTF-16: more than a 256-byte run queue slot holds
  await queuedBehindSyncTask(ROUNDS / 2, (id) => ({ id, pad }));
});

test(
  'release() rejects the tasks a second thread stole, and those left to the thread they were given',
  {
    timeout: 60_000,
  },
  () =>
    inRounds(ROUNDS / 2, { size: 1, localQueueSize: 64 }, async ({ round, tracker, pool }) => {
      // Thread A runs a synchronous task and holds QUEUED more, each blocking on `later`.
      const running = await startBlocked(tracker, pool);
      const later = tracker.gate();
      const queuedIds = tracker.ids(QUEUED);
      const queued: Outcome<number>[] = queuedIds.map((id) =>
        watch(pool.run({ id, gate: later }, { name: 'block' })),
      );
      // Thread B joins, runs one task, then steals half of A's queue and blocks in the first.
      pool.tune(2);
      await pool.run(tracker.id(), { name: 'mark' });
      const startedIds = () => queuedIds.filter((id) => tracker.started(id) > 0);
      await until(() => startedIds().length > 0, 'thread B runs a task it stole');
      const stolenRunning = startedIds();
      assert.equal(stolenRunning.length, 1, 'one stolen task runs, the others wait in B');

      pool.release();
      const notStarted = queued.filter((_, at) => !stolenRunning.includes(queuedIds[at]!));
      await settledWhileBlocked(
        tracker,
        notStarted,
        queuedIds.filter((id) => !stolenRunning.includes(id)),
        `round ${round}: the ${notStarted.length} tasks not started settle while both threads ` +
          'still run',
      );
      assert.equal(tally(notStarted), `rejected:PoolClosedError×${QUEUED - 1}`, `round ${round}`);

      tracker.openAll();
      await until(
        () => [running.outcome, ...queued].every((o) => o.state !== 'pending'),
        'the running tasks end',
      );
      assert.equal(running.outcome.value, running.id, 'the task A ran finishes');
      await pool[Symbol.asyncDispose]();
      for (const [at, id] of queuedIds.entries()) {
        if (stolenRunning.includes(id)) {
          assert.equal(queued[at]!.value, id, 'the stolen task B ran finishes');
        } else {
          assert.equal(tracker.started(id), 0, `round ${round}: task ${id} never starts`);
        }
      }
      assert.ok(
        queued.every((o) => o.settles === 1),
        'each settles once',
      );
    }),
);
