import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool, PoolClosedError } from '../src/index.js';
import { deferred, sleep } from './helpers.js';

test('release wakes every waiting caller with PoolClosedError; running tasks finish', async () => {
  const pool = new Pool(2);
  const gate = deferred();
  let finished = 0;
  const running = Array.from({ length: 2 }, () =>
    pool.run(async () => {
      await gate.promise;
      finished++;
      return 'done';
    }),
  );
  const waiting = [
    ...Array.from({ length: 3 }, () => pool.submit(() => {})),
    ...Array.from({ length: 3 }, () => pool.run(() => 1)),
  ];
  pool.release();
  assert.equal(pool.closed, true);
  assert.equal(pool.waiting, 0);
  for (const result of await Promise.allSettled(waiting)) {
    assert.equal(result.status, 'rejected');
    assert.ok(result.reason instanceof PoolClosedError);
  }
  assert.equal(pool.running, 2, 'busy workers live until their task ends');
  gate.resolve();
  assert.deepEqual(await Promise.all(running), ['done', 'done']);
  assert.equal(finished, 2);
  assert.equal(pool.running, 0);
});

test('calls after release reject with PoolClosedError; release is idempotent', async () => {
  const pool = new Pool(1);
  await pool.run(() => 1);
  pool.release();
  pool.release();
  assert.equal(pool.running, 0, 'idle workers exit at once');
  await assert.rejects(
    pool.submit(() => {}),
    { code: 'ERR_POOL_CLOSED' },
  );
  await assert.rejects(
    pool.run(() => 1),
    PoolClosedError,
  );
});

test('two producers submitting while the pool is released: every call settles', async () => {
  const pool = new Pool(5);
  const outcomes = { accepted: 0, closed: 0 };
  const producer = async () => {
    for (let i = 0; i < 200; i++) {
      try {
        await pool.submit(() => sleep(1));
        outcomes.accepted++;
      } catch (err) {
        assert.ok(err instanceof PoolClosedError);
        outcomes.closed++;
      }
    }
  };
  const producers = [producer(), producer()];
  await sleep(10);
  pool.release();
  await Promise.all(producers);
  assert.equal(outcomes.accepted + outcomes.closed, 400);
  assert.ok(outcomes.closed > 0);
});
