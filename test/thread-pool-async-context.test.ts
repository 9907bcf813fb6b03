// SPEC §3: a ThreadPool task's caller sees its own AsyncLocalStorage context in its continuation
// and in panicHandler, whether the task started at once, waited, or was requeued.
import assert from 'node:assert/strict';
import { AsyncLocalStorage } from 'node:async_hooks';
import { test } from 'node:test';
import { behaviours } from './thread-helpers.js';

const CALLERS = 24;

test('panicHandler and continuations see the caller that submitted the task', async () => {
  const als = new AsyncLocalStorage<number>();
  const seen = new Map<number, number | undefined>();
  let reported = 0;
  let allReported: () => void = () => {};
  const reportedAll = new Promise<void>((resolve) => {
    allReported = resolve;
  });
  const pool = behaviours({
    size: 2,
    localQueueSize: 1, // most tasks wait in the pool's queue
    panicHandler: (err) => {
      seen.set(Number((err as Error).message), als.getStore());
      if (++reported === CALLERS) allReported();
    },
  });
  const continuations = Array.from({ length: CALLERS }, (_, caller) =>
    als.run(caller, async () => {
      // Half the callers occupy a thread first, so the failing tasks queue behind other callers.
      if (caller % 2 === 0) await pool.run(5, { name: 'wait' });
      assert.equal(als.getStore(), caller, 'the run continuation');
      const fail = { name: 'Error', message: String(caller), code: 'E_TASK' };
      await pool.invoke(fail, { name: 'fail' });
      assert.equal(als.getStore(), caller, 'the invoke continuation');
    }),
  );
  await Promise.all(continuations);
  await reportedAll;
  for (let caller = 0; caller < CALLERS; caller++) {
    assert.equal(seen.get(caller), caller, `panicHandler for caller ${caller}'s task`);
  }
  await pool.releaseTimeout(5000);
});
