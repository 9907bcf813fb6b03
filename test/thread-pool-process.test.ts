import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs an ESM snippet in a fresh Node process against the built package. */
function runModule(source: string, options: string[] = []): string {
  const args = [...options, '--no-warnings', '--input-type=module', '-e', source];
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 30_000 });
}

test('an idle ThreadPool does not keep the process alive; --input-type is not passed on', () => {
  const out = runModule(`
    import { ThreadPool } from 'antpool/thread';
    const pool = new ThreadPool({ filename: 'test/fixtures/add.mjs', size: 2, expiryDuration: 60_000 });
    console.log(await pool.run({ a: 1, b: 2 }), pool.running);
  `);
  assert.equal(out.trim(), '3 1');
});

test("threads inherit the process' options, V8 flags included", () => {
  const flags = ['--max-old-space-size=256', '--stack-size=900'];
  const esm = `
    import { ThreadPool } from 'antpool/thread';
    const pool = new ThreadPool({ filename: 'test/fixtures/add.mjs', size: 1 });
    console.log(await pool.run({ a: 1, b: 2 }));
  `;
  assert.equal(runModule(esm, flags).trim(), '3'); // --input-type given: the entry is code
  const commonJs = `import('antpool/thread').then(async ({ ThreadPool }) => {
    const pool = new ThreadPool({ filename: 'test/fixtures/add.mjs', size: 1 });
    console.log(await pool.run({ a: 1, b: 2 }));
  })`;
  const args = [...flags, '-e', commonJs];
  const out = execFileSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(out.trim(), '3'); // no --input-type: the entry is the file
});

test('releaseTimeout leaves no thread behind', () => {
  const out = runModule(`
    import { ThreadPool } from 'antpool/thread';
    const pool = new ThreadPool({ filename: 'test/fixtures/add.mjs', size: 2, preAlloc: true });
    await pool.run({ a: 1, b: 2 });
    await pool.releaseTimeout(5000);
    const threads = process.getActiveResourcesInfo().filter((name) => /Worker|MessagePort/.test(name));
    console.log(pool.running, JSON.stringify(threads));
  `);
  assert.equal(out.trim(), '0 []');
});

test('a running thread task keeps the process alive until it is done', () => {
  const out = runModule(`
    import { ThreadPool } from 'antpool/thread';
    const pool = new ThreadPool({ filename: 'test/fixtures/behaviours.mjs', size: 1 });
    pool.run(200, { name: 'wait' }).then((ms) => console.log('done after', ms));
  `);
  assert.equal(out.trim(), 'done after 200');
});
