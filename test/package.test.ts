import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs a script in a fresh Node process from the package root, against the built package. */
function node(args: string[]): string {
  return execFileSync(process.execPath, ['--no-warnings', ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 30_000,
  });
}

test("require('antpool') works (Node >= 20.19 loads ESM from require)", () => {
  const out = node([
    '-e',
    `const { Pool, PoolWithFunc, defaultPool, PoolError } = require('antpool');
     const pool = new Pool(2);
     pool.run(() => 21 * 2).then((v) => { console.log(v, typeof PoolWithFunc, defaultPool.cap, typeof PoolError); pool.release(); });`,
  ]);
  assert.equal(out.trim(), '42 function Infinity function');
});

test('import antpool loads neither worker_threads nor net, and starts no timer', () => {
  const out = node([
    '--input-type=module',
    '-e',
    `import * as antpool from 'antpool';
     const loaded = process.moduleLoadList.filter((m) => /worker_threads|NativeModule net$/.test(m));
     console.log(JSON.stringify({ loaded, resources: process.getActiveResourcesInfo(), exports: Object.keys(antpool).length }));`,
  ]);
  const { loaded, resources, exports } = JSON.parse(out) as {
    loaded: string[];
    resources: string[];
    exports: number;
  };
  assert.deepEqual(loaded, []);
  assert.ok(!resources.includes('Timeout'), `active resources: ${resources.join(', ')}`);
  assert.ok(exports > 10);
});

test('an idle or forgotten pool never keeps the process alive', () => {
  const out = node([
    '--input-type=module',
    '-e',
    `import { Pool, MultiPool, submit } from 'antpool';
     const pool = new Pool(4, { expiryDuration: 60_000 });
     await pool.run(async () => 1);
     await pool.submit(() => {});
     const multi = new MultiPool(2, 2, 'round-robin');
     await multi.run(() => 1);
     await submit(() => {});
     console.log('idle workers', pool.running);`,
  ]);
  assert.equal(out.trim(), 'idle workers 1');
});

test("import 'antpool/net' gives the engine, its actions, codecs and errors", () => {
  const out = node([
    '--input-type=module',
    '-e',
    `const net = await import('antpool/net');
     console.log(typeof net.start, typeof net.run, net.Action.Shutdown, typeof net.LineBasedFrameCodec,
       new net.ConnClosedError() instanceof net.PoolError);`,
  ]);
  assert.equal(out.trim(), 'function function 2 function true');
});

test("import 'antpool/bullmq' gives QueuePool, serve and the errors; require works too", () => {
  const esm = node([
    '--input-type=module',
    '-e',
    `const q = await import('antpool/bullmq');
     console.log(typeof q.QueuePool, typeof q.serve, new q.JobFailedError('1', new Error('x')) instanceof q.PoolError,
       new q.JobFailedError('1', new Error('x')).code);`,
  ]);
  assert.equal(esm.trim(), 'function function true ERR_JOB_FAILED');
  const cjs = node(['-e', `const q = require('antpool/bullmq'); console.log(typeof q.QueuePool);`]);
  assert.equal(cjs.trim(), 'function');
});
