import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as antpool from '../src/index.js';
import { deferred } from './helpers.js';

test('the default pool is unlimited and serves the module functions', async () => {
  assert.equal(antpool.cap(), Number.POSITIVE_INFINITY);
  assert.equal(antpool.free(), Number.POSITIVE_INFINITY);
  assert.equal(antpool.running(), 0, 'creating it at import starts no worker');
  const gate = deferred();
  let done = 0;
  for (let i = 0; i < 1000; i++) {
    await antpool.submit(async () => {
      await gate.promise;
      done++;
    });
  }
  assert.equal(antpool.running(), 1000);
  gate.resolve();
  await antpool.defaultPool.onIdle();
  assert.equal(done, 1000);
  assert.equal(await antpool.run(() => 'ran'), 'ran');
});

test('release, releaseTimeout and reboot act on the default pool', async () => {
  await antpool.releaseTimeout(1000);
  assert.equal(antpool.defaultPool.closed, true);
  await assert.rejects(
    antpool.run(() => 1),
    antpool.PoolClosedError,
  );
  antpool.reboot();
  assert.equal(await antpool.run(() => 2), 2);
  antpool.release();
  antpool.reboot();
});
