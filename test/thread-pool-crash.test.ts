import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WorkerExitedError } from '../src/thread/index.js';
import { recordingLogger, until } from './helpers.js';
import { behaviours } from './thread-helpers.js';

test('a thread that exits fails only its task, and the pool keeps its capacity', async () => {
  const pool = behaviours({ size: 2, localQueueSize: 1 });
  const exiting = pool.run(3, { name: 'exit' });
  const others = Array.from({ length: 20 }, (_, i) => pool.run(i, { name: 'echo' }));
  const err = await exiting.catch((e: unknown) => e);
  assert.ok(err instanceof WorkerExitedError);
  assert.equal(err.code, 'ERR_WORKER_EXITED');
  assert.match(err.message, /code 3/);
  assert.deepEqual(
    await Promise.all(others),
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.equal(pool.cap, 2);
  assert.ok(pool.running <= 2);
  await pool.releaseTimeout(5000);
});

test("tasks waiting in a dead thread's local queue are not lost", async () => {
  const pool = behaviours({ size: 1, localQueueSize: 4 });
  const exiting = pool.run(1, { name: 'exit' });
  const queuedBehind = [pool.run('a', { name: 'echo' }), pool.run('b', { name: 'echo' })];
  await assert.rejects(exiting, WorkerExitedError);
  assert.deepEqual(await Promise.all(queuedBehind), ['a', 'b']);
  await pool.releaseTimeout(5000);
});

test('a thread out of memory under resourceLimits fails its task with WorkerExitedError', async () => {
  const pool = behaviours({
    size: 1,
    resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
  });
  const err = await pool.run(null, { name: 'leak' }).catch((e: unknown) => e);
  assert.ok(err instanceof WorkerExitedError);
  assert.match(String((err.cause as Error | undefined)?.message), /memory/i);
  assert.equal(await pool.run('after', { name: 'echo' }), 'after');
  await pool.releaseTimeout(5000);
});

test('a crash outside any task is logged and the thread is replaced when needed', async () => {
  const logger = recordingLogger();
  const pool = behaviours({ size: 1, logger });
  assert.equal(await pool.run(20, { name: 'crashLater' }), 'scheduled');
  await until(() => logger.calls.length > 0, 'the crash is logged');
  assert.match(String(logger.calls[0]?.[0]), /^\[antpool\]/);
  assert.ok(logger.calls[0]?.[1] instanceof WorkerExitedError);
  await until(() => pool.running === 0, 'the dead thread stops counting');
  assert.equal(await pool.run('again', { name: 'echo' }), 'again');
  assert.equal(pool.running, 1);
  await pool.releaseTimeout(5000);
});

test('invoke: a crash of an accepted task goes to panicHandler', async () => {
  const panics: unknown[] = [];
  const pool = behaviours({ size: 1, panicHandler: (err) => panics.push(err) });
  await pool.invoke(2, { name: 'exit' });
  await until(() => panics.length === 1, 'the crash is reported');
  assert.ok(panics[0] instanceof WorkerExitedError);
  await pool.releaseTimeout(5000);
});
