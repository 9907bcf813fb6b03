import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from '../src/index.js';
import { recordingLogger } from './helpers.js';

test('run resolves with the result of a synchronous or an async task', async () => {
  const pool = new Pool(2);
  assert.equal(await pool.run(() => 'sync'), 'sync');
  assert.equal(await pool.run(async () => 'async'), 'async');
  const thenable: PromiseLike<number> = {
    // biome-ignore lint/suspicious/noThenProperty: a foreign thenable is what this test is about
    then: (resolve) => Promise.resolve(resolve?.(7)) as never,
  };
  assert.equal(await pool.run(() => thenable), 7);
  pool.release();
});

test('run rejects with the error of the task, and the error goes nowhere else', async () => {
  const logger = recordingLogger();
  const panics: unknown[] = [];
  const pool = new Pool(1, { logger, panicHandler: (err) => panics.push(err) });
  await assert.rejects(
    pool.run(() => {
      throw new Error('sync boom');
    }),
    /sync boom/,
  );
  await assert.rejects(
    pool.run(async () => Promise.reject(new Error('async boom'))),
    /async boom/,
  );
  assert.equal(await pool.run(() => 'still works'), 'still works');
  assert.deepEqual(panics, []);
  assert.deepEqual(logger.calls, []);
  pool.release();
});

test('a task given no signal receives one that never aborts', async () => {
  const pool = new Pool(1);
  const signal = await pool.run((s) => s);
  assert.ok(signal instanceof AbortSignal);
  assert.equal(signal.aborted, false);
  pool.release();
});

test('run infers the result type', async () => {
  const pool = new Pool(1);
  const n: number = await pool.run(async () => 1);
  const s: string = await pool.run(() => 'x');
  assert.equal(`${n}${s}`, '1x');
  pool.release();
});
