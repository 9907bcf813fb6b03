import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkerExitedError } from '../src/thread/index.js';
import { sleep, state, until } from './helpers.js';
import { Gates } from './thread-helpers.js';

// One thread takes a blocking task and four more into its run queue; then a second thread
// joins. The queued tasks are the first thread's, but no longer behind its blocked task.
async function blockedThreadWithQueue(gates: Gates, workStealing: boolean) {
  const pool = gates.pool({ size: 1, localQueueSize: 8, workStealing });
  const blocked = pool.run(0, { name: 'wait' });
  const queued = Promise.all([1, 2, 3, 4].map(() => pool.run(0, { name: 'whoami' })));
  await until(() => gates.started(0) === 1, 'the first thread blocks');
  pool.tune(2);
  const second = await pool.run(0, { name: 'whoami' });
  return { pool, blocked, queued, second };
}

test('an idle thread steals the tasks queued behind a blocked one', async () => {
  const gates = new Gates();
  const { pool, blocked, queued, second } = await blockedThreadWithQueue(gates, true);
  assert.deepEqual(await queued, [second, second, second, second], 'the second thread ran them');
  gates.open(0);
  assert.notEqual(await blocked, second);
  await pool.releaseTimeout(5000);
});

test('workStealing: false leaves queued tasks to their own thread', async () => {
  const gates = new Gates();
  const { pool, blocked, queued, second } = await blockedThreadWithQueue(gates, false);
  await sleep(200);
  assert.equal(await state(queued), 'pending', 'nobody took them');
  gates.open(0);
  const first = await blocked;
  assert.notEqual(first, second);
  assert.deepEqual(await queued, [first, first, first, first]);
  await pool.releaseTimeout(5000);
});

test('a thread that dies holding stolen tasks fails only the one it ran; the rest run', async () => {
  const gates = new Gates();
  const pool = gates.pool({ size: 1, localQueueSize: 8 });
  const blocked = pool.run(0, { name: 'wait' });
  await until(() => gates.started(0) === 1, 'the first thread blocks');
  const crash = pool.run(3, { name: 'exit' });
  const rest = Promise.all([1, 2, 3].map(() => pool.run(0, { name: 'whoami' })));
  pool.tune(2);
  await pool.run(0, { name: 'whoami' }); // the second thread: it steals the crash and one more
  const err = await crash.catch((e: unknown) => e);
  assert.ok(err instanceof WorkerExitedError);
  gates.open(0);
  await blocked;
  assert.equal((await rest).length, 3, 'every other task ran, none was lost');
  await pool.releaseTimeout(5000);
});
