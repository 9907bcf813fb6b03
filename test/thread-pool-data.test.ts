import assert from 'node:assert/strict';
import { test } from 'node:test';
import { behaviours } from './thread-helpers.js';

test('an argument that cannot be cloned rejects that task only, with DataCloneError', async () => {
  const pool = behaviours({ size: 1 });
  const err = await pool.run({ fn: () => {} }, { name: 'echo' }).catch((e: unknown) => e);
  assert.equal((err as Error).name, 'DataCloneError');
  assert.equal(await pool.run('fine', { name: 'echo' }), 'fine');
  await pool.releaseTimeout(5000);
});

test('a proxy argument rejects with DataCloneError, as structured clone does', async () => {
  const pool = behaviours({ size: 1 });
  const err = await pool.run(new Proxy({ a: 1 }, {}), { name: 'echo' }).catch((e: unknown) => e);
  assert.equal((err as Error).name, 'DataCloneError');
  await pool.releaseTimeout(5000);
});

test("an argument's getter that throws rejects that task only, with its error", async () => {
  const pool = behaviours({ size: 1 });
  const arg = {
    get value(): number {
      throw new Error('no value');
    },
  };
  await assert.rejects(pool.run(arg, { name: 'echo' }), { message: 'no value' });
  assert.equal(await pool.run('fine', { name: 'echo' }), 'fine');
  await pool.releaseTimeout(5000);
});

test('a result that cannot be cloned rejects that task only, with DataCloneError', async () => {
  const pool = behaviours({ size: 1 });
  const err = await pool.run(null, { name: 'unclonableResult' }).catch((e: unknown) => e);
  assert.equal((err as Error).name, 'DataCloneError');
  assert.equal(await pool.run('fine', { name: 'echo' }), 'fine');
  await pool.releaseTimeout(5000);
});

test("a task's error keeps its name, message, stack and cloneable own properties", async () => {
  const pool = behaviours({ size: 1 });
  const err = (await pool
    .run({ name: 'ValidationError', message: 'bad input', code: 'E_BAD' }, { name: 'fail' })
    .catch((e: unknown) => e)) as Error & Record<string, unknown>;
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'ValidationError');
  assert.equal(err.message, 'bad input');
  assert.equal(err.code, 'E_BAD');
  assert.deepEqual(err.detail, { retry: false });
  assert.equal(err.unclonable, undefined);
  assert.match(String(err.stack), /behaviours\.mjs/);
  assert.equal(
    await pool.run(null, { name: 'throwString' }).catch((e: unknown) => e),
    'plain string',
  );
  await pool.releaseTimeout(5000);
});

test('transfer moves a buffer to the thread instead of copying it', async () => {
  const pool = behaviours({ size: 1 });
  const buffer = new ArrayBuffer(1024);
  assert.equal(await pool.run(buffer, { name: 'byteLength', transfer: [buffer] }), 1024);
  assert.equal(buffer.byteLength, 0, 'detached: it was moved');
  await pool.releaseTimeout(5000);
});

test('workerData reaches the threads', async () => {
  const pool = behaviours({ size: 1, workerData: { region: 'eu' } });
  assert.deepEqual(await pool.run(null, { name: 'data' }), { region: 'eu' });
  await pool.releaseTimeout(5000);
});
