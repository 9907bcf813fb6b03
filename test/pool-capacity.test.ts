import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from '../src/index.js';
import { deferred, sleep } from './helpers.js';

test('many tasks through a small pool never exceed its capacity', async () => {
  const pool = new Pool(10);
  let active = 0;
  let peak = 0;
  const results = await Promise.all(
    Array.from({ length: 1000 }, (_, i) =>
      pool.run(async () => {
        active++;
        peak = Math.max(peak, active);
        await sleep(i % 3);
        active--;
        return i;
      }),
    ),
  );
  assert.equal(peak, 10);
  assert.deepEqual(
    results,
    Array.from({ length: 1000 }, (_, i) => i),
  );
  assert.equal(pool.running, 10, 'workers stay alive, idle, for reuse');
  assert.equal(pool.free, 0);
  assert.equal(pool.waiting, 0);
  pool.release();
});

test('waiting callers are admitted in FIFO order', async () => {
  const pool = new Pool(1);
  const gate = deferred();
  const order: number[] = [];
  const first = pool.run(() => gate.promise);
  const rest = Array.from({ length: 5 }, (_, i) => pool.run(() => void order.push(i)));
  assert.equal(pool.waiting, 5);
  gate.resolve();
  await Promise.all([first, ...rest]);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
  pool.release();
});

test('an idle worker is reused instead of a new one being made', async () => {
  const pool = new Pool(4);
  for (let i = 0; i < 20; i++) await pool.run(async () => i);
  assert.equal(pool.running, 1);
  pool.release();
});

test('synchronous tasks run one after another without growing the stack', async () => {
  const pool = new Pool(1);
  const gate = deferred();
  const blocker = pool.run(() => gate.promise);
  const tasks = Array.from({ length: 50_000 }, (_, i) => pool.run(() => i));
  gate.resolve();
  await blocker;
  const results = await Promise.all(tasks);
  assert.equal(results.length, 50_000);
  assert.equal(results[49_999], 49_999);
  pool.release();
});
