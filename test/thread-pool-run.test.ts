import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ThreadPool } from '../src/thread/index.js';
import { fixture } from './thread-helpers.js';

test('run calls the default export of an ESM module in a thread', async () => {
  const pool = new ThreadPool<{ a: number; b: number }, number>({
    filename: fixture('add.mjs'),
    size: 2,
  });
  const sums = await Promise.all(Array.from({ length: 100 }, (_, i) => pool.run({ a: i, b: 1 })));
  assert.deepEqual(
    sums,
    Array.from({ length: 100 }, (_, i) => i + 1),
  );
  assert.equal(pool.running, 2);
  await pool.releaseTimeout(5000);
});

test('name picks another export; an async export is awaited in the thread', async () => {
  const pool = new ThreadPool({ filename: fixture('add.mjs'), size: 1 });
  assert.equal(await pool.run(20, { name: 'fib' }), 6765);
  assert.equal(await pool.run(21, { name: 'slowDouble' }), 42);
  await assert.rejects(pool.run(1, { name: 'missing' }), /no function export named "missing"/);
  await pool.releaseTimeout(5000);
});

test('a .js module in a "type": "module" package is ESM', async () => {
  const pool = new ThreadPool({ filename: fixture('multiply.js'), size: 1 });
  assert.equal(await pool.run({ a: 6, b: 7 }), 42);
  await pool.releaseTimeout(5000);
});

test('a CommonJS module works, default and named', async () => {
  const pool = new ThreadPool({ filename: fixture('add.cjs'), size: 1 });
  assert.equal(await pool.run({ a: 2, b: 3 }), 5);
  assert.equal(await pool.run(4, { name: 'triple' }), 12);
  await pool.releaseTimeout(5000);
});

test('a TypeScript module works when the parent runs TypeScript (tsx here)', async () => {
  assert.ok(
    process.execArgv.some((arg) => arg.includes('tsx')),
    'the suite runs under tsx',
  );
  const pool = new ThreadPool({ filename: fixture('add.ts'), size: 1 });
  assert.equal(await pool.run({ a: 40, b: 2 }), 42);
  await pool.releaseTimeout(5000);
});

test('filename may be an absolute path, a relative path or a file: URL string', async () => {
  const url = fixture('add.mjs');
  for (const filename of [url.pathname, 'test/fixtures/add.mjs', url.href]) {
    const pool = new ThreadPool({ filename, size: 1 });
    assert.equal(await pool.run({ a: 1, b: 1 }), 2, filename);
    await pool.releaseTimeout(5000);
  }
});

test('invoke resolves once a thread accepted the task; its error goes to panicHandler', async () => {
  const panics: unknown[] = [];
  const pool = new ThreadPool({
    filename: fixture('behaviours.mjs'),
    size: 1,
    panicHandler: (err) => panics.push(err),
  });
  assert.equal(
    await pool.invoke({ name: 'E', message: 'invoked', code: 'X' }, { name: 'fail' }),
    undefined,
  );
  await pool.onIdle();
  assert.equal(panics.length, 1);
  assert.equal((panics[0] as Error).message, 'invoked');
  await pool.releaseTimeout(5000);
});
