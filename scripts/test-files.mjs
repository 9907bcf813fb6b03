// Prints the test files `npm test` runs: every test/*.test.ts, except the antpool/bullmq queue
// tests on a machine without redis-server. Those are left out whole, so that the run says so in
// one line (test/bullmq-redis-server.test.ts prints it) instead of listing empty files. Under CI
// every file stays in, and the queue tests fail without redis-server (test/bullmq-helpers.ts).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const ci = process.env.CI;
const underCi = ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
const redis = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
// These two need no Redis: the one that prints the skip line, and the missing-peer test.
const noRedis = new Set(['bullmq-redis-server.test.ts', 'bullmq-peer.test.ts']);
const files = readdirSync(new URL('../test/', import.meta.url))
  .filter((name) => name.endsWith('.test.ts'))
  .filter((name) => redis || underCi || !name.startsWith('bullmq-') || noRedis.has(name))
  .sort()
  .map((name) => `test/${name}`);
console.log(files.join(' '));
