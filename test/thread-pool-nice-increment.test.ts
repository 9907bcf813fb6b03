import assert from 'node:assert/strict';
import { getPriority } from 'node:os';
import { test } from 'node:test';
import { ThreadPool } from '../src/thread/index.js';
import { fixture } from './thread-helpers.js';

const linux = process.platform === 'linux';
const filename = fixture('priority.mjs');

/** The nice values the pool's two threads report: four tasks, handed out in turn. */
async function threadNices(niceIncrement?: number): Promise<number[]> {
  const pool = new ThreadPool<void, number>({ filename, size: 2, preAlloc: true, niceIncrement });
  try {
    return await Promise.all([pool.run(), pool.run(), pool.run(), pool.run()]);
  } finally {
    await pool.releaseTimeout(5000);
  }
}

test('threads run at the main thread’s priority by default', { skip: !linux }, async () => {
  const main = getPriority();
  assert.deepEqual(await threadNices(), [main, main, main, main]);
});

test('niceIncrement lowers every thread’s priority, not main’s', { skip: !linux }, async () => {
  const main = getPriority();
  const lowered = Math.min(19, main + 3);
  assert.deepEqual(await threadNices(3), [lowered, lowered, lowered, lowered]);
  assert.equal(getPriority(), main);
});

test('niceIncrement is an integer from 0 to 19', () => {
  for (const niceIncrement of [-1, 1.5, 20, '5', null, Number.NaN]) {
    assert.throws(
      () => new ThreadPool({ filename, niceIncrement: niceIncrement as never }),
      { code: 'ERR_INVALID_OPTION', message: /niceIncrement/ },
      String(niceIncrement),
    );
  }
});
