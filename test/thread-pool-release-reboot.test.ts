// Issue 11, points 2 and 6: `release(); reboot();` while old tasks still run gives a pool that
// works as new. Tasks accepted after reboot() run on new threads and resolve, whatever the old
// threads still finish; a nonblocking pool accepts as a new one would. The old threads finish
// only the tasks they had started, and exit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PoolOverloadError } from '../src/thread/index.js';
import { until } from './helpers.js';
import {
  type Outcome,
  settledWhileBlocked,
  Tracker,
  tally,
  warm,
  watch,
} from './lifecycle-helpers.js';

const ROUNDS = 10;
const QUEUED = 20;

test('tasks accepted after release(); reboot() run on a new thread while the old one still runs', {
  timeout: 60_000,
}, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const tracker = new Tracker();
    const pool = tracker.pool({ size: 1, localQueueSize: 64 });
    try {
      await warm(tracker, pool, 1);
      const gate = tracker.gate();
      const runningId = tracker.id();
      const running = watch(pool.run({ id: runningId, gate }, { name: 'block' }));
      await until(() => tracker.started(runningId) === 1, 'the old thread runs its task');
      const oldIds = Array.from({ length: QUEUED }, () => tracker.id());
      const old = oldIds.map((id) => watch(pool.run(id, { name: 'mark' })));

      pool.release();
      const runningAfterRelease = pool.running;
      pool.reboot();
      assert.equal(pool.closed, false);
      const newIds = Array.from({ length: QUEUED }, () => tracker.id());
      const fresh = newIds.map((id) => watch(pool.run(id, { name: 'mark' })));
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
      assert.equal(running.state, 'pending', 'the old task is still blocked');
      assert.equal(tally(old), `rejected:PoolClosedError×${QUEUED}`, 'the old queued tasks');

      tracker.open(gate);
      await until(() => running.state !== 'pending', 'the old task ends');
      assert.equal(running.value, runningId, 'the old running task finishes');
      await pool[Symbol.asyncDispose](); // the old thread exits too once its task ends
      for (const id of oldIds) assert.equal(tracker.started(id), 0, `old task ${id} never runs`);
      assert.equal(
        runningAfterRelease,
        0,
        'release() tells the busy thread to stop: it no longer counts',
      );
    } finally {
      tracker.openAll();
    }
  }
});

test('release(); reboot() as the old task ends: no task accepted after reboot() is lost', {
  timeout: 60_000,
}, async () => {
  for (let round = 0; round < ROUNDS; round++) {
    const tracker = new Tracker();
    const pool = tracker.pool({ size: 1, localQueueSize: 64 });
    try {
      await warm(tracker, pool, 1);
      const gate = tracker.gate();
      const runningId = tracker.id();
      const running = watch(pool.run({ id: runningId, gate }, { name: 'block' }));
      await until(() => tracker.started(runningId) === 1, 'the old thread runs its task');
      const oldIds = Array.from({ length: QUEUED }, () => tracker.id());
      const old = oldIds.map((id) => watch(pool.run(id, { name: 'mark' })));

      pool.release();
      pool.reboot();
      // Async tasks: a thread that awaits one reads its messages (a `drop` sent by release()).
      const newIds = Array.from({ length: QUEUED }, () => tracker.id());
      const fresh = newIds.map((id) => watch(pool.run({ id, ms: 1 }, { name: 'sleep' })));
      tracker.open(gate); // the old thread goes on as the new tasks come
      await until(
        () => [running, ...old, ...fresh].every((o) => o.state !== 'pending'),
        'every task settles',
      );
      assert.equal(tally(fresh), `fulfilled×${QUEUED}`, `round ${round}: the new tasks`);
      assert.equal(running.value, runningId);
      assert.equal(tally(old), `rejected:PoolClosedError×${QUEUED}`, `round ${round}: old ones`);
      await pool[Symbol.asyncDispose]();
      for (const id of oldIds) assert.equal(tracker.started(id), 0, `old task ${id} never runs`);
    } finally {
      tracker.openAll();
    }
  }
});

// A fresh pool with these options takes SUBMITTED tasks offered at once: which ones it accepts.
const NONBLOCKING = { size: 1, localQueueSize: 4, nonblocking: true } as const;
const SUBMITTED = 6;

function offerAll(pool: ReturnType<Tracker['pool']>, ids: number[]): Outcome<number>[] {
  return ids.map((id) => watch(pool.run(id, { name: 'mark' })));
}

test('a nonblocking pool after release(); reboot() accepts as a new one would', {
  timeout: 60_000,
}, async () => {
  const reference = new Tracker();
  const fresh = reference.pool(NONBLOCKING);
  const ids = Array.from({ length: SUBMITTED }, () => reference.id());
  const asNew = offerAll(fresh, ids);
  await until(() => asNew.every((o) => o.state !== 'pending'), 'the fresh pool settles them');
  await fresh[Symbol.asyncDispose]();
  const expected = asNew.map((o) => (o.state === 'fulfilled' ? 'accepted' : o.error));
  assert.ok(expected[0] === 'accepted', 'a new pool accepts at least one task');
  assert.ok(expected.every((e) => e === 'accepted' || e instanceof PoolOverloadError));

  for (let round = 0; round < ROUNDS; round++) {
    const tracker = new Tracker();
    const pool = tracker.pool(NONBLOCKING);
    try {
      await warm(tracker, pool, 1);
      const gate = tracker.gate();
      const runningId = tracker.id();
      const running = watch(pool.run({ id: runningId, gate }, { name: 'block' }));
      await until(() => tracker.started(runningId) === 1, 'the old thread runs its task');

      pool.release();
      pool.reboot();
      const newIds = Array.from({ length: SUBMITTED }, () => tracker.id());
      const offered = offerAll(pool, newIds);
      await settledWhileBlocked(
        tracker,
        offered,
        newIds,
        `round ${round}: the tasks offered after reboot() settle while the old thread still ` +
          'runs its task',
      );
      assert.deepEqual(
        offered.map((o) => (o.state === 'fulfilled' ? 'accepted' : (o.error as Error).name)),
        expected.map((e) => (e === 'accepted' ? e : (e as Error).name)),
        `round ${round}: the rebooted pool accepts exactly what a new pool accepts`,
      );
      assert.equal(running.state, 'pending');
      tracker.open(gate);
      await until(() => running.state !== 'pending', 'the old task ends');
      assert.equal(running.value, runningId, 'the old running task finishes');
      await pool[Symbol.asyncDispose]();
    } finally {
      tracker.openAll();
    }
  }
});
