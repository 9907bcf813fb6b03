import assert from 'node:assert/strict';
import { type TestContext, test } from 'node:test';
import { WorkerExitedError } from '../src/thread/index.js';
import { until } from './helpers.js';
import { Flights } from './thread-helpers.js';

type Gated = { i: number; exit?: boolean };

const outcome = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (err: unknown) => (err instanceof WorkerExitedError ? 'exited' : String(err)),
  );

test('concurrentTasksPerThread: a thread that dies fails exactly the tasks it had started', async (t: TestContext) => {
  const flights = new Flights();
  t.after(() => flights.openAll());
  const pool = flights.pool<Gated>({ size: 1, concurrentTasksPerThread: 4, localQueueSize: 8 });
  const started = [0, 1, 2, 3].map((i) => pool.run({ i, exit: i === 3 }, { name: 'gated' }));
  await until(() => [0, 1, 2, 3].every((i) => flights.starts(i) === 1), 'four tasks in flight');
  for (const i of [4, 5, 6, 7]) flights.open(i);
  const held = [4, 5, 6, 7].map((i) => pool.run({ i }, { name: 'gated' }));
  assert.equal(pool.waiting, 0, 'the thread holds the four more');
  assert.deepEqual(
    [4, 5, 6, 7].map((i) => flights.starts(i)),
    [0, 0, 0, 0],
  );
  flights.open(3); // task 3 exits its thread while 0, 1 and 2 await
  assert.deepEqual(await Promise.all(started.map(outcome)), Array(4).fill('exited'));
  // The tasks it held and had not started went back to the pool: a new thread runs them.
  assert.deepEqual(await Promise.all(held.map(outcome)), Array(4).fill('resolved'));
  for (let i = 0; i < 8; i++) assert.equal(flights.starts(i), 1, `task ${i} began once`);
  await pool.releaseTimeout(5000);
});

test('concurrentTasksPerThread: a death with tasks stolen and in flight on two threads', async (t: TestContext) => {
  const flights = new Flights();
  t.after(() => flights.openAll());
  const pool = flights.pool<Gated>({ size: 2, concurrentTasksPerThread: 4, localQueueSize: 16 });
  const count = 12;
  const runs = Array.from({ length: count }, (_, i) =>
    pool.run({ i, exit: i === 0 }, { name: 'gated' }),
  );
  await until(
    () => Array.from({ length: count }, (_, i) => flights.starts(i)).filter(Boolean).length === 8,
    'eight tasks in flight',
  );
  const dying = flights.thread(0);
  const onDying = new Set(
    Array.from({ length: count }, (_, i) => i).filter((i) => flights.thread(i) === dying),
  );
  assert.equal(onDying.size, 4);
  flights.open(0);
  const dead = await Promise.all([...onDying].map((i) => outcome(runs[i]!)));
  assert.deepEqual(dead, Array(4).fill('exited'));
  for (let i = 1; i < count; i++) flights.open(i);
  const rest = Array.from({ length: count }, (_, i) => i).filter((i) => !onDying.has(i));
  assert.deepEqual(
    await Promise.all(rest.map((i) => outcome(runs[i]!))),
    Array(8).fill('resolved'),
  );
  for (let i = 0; i < count; i++) assert.equal(flights.starts(i), 1, `task ${i} began once`);
  await pool.releaseTimeout(5000);
});
