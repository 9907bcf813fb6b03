import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AbortError, Pool } from '../src/index.js';
import { deferred, recordingLogger, state } from './helpers.js';

test('aborting a waiting task removes it and rejects with AbortError', async () => {
  const pool = new Pool(1);
  const gate = deferred();
  const first = pool.run(() => gate.promise);
  const controller = new AbortController();
  let ran = false;
  const waiting = pool.run(
    () => {
      ran = true;
    },
    { signal: controller.signal },
  );
  const after = pool.run(() => 'after');
  assert.equal(pool.waiting, 2);
  controller.abort('changed my mind');
  const err = await waiting.catch((e: unknown) => e);
  assert.ok(err instanceof AbortError);
  assert.equal(err.code, 'ERR_TASK_ABORTED');
  assert.equal(err.cause, 'changed my mind');
  assert.equal(pool.waiting, 1);
  gate.resolve();
  await first;
  assert.equal(await after, 'after');
  assert.equal(ran, false);
  pool.release();
});

test('a waiting submit aborted is rejected too, and others keep their place', async () => {
  const pool = new Pool(1);
  const gate = deferred();
  await pool.submit(() => gate.promise);
  const controller = new AbortController();
  const order: string[] = [];
  const a = pool.submit(() => void order.push('a'));
  const b = pool.submit(() => void order.push('b'), { signal: controller.signal });
  const c = pool.submit(() => void order.push('c'));
  controller.abort();
  await assert.rejects(b, AbortError);
  gate.resolve();
  await Promise.all([a, c]);
  await pool.onIdle();
  assert.deepEqual(order, ['a', 'c']);
  pool.release();
});

test('an already aborted signal rejects at once and the task never runs', async () => {
  const pool = new Pool(1);
  let ran = false;
  const signal = AbortSignal.abort(new Error('early'));
  await assert.rejects(
    pool.run(
      () => {
        ran = true;
      },
      { signal },
    ),
    (err: unknown) => err instanceof AbortError && (err.cause as Error).message === 'early',
  );
  assert.equal(ran, false);
  assert.equal(pool.running, 0);
  pool.release();
});

test('aborting a running run() rejects at once; the worker stays busy until the task settles', async () => {
  const pool = new Pool(1);
  const gate = deferred<string>();
  const controller = new AbortController();
  let seen: AbortSignal | undefined;
  const running = pool.run(
    (signal) => {
      seen = signal;
      return gate.promise;
    },
    { signal: controller.signal },
  );
  const next = pool.run(() => 'next');
  controller.abort();
  await assert.rejects(running, AbortError);
  assert.equal(seen?.aborted, true, 'the task receives the aborted signal');
  assert.equal(await state(next), 'pending', 'the worker is still busy');
  gate.resolve('late result is dropped');
  assert.equal(await next, 'next');
  pool.release();
});

test('aborting a running submit() is reported nowhere', async () => {
  const logger = recordingLogger();
  const pool = new Pool(1, { logger });
  const controller = new AbortController();
  const gate = deferred();
  await pool.submit(() => gate.promise, { signal: controller.signal });
  controller.abort();
  gate.resolve();
  await pool.onIdle();
  assert.deepEqual(logger.calls, []);
  pool.release();
});

test('a signal that never aborts leaves no listener behind once the task ran', async () => {
  const pool = new Pool(2);
  const controller = new AbortController();
  for (let i = 0; i < 20; i++) await pool.run(async () => i, { signal: controller.signal });
  const gate = deferred();
  const blocker = pool.run(() => gate.promise);
  const blocker2 = pool.run(() => gate.promise);
  const queued = pool.run(() => 'queued', { signal: controller.signal });
  gate.resolve();
  await Promise.all([blocker, blocker2, queued]);
  controller.abort();
  assert.equal(await pool.run(() => 'fine'), 'fine');
  pool.release();
});

test('bad task options reject with ERR_INVALID_OPTION', async () => {
  const pool = new Pool(1);
  await assert.rejects(
    pool.run(() => 1, { signal: 'nope' as never }),
    {
      code: 'ERR_INVALID_OPTION',
    },
  );
  await assert.rejects(
    pool.submit(() => 1, null as never),
    { code: 'ERR_INVALID_OPTION' },
  );
  pool.release();
});
