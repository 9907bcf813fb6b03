// Issue 11, points 3 and 7: releaseTimeout(ms) treats queued tasks as release() does, with one
// answer whether the running task is synchronous or async: they reject PoolClosedError and never
// start. When a started task outlives `ms`, the call rejects TimeoutError, and from then on the
// pool's threads no longer keep the process alive.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimeoutError } from '../src/thread/index.js';
import { until } from './helpers.js';
import {
  inRounds,
  marks,
  runChild,
  settledWhileBlocked,
  startBlocked,
  tally,
  watch,
} from './lifecycle-helpers.js';

const ROUNDS = 10;
const QUEUED = 20;

// Even rounds: the running task outlives `ms` (the test holds its gate), TimeoutError. Odd
// rounds: `ms` is long, the call resolves once the running task ended and the thread exited.
function queuedBehind(kind: 'block' | 'blockAsync'): Promise<void> {
  return inRounds(ROUNDS, { size: 1, localQueueSize: 64 }, async ({ round, tracker, pool }) => {
    const running = await startBlocked(tracker, pool, kind);
    const queuedIds = tracker.ids(QUEUED);
    const queued = marks(pool, queuedIds);

    const timesOut = round % 2 === 0;
    const released = watch(pool.releaseTimeout(timesOut ? 100 : 30_000));
    await settledWhileBlocked(
      tracker,
      queued,
      queuedIds,
      `round ${round} (${kind}): the queued tasks settle while the running task still runs`,
    );
    assert.equal(tally(queued), `rejected:PoolClosedError×${QUEUED}`, `round ${round}`);
    if (timesOut) {
      await until(() => released.state !== 'pending', 'releaseTimeout(100) settles');
      assert.ok(released.error instanceof TimeoutError, `round ${round}: ${tally([released])}`);
    }
    assert.equal(running.outcome.state, 'pending', 'the running task is still blocked');

    tracker.open(running.gate);
    await until(() => running.outcome.state !== 'pending', 'the running task ends');
    assert.equal(running.outcome.value, running.id, 'the running task finishes');
    await until(() => released.state !== 'pending', 'releaseTimeout settles');
    if (!timesOut) assert.equal(released.state, 'fulfilled', `round ${round}`);
    await pool[Symbol.asyncDispose]();
    for (const id of queuedIds) {
      assert.equal(tracker.started(id), 0, `round ${round}: task ${id} never starts`);
    }
  });
}

test(
  'releaseTimeout() rejects the tasks queued behind a running synchronous task',
  { timeout: 60_000 },
  () => queuedBehind('block'),
);

// The other half of "one answer": this case already rejected the queued tasks before the fix.
test(
  'releaseTimeout() rejects the tasks queued behind a running async task',
  { timeout: 60_000 },
  () => queuedBehind('blockAsync'),
);

function assertExits(result: Awaited<ReturnType<typeof runChild>>): void {
  const account = `exit code ${result.code}, stdout: ${JSON.stringify(result.stdout)}`;
  assert.equal(result.killed, false, `the process never exited by itself (${account})`);
  assert.deepEqual(
    result.stdout.trim().split('\n'),
    ['releaseTimeout: TimeoutError', 'done'],
    account,
  );
  assert.equal(result.code, 0, account);
}

test('after releaseTimeout() rejects TimeoutError, a never-settling task lets the process exit', {
  timeout: 60_000,
}, async () => {
  const [never, spin] = await Promise.all([
    runChild('release-timeout-child.mjs', ['never']),
    runChild('release-timeout-child.mjs', ['spin']),
  ]);
  assertExits(never);
  assertExits(spin);
});

test('a timed-out releaseTimeout leaves the threads of a later reboot keeping the process alive', {
  timeout: 60_000,
}, async () => {
  for (let round = 0; round < 5; round++) {
    const result = await runChild('release-timeout-reboot-child.mjs', []);
    assert.equal(result.stdout.trim(), 'exit with 0 pending', `round ${round}`);
  }
});
