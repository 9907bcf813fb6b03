import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from '../src/index.js';
import { deferred, state } from './helpers.js';

test('onIdle resolves at once on a pool with nothing to do', async () => {
  const pool = new Pool(2);
  await pool.onIdle();
  await pool.run(() => 1);
  assert.equal(
    await state(pool.onIdle()),
    'fulfilled',
    'idle workers do not count as running tasks',
  );
  pool.release();
});

test('onIdle waits until nothing runs and nothing waits', async () => {
  const pool = new Pool(1);
  const gates = [deferred(), deferred()];
  void pool.submit(() => gates[0]?.promise);
  void pool.submit(() => gates[1]?.promise);
  const idle = pool.onIdle();
  gates[0]?.resolve();
  assert.equal(await state(idle), 'pending', 'the second task still waits or runs');
  gates[1]?.resolve();
  await idle;
  assert.equal(pool.waiting, 0);
  pool.release();
});
