import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from '../src/index.js';
import { deferred, state } from './helpers.js';

test('submit resolves at once when a worker is free, and the task starts now', async () => {
  const pool = new Pool(2);
  let started = false;
  const gate = deferred();
  const accepted = pool.submit(() => {
    started = true;
    return gate.promise;
  });
  assert.equal(started, true);
  assert.equal(await state(accepted), 'fulfilled');
  assert.equal(pool.running, 1);
  gate.resolve();
  await pool.onIdle();
  pool.release();
});

test('submit waits while every worker is busy and resolves when one accepts the task', async () => {
  const pool = new Pool(1);
  const gate = deferred();
  await pool.submit(() => gate.promise);
  let ran = false;
  const accepted = pool.submit(() => {
    ran = true;
  });
  assert.equal(pool.waiting, 1);
  assert.equal(await state(accepted), 'pending');
  gate.resolve();
  await accepted;
  assert.equal(ran, true);
  assert.equal(pool.waiting, 0);
  pool.release();
});

test('submit resolves with undefined, not with the task result', async () => {
  const pool = new Pool(1);
  assert.equal(await pool.submit(() => 42), undefined);
  pool.release();
});

test('a task that is not a function rejects with a TypeError', async () => {
  const pool = new Pool(1);
  await assert.rejects(pool.submit(42 as never), TypeError);
  await assert.rejects(
    pool.run(null as never),
    /Expected `task` to be a function, got `null` \(null\)/,
  );
  pool.release();
});
