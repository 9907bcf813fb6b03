import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from '../src/index.js';

test('reboot opens a released pool, which then works as new', async () => {
  const pool = new Pool(3, { expiryDuration: 50 });
  assert.equal(await pool.run(() => 1), 1);
  await pool.releaseTimeout(1000);
  await assert.rejects(
    pool.run(() => 2),
    { code: 'ERR_POOL_CLOSED' },
  );
  pool.reboot();
  assert.equal(pool.closed, false);
  assert.equal(pool.running, 0);
  const results = await Promise.all(Array.from({ length: 9 }, (_, i) => pool.run(async () => i)));
  assert.equal(results.length, 9);
  assert.equal(pool.running, 3);
  await pool.releaseTimeout(1000);
});

test('reboot on an open pool does nothing', async () => {
  const pool = new Pool(2);
  await pool.run(() => 1);
  pool.reboot();
  assert.equal(pool.closed, false);
  assert.equal(pool.running, 1);
  pool.release();
});
