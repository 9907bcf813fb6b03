import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThreadPool } from '../src/thread/index.js';
import { fixture } from './thread-helpers.js';

test('a module that fails to load rejects its tasks with the load error, without respawning', async () => {
  const pool = new ThreadPool({ filename: fixture('broken.mjs'), size: 2 });
  const results = await Promise.allSettled(Array.from({ length: 3 }, () => pool.run(null)));
  for (const result of results) {
    assert.equal(result.status, 'rejected');
    assert.match(String((result as PromiseRejectedResult).reason), /broken module/);
  }
  assert.equal(pool.running, 0, 'no thread left behind or respawned');
  assert.equal(pool.waiting, 0);
  await pool.releaseTimeout(5000);
});

test('a module that does not exist rejects with the import error', async () => {
  const pool = new ThreadPool({ filename: fixture('missing.mjs'), size: 1 });
  await assert.rejects(pool.run(null), /Cannot find module|ERR_MODULE_NOT_FOUND/);
  await pool.releaseTimeout(5000);
});
