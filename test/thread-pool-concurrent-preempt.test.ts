import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { AbortError, TaskTimeoutError } from '../src/thread/index.js';
import { until } from './helpers.js';
import { Flights } from './thread-helpers.js';

type Gated = { i: number };

test('concurrentTasksPerThread: a task with a signal waits for a thread with nothing in flight, and aborts there', async (t: TestContext) => {
  const flights = new Flights();
  t.after(() => flights.openAll());
  const pool = flights.pool<Gated | number, unknown>({ size: 2, concurrentTasksPerThread: 4 });
  const busy = Array.from({ length: 8 }, (_, i) => pool.run({ i }, { name: 'gated' }));
  await until(() => busy.every((_, i) => flights.starts(i) === 1), 'eight tasks in flight');
  const waiting = new AbortController();
  const aborted = pool.run({ i: 8 }, { name: 'gated', signal: waiting.signal });
  assert.equal(pool.waiting, 1, 'it shares no thread with tasks in flight');
  waiting.abort();
  await assert.rejects(aborted, AbortError);
  assert.equal(flights.starts(8), 0);
  for (let i = 0; i < 8; i++) flights.open(i);
  await Promise.all(busy);

  // Now it runs alone on its thread: no task starts beside it, stolen or not.
  const running = new AbortController();
  const alone = pool.run({ i: 9 }, { name: 'gated', signal: running.signal });
  await until(() => flights.starts(9) === 1, 'the task with a signal started');
  // The other thread takes them all, runs four and holds two, which it would let a peer steal.
  const others = Array.from({ length: 6 }, (_, k) => pool.run({ i: 10 + k }, { name: 'gated' }));
  await until(
    () => others.filter((_, k) => flights.starts(10 + k) === 1).length === 4,
    'four others in flight on the other thread',
  );
  await sleep(50); // room for a wrong start or steal to show
  for (let k = 0; k < 6; k++) {
    assert.notEqual(flights.thread(10 + k), flights.thread(9), `task ${10 + k} shares its thread`);
  }
  running.abort();
  await assert.rejects(alone, AbortError);
  for (let k = 0; k < 6; k++) flights.open(10 + k);
  assert.equal((await Promise.all(others)).length, 6);
  for (let i = 10; i < 16; i++) assert.equal(flights.starts(i), 1, `task ${i} began once`);
  await pool.releaseTimeout(5000);
});

test('concurrentTasksPerThread with taskTimeout: each task runs alone, a timeout fails only its own', async (t: TestContext) => {
  const flights = new Flights();
  t.after(() => flights.openAll());
  const pool = flights.pool<Gated | number, { most: number }>({
    size: 2,
    concurrentTasksPerThread: 4,
    taskTimeout: 300,
  });
  const stuck = pool.run({ i: 0 }, { name: 'gated' }); // its gate never opens
  const timers = Array.from({ length: 8 }, () => pool.run(10));
  await assert.rejects(stuck, TaskTimeoutError);
  const seen = await Promise.all(timers);
  assert.deepEqual(
    seen.map((s) => s.most),
    Array(8).fill(1),
  );
  await pool.releaseTimeout(5000);
});
