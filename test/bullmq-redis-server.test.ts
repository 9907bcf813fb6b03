import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasRedis, INSTALL_REDIS, queueTest, startRedis } from './bullmq-helpers.js';

// The one line `npm test` prints on a machine without redis-server; the other bullmq-* files
// then register nothing. Under CI, hasRedis() throws instead, and every queue test file fails.
if (!hasRedis()) test('antpool/bullmq queue tests', { skip: INSTALL_REDIS }, () => {});

queueTest('the queue tests run against a redis-server of their own, stopped after', async (t) => {
  const redis = await startRedis(t);
  const { Redis } = await import('ioredis');
  const client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  assert.equal(await client.ping(), 'PONG');
  const info = await client.info('server');
  assert.match(info, new RegExp(`tcp_port:${redis.port}`));
  client.disconnect();
  await redis.stop();
  const after = new Redis(redis.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  after.on('error', () => {});
  await assert.rejects(after.ping());
  after.disconnect();
});
