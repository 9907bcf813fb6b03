import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Pool } from '../src/index.js';
import { recordingLogger } from './helpers.js';

test('errors of submitted tasks go to panicHandler and the pool keeps working', async () => {
  const panics: unknown[] = [];
  const pool = new Pool(2, { panicHandler: (err) => panics.push(err) });
  await pool.submit(() => {
    throw new Error('sync panic');
  });
  await pool.submit(async () => {
    throw new Error('async panic');
  });
  await pool.onIdle();
  assert.deepEqual(
    panics.map((err) => (err as Error).message),
    ['sync panic', 'async panic'],
  );
  assert.equal(await pool.run(() => 'alive'), 'alive');
  pool.release();
});

test('without a panicHandler the error goes to the logger with an [antpool] prefix', async () => {
  const logger = recordingLogger();
  const pool = new Pool(1, { logger });
  const boom = new Error('boom');
  await pool.submit(() => {
    throw boom;
  });
  await pool.onIdle();
  assert.equal(logger.calls.length, 1);
  assert.match(String(logger.calls[0]?.[0]), /^\[antpool\]/);
  assert.equal(logger.calls[0]?.[1], boom);
  pool.release();
});

test('the default logger is console.error', async (t) => {
  const errors = t.mock.method(console, 'error', () => {});
  const pool = new Pool(1);
  await pool.submit(() => Promise.reject(new Error('to console')));
  await pool.onIdle();
  assert.equal(errors.mock.callCount(), 1);
  assert.match(String(errors.mock.calls[0]?.arguments[0]), /^\[antpool\]/);
  pool.release();
});

test('a panicHandler that throws is logged, never crashes the process', async () => {
  const logger = recordingLogger();
  const pool = new Pool(1, {
    logger,
    panicHandler: () => {
      throw new Error('handler broke');
    },
  });
  await pool.submit(() => {
    throw new Error('task broke');
  });
  await pool.onIdle();
  assert.equal(logger.calls.length, 1);
  assert.equal((logger.calls[0]?.[1] as Error | undefined)?.message, 'handler broke');
  assert.equal(await pool.run(() => 'alive'), 'alive');
  pool.release();
});
