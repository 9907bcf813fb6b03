import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MultiPoolWithFunc } from '../src/index.js';

test('MultiPoolWithFunc sums 0..999 to 499500 with both strategies, before and after reboot', async () => {
  for (const strategy of ['round-robin', 'least-tasks'] as const) {
    let sum = 0;
    const pool = new MultiPoolWithFunc(
      4,
      5,
      async (i: number) => {
        sum += i;
      },
      strategy,
    );
    for (const _ of [1, 2]) {
      sum = 0;
      for (let i = 0; i < 1000; i++) await pool.invoke(i);
      await pool.onIdle();
      assert.equal(sum, 499500, strategy);
      assert.ok(pool.running <= 20);
      await pool.releaseTimeout(1000);
      pool.reboot();
    }
    pool.release();
  }
});

test('run resolves with fn(arg); a missing function is ERR_LACK_POOL_FUNC', async () => {
  const pool = new MultiPoolWithFunc(2, 2, (s: string) => s.toUpperCase(), 'round-robin');
  const upper: string = await pool.run('ants');
  assert.equal(upper, 'ANTS');
  pool.release();
  assert.throws(() => new MultiPoolWithFunc(2, 2, null as never, 'round-robin'), {
    code: 'ERR_LACK_POOL_FUNC',
  });
});
