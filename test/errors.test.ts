import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  AbortError,
  InvalidArgumentError,
  PoolClosedError,
  PoolError,
  PoolOverloadError,
  TaskTimeoutError,
  TimeoutError,
  WorkerExitedError,
} from '../src/index.js';

test('every error is a PoolError with a stable code and its own name', () => {
  const cases: [PoolError, string, string][] = [
    [new PoolClosedError(), 'ERR_POOL_CLOSED', 'PoolClosedError'],
    [new PoolOverloadError(), 'ERR_POOL_OVERLOAD', 'PoolOverloadError'],
    [new TimeoutError(), 'ERR_TIMEOUT', 'TimeoutError'],
    [
      new InvalidArgumentError('ERR_INVALID_OPTION', 'bad'),
      'ERR_INVALID_OPTION',
      'InvalidArgumentError',
    ],
    [new AbortError('why'), 'ERR_TASK_ABORTED', 'AbortError'],
    [new TaskTimeoutError(5), 'ERR_TASK_TIMEOUT', 'TaskTimeoutError'],
    [new WorkerExitedError(), 'ERR_WORKER_EXITED', 'WorkerExitedError'],
  ];
  for (const [err, code, name] of cases) {
    assert.ok(err instanceof PoolError);
    assert.ok(err instanceof Error);
    assert.equal(err.code, code);
    assert.equal(err.name, name);
    assert.ok(err.message.length > 0);
  }
  assert.equal(new AbortError('why').cause, 'why');
});

test('an error is made fresh at each throw, so its stack is the caller', async () => {
  const { Pool } = await import('../src/index.js');
  const pool = new Pool(1);
  pool.release();
  const a = await pool.run(() => 1).catch((e: unknown) => e);
  const b = await pool.run(() => 1).catch((e: unknown) => e);
  assert.notEqual(a, b);
});
