/**
 * One measured run of the thread benchmark: a single contender doing a single scenario's work
 * with a given number of threads, in a fresh process, printing one JSON line on stdout.
 * `index.ts` starts it once per (scenario, contender, round), and once per thread count where a
 * scenario compares 1 thread with 2.
 *
 * Plain JavaScript, run as `node child.mjs` with no loader (it refuses to run under one), for the
 * reasons given in `../async/child.mjs`; it imports antpool from the build in `../../dist`.
 *
 * Usage:
 *   node bench/thread/child.mjs --work burst --contender piscina --threads 2 \
 *     --tasks 100000 --warmup 1000
 * Prints the work's metrics (see `work.mjs`) plus the process' peak RSS, e.g.
 *   {"work":"burst","contender":"piscina","threads":2,"tasks":100000,"wallMs":812.4,
 *    "tasksPerSec":123091.6,"rssMb":98.2}
 * Exits 1 when a result is wrong or the contender fails.
 */
import { parseArgs } from 'node:util';
import { fail, positiveInt, refuseLoader } from '../lib/child.mjs';
import { CONTENDERS } from './contenders.mjs';
import { WORK } from './work.mjs';

refuseLoader();

const { values } = parseArgs({
  options: {
    work: { type: 'string' },
    contender: { type: 'string' },
    threads: { type: 'string' },
    tasks: { type: 'string' },
    warmup: { type: 'string' },
  },
});
const workName = values.work ?? '';
const contender = values.contender ?? '';
const threads = positiveInt(values.threads, 'threads');
const tasks = positiveInt(values.tasks, 'tasks');
const warmup = positiveInt(values.warmup, 'warmup');
const work = WORK[workName];
if (work === undefined) fail(`unknown --work ${workName}`);
const prepare = CONTENDERS[contender];
if (prepare === undefined) fail(`unknown --contender ${contender}`);

const runner = await prepare(threads);
let metrics;
try {
  metrics = await work(runner, { tasks, warmup });
} catch (err) {
  fail(`${workName}, ${contender}: ${err instanceof Error ? err.stack : err}`);
}
await runner.close();

const rssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ work: workName, contender, threads, ...metrics, rssMb })}\n`,
);
