import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidArgumentError, Pool, PoolError } from '../src/index.js';

test('size must be a positive integer or Infinity', () => {
  for (const bad of [0, -1, 2.5, Number.NaN, Number.NEGATIVE_INFINITY, '10', undefined]) {
    assert.throws(
      () => new Pool(bad as number),
      (err: unknown) =>
        err instanceof InvalidArgumentError &&
        err instanceof PoolError &&
        err.code === 'ERR_INVALID_POOL_SIZE',
    );
  }
  assert.throws(() => new Pool(0), {
    message: 'Expected `size` to be a positive integer or Infinity, got `0` (number)',
  });
});

test('expiryDuration must be finite and not negative; 0 means the default', () => {
  for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5']) {
    assert.throws(() => new Pool(1, { expiryDuration: bad as number }), {
      code: 'ERR_INVALID_POOL_EXPIRY',
    });
  }
  new Pool(1, { expiryDuration: 0 }).release();
});

test('preAlloc with an unlimited size is refused', () => {
  assert.throws(() => new Pool(Number.POSITIVE_INFINITY, { preAlloc: true }), {
    code: 'ERR_INVALID_PRE_ALLOC_SIZE',
  });
});

test('preAlloc starts every worker up front, idle', async () => {
  const pool = new Pool(4, { preAlloc: true });
  assert.equal(pool.running, 4);
  assert.equal(pool.free, 0);
  const results = await Promise.all(Array.from({ length: 8 }, (_, i) => pool.run(() => i)));
  assert.equal(results.length, 8);
  assert.equal(pool.running, 4);
  pool.release();
});

test('other options out of range get ERR_INVALID_OPTION', () => {
  const bad: object[] = [
    { maxBlockingTasks: -1 },
    { maxBlockingTasks: 1.5 },
    { nonblocking: 'yes' },
    { preAlloc: 1 },
    { disablePurge: null },
    { panicHandler: 'log' },
    { logger: {} },
    { logger: null },
  ];
  for (const options of bad) {
    assert.throws(
      () => new Pool(1, options),
      { code: 'ERR_INVALID_OPTION' },
      JSON.stringify(options),
    );
  }
  assert.throws(() => new Pool(1, 'fast' as never), { code: 'ERR_INVALID_OPTION' });
});

test('console fits as a logger', () => {
  new Pool(1, { logger: console }).release();
});
