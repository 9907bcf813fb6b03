import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThreadPool } from '../src/thread/index.js';
import { fixture } from './thread-helpers.js';

const filename = fixture('add.mjs');

test('a ThreadPool without filename is ERR_LACK_POOL_FUNC', () => {
  assert.throws(() => new ThreadPool({} as never), { code: 'ERR_LACK_POOL_FUNC' });
  assert.throws(() => new ThreadPool(undefined as never), { code: 'ERR_LACK_POOL_FUNC' });
});

test('bad options get their codes, at construction', () => {
  const cases: [object, string][] = [
    [{ filename: 42 }, 'ERR_INVALID_OPTION'],
    [{ filename: new URL('https://example.com/x.js') }, 'ERR_INVALID_OPTION'],
    [{ filename, size: 0 }, 'ERR_INVALID_POOL_SIZE'],
    [{ filename, size: Number.POSITIVE_INFINITY }, 'ERR_INVALID_POOL_SIZE'],
    [{ filename, taskTimeout: 0 }, 'ERR_INVALID_OPTION'],
    [{ filename, taskTimeout: Number.NaN }, 'ERR_INVALID_OPTION'],
    [{ filename, localQueueSize: 0 }, 'ERR_INVALID_OPTION'],
    [{ filename, localQueueSize: 1.5 }, 'ERR_INVALID_OPTION'],
    [{ filename, execArgv: '--inspect' }, 'ERR_INVALID_OPTION'],
    [{ filename, expiryDuration: -1 }, 'ERR_INVALID_POOL_EXPIRY'],
    [{ filename, maxBlockingTasks: -1 }, 'ERR_INVALID_OPTION'],
  ];
  for (const [options, code] of cases) {
    assert.throws(() => new ThreadPool(options as never), { code }, JSON.stringify(options));
  }
});

test('the default size is os.availableParallelism()', async () => {
  const { availableParallelism } = await import('node:os');
  const pool = new ThreadPool({ filename });
  assert.equal(pool.cap, availableParallelism());
  pool.release();
});

test('bad task options reject with ERR_INVALID_OPTION', async () => {
  const pool = new ThreadPool({ filename, size: 1 });
  await assert.rejects(pool.run({}, { name: 3 as never }), { code: 'ERR_INVALID_OPTION' });
  await assert.rejects(pool.run({}, { transfer: 'x' as never }), { code: 'ERR_INVALID_OPTION' });
  await assert.rejects(pool.run({}, { signal: {} as never }), { code: 'ERR_INVALID_OPTION' });
  await pool.releaseTimeout(5000);
});

test('null is bad input, not "use the default"', async () => {
  for (const options of [
    { filename, size: null },
    { filename, execArgv: null },
  ]) {
    assert.throws(() => new ThreadPool(options as never), { name: 'InvalidArgumentError' });
  }
  const pool = new ThreadPool({ filename, size: 1 });
  await assert.rejects(pool.run({}, { name: null as never }), { code: 'ERR_INVALID_OPTION' });
  await assert.rejects(pool.run({}, { transfer: null as never }), { code: 'ERR_INVALID_OPTION' });
  await pool.releaseTimeout(5000);
});
