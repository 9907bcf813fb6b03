/**
 * `npm run stress`: the property tests at length, with one seed.
 *   - test/thread-pool-model.test.ts: `--count` ThreadPool sequences on real threads (5000);
 *   - test/pool-property.test.ts: `--async-count` async pool sequences (20000).
 * `--seed <int>` replays a run (default: random, printed). Progress goes to stderr; the exit code
 * is non-zero when either test fails. Not part of `npm test`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const usage =
  'usage: npm run stress -- [--seed <int>] [--count <sequences>] [--async-count <sequences>]';

function integer(name: string, text: string, min: number): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isSafeInteger(value) || value < min) {
    console.error(`--${name} must be an integer >= ${min}, got ${JSON.stringify(text)}\n${usage}`);
    process.exit(2);
  }
  return value;
}

let values: { seed?: string; count: string; 'async-count': string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: {
      seed: { type: 'string' },
      count: { type: 'string', default: '5000' },
      'async-count': { type: 'string', default: '20000' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (err) {
  console.error(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}
if (values.help) {
  console.log(usage);
  process.exit(0);
}

// fast-check seeds are 32-bit integers.
const seed =
  values.seed === undefined
    ? (Math.random() * 2 ** 31) | 0
    : integer('seed', values.seed, -(2 ** 31)) | 0;
const threadCount = integer('count', values.count, 1);
const asyncCount = integer('async-count', values['async-count'], 1);

const root = fileURLToPath(new URL('..', import.meta.url));

interface Part {
  name: string;
  file: string;
  env: Record<string, string>;
}

const parts: Part[] = [
  {
    name: `ThreadPool model, ${threadCount} sequences`,
    file: 'test/thread-pool-model.test.ts',
    env: { ANTPOOL_MODEL_RUNS: String(threadCount) },
  },
  {
    name: `async pools' property, ${asyncCount} sequences`,
    file: 'test/pool-property.test.ts',
    env: { ANTPOOL_PROPERTY_RUNS: String(asyncCount) },
  },
];

// The test file runs in this child, without node --test's own process per file, so its
// progress lines reach the terminal as they come.
function run(part: Part): Promise<boolean> {
  const args = ['--import', 'tsx', '--test-reporter=spec', part.file];
  const env = { ...process.env, ...part.env, ANTPOOL_SEED: String(seed), ANTPOOL_PROGRESS: '1' };
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: 'inherit' });
  return new Promise((resolve) => child.on('close', (code) => resolve(code === 0)));
}

console.log(`stress: seed ${seed} (replay: npm run stress -- --seed ${seed})`);
const results: string[] = [];
let failed = false;
for (const part of parts) {
  console.log(`\n== ${part.name}`);
  const started = Date.now();
  const ok = await run(part);
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  results.push(`${ok ? 'pass' : 'FAIL'}  ${part.name}, ${minutes} min`);
  failed ||= !ok;
}
console.log(`\nstress, seed ${seed}:\n  ${results.join('\n  ')}`);
process.exitCode = failed ? 1 : 0;
