import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from '../src/index.js';
import { sleep } from './helpers.js';

test('Symbol.asyncDispose releases the pool and waits for running tasks', async () => {
  const pool = new Pool(2);
  let finished = 0;
  await pool.submit(async () => {
    await sleep(5);
    finished++;
  });
  await pool[Symbol.asyncDispose]();
  assert.equal(finished, 1);
  assert.equal(pool.closed, true);
  assert.equal(pool.running, 0);
  await pool[Symbol.asyncDispose]();
});
