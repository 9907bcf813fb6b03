import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from '../src/index.js';
import { deferred, sleep, until } from './helpers.js';

test('idle workers are purged after expiryDuration, so running drops back to 0', async () => {
  const pool = new Pool(10, { expiryDuration: 20 });
  await Promise.all(Array.from({ length: 10 }, () => pool.run(() => sleep(1))));
  assert.equal(pool.running, 10);
  await until(() => pool.running === 0, 'every idle worker is purged');
  assert.equal(pool.free, 10);
  assert.equal(await pool.run(() => 'works after purge'), 'works after purge');
  pool.release();
});

test('a busy worker is never purged', async () => {
  const pool = new Pool(2, { expiryDuration: 10 });
  const gate = deferred();
  const busy = pool.run(() => gate.promise);
  await pool.run(() => 1);
  await until(() => pool.running === 1, 'the idle worker is purged');
  await sleep(50);
  assert.equal(pool.running, 1);
  gate.resolve();
  await busy;
  pool.release();
});

test('disablePurge keeps idle workers however long they wait', async () => {
  const pool = new Pool(5, { expiryDuration: 10, disablePurge: true });
  await Promise.all(Array.from({ length: 5 }, () => pool.run(() => sleep(1))));
  await sleep(100);
  assert.equal(pool.running, 5);
  pool.release();
  assert.equal(pool.running, 0);
});
