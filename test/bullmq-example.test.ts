import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { queueTest, startRedis } from './bullmq-helpers.js';

const root = fileURLToPath(new URL('..', import.meta.url));

queueTest('the docs/bullmq.md example is examples/bullmq/quick-start.ts, and runs', async (t) => {
  const guide = readFileSync(new URL('../docs/bullmq.md', import.meta.url), 'utf8');
  const source = readFileSync(
    new URL('../examples/bullmq/quick-start.ts', import.meta.url),
    'utf8',
  );
  assert.ok(
    guide.includes(`\`\`\`ts\n${source}\`\`\``),
    'docs/bullmq.md shows examples/bullmq/quick-start.ts',
  );
  const redis = await startRedis(t);
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'examples/bullmq/quick-start.ts'],
    {
      cwd: root,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, REDIS_URL: redis.url },
    },
  );
  assert.equal(stdout.trim(), '75025, 121393, 196418');
});
