/**
 * One measured run of the async benchmark: a single contender doing a single scenario, in a
 * fresh process, printing one JSON line on stdout. `index.ts` starts it once per
 * (scenario, contender, round).
 *
 * Why plain JavaScript: the orchestrator runs under tsx, but a TypeScript loader inside the
 * measured process adds its own heap, compile cache and module hooks to peak RSS and timing.
 * So this file runs as `node child.mjs` with no loader (it refuses to run under one), and
 * imports antpool from the build in `../../dist` (`npm run bench:async` builds first).
 *
 * Usage:
 *   node --max-old-space-size=4096 bench/async/child.mjs \
 *     --scenario 1 --contender antpool --tasks 1000000 --concurrency 1000
 * Prints:
 *   {"scenario":"1","contender":"antpool","tasks":1000000,"wallMs":512.3,"rssMb":201.4}
 *
 * `wallMs` is `performance.now()` around the work only (imports and pool construction are
 * before it, the result check after). `rssMb` is `process.resourceUsage().maxRSS`, the peak for
 * the whole process. Exits 1 when the check fails: the sum of the returned values (scenario 1)
 * or the count of completed tasks (scenarios 2 and 3) must equal the expected value.
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { all, fail, positiveInt, refuseLoader, sum } from '../lib/child.mjs';

/**
 * Timed work: starts `n` tasks and resolves once all are done, with what the scenario checks.
 * @typedef {(n: number) => Promise<unknown>} Work
 */

/**
 * Untimed setup for one contender: imports its library and builds its limiter.
 * @typedef {(concurrency: number) => Promise<{ work: Work, close?: () => void }>} Prepare
 */

/**
 * @typedef {object} ScenarioCode
 * @property {(n: number) => number} expected the check value a correct run produces
 * @property {(result: unknown) => number} check the check value of this run, from `work`'s result
 * @property {Record<string, Prepare>} contenders
 */

/** Tasks completed so far, for the scenarios that check a counter. */
let done = 0;

/** Scenario 1's task: `async () => { await Promise.resolve(); return i }`. */
const valueTask = (i) => async () => {
  await Promise.resolve();
  return i;
};

/** Scenario 2's task: scenario 1's, also counting itself done. */
const countedTask = (i) => async () => {
  await Promise.resolve();
  done++;
  return i;
};

/** Scenario 3's task: waits for a 1 ms timer, then counts itself done. */
const timerTask = async () => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  done++;
};

const antpool = () => import('../../dist/index.js');

/**
 * ants' style: `await pool.submit(task)` for every task, then wait until the pool is idle.
 * @param {(i: number) => () => Promise<unknown>} taskAt
 * @returns {Prepare}
 */
const antpoolSubmitLoop = (taskAt) => async (concurrency) => {
  const { Pool } = await antpool();
  const pool = new Pool(concurrency);
  const work = async (n) => {
    for (let i = 0; i < n; i++) await pool.submit(taskAt(i));
    await pool.onIdle();
  };
  return { work, close: () => pool.release() };
};

/** @type {Record<string, ScenarioCode>} */
const SCENARIOS = {
  1: {
    expected: (n) => (n * (n - 1)) / 2,
    check: sum,
    contenders: {
      antpool: async (concurrency) => {
        const { Pool } = await antpool();
        const pool = new Pool(concurrency);
        return { work: (n) => all(n, (i) => pool.run(valueTask(i))), close: () => pool.release() };
      },
      'p-limit': async (concurrency) => {
        const { default: pLimit } = await import('p-limit');
        const limit = pLimit(concurrency);
        return { work: (n) => all(n, (i) => limit(valueTask(i))) };
      },
      'p-queue': async (concurrency) => {
        const { default: PQueue } = await import('p-queue');
        const queue = new PQueue({ concurrency });
        return { work: (n) => all(n, (i) => queue.add(valueTask(i))) };
      },
      fastq: async (concurrency) => {
        const { default: fastq } = await import('fastq');
        const queue = fastq.promise((task) => task(), concurrency);
        return { work: (n) => all(n, (i) => queue.push(valueTask(i))) };
      },
      naive: async () => ({ work: (n) => all(n, (i) => valueTask(i)()) }),
    },
  },
  2: {
    expected: (n) => n,
    check: () => done,
    contenders: {
      antpool: antpoolSubmitLoop(countedTask),
      naive: async () => ({ work: (n) => all(n, (i) => countedTask(i)()) }),
    },
  },
  3: {
    expected: (n) => n,
    check: () => done,
    contenders: {
      antpool: antpoolSubmitLoop(() => timerTask),
      'p-limit': async (concurrency) => {
        const { default: pLimit } = await import('p-limit');
        const limit = pLimit(concurrency);
        return { work: (n) => all(n, () => limit(timerTask)) };
      },
      naive: async () => ({ work: (n) => all(n, () => timerTask()) }),
    },
  },
};

refuseLoader();

const { values } = parseArgs({
  options: {
    scenario: { type: 'string' },
    contender: { type: 'string' },
    tasks: { type: 'string' },
    concurrency: { type: 'string' },
  },
});
const scenarioId = values.scenario ?? '';
const contender = values.contender ?? '';
const tasks = positiveInt(values.tasks, 'tasks');
const concurrency = positiveInt(values.concurrency, 'concurrency');
const scenario = SCENARIOS[scenarioId];
if (scenario === undefined) fail(`unknown --scenario ${scenarioId}`);
const prepare = scenario.contenders[contender];
if (prepare === undefined) fail(`scenario ${scenarioId} has no contender ${contender}`);

const { work, close } = await prepare(concurrency);
const start = performance.now();
const result = await work(tasks);
const wallMs = performance.now() - start;
close?.();

const got = scenario.check(result);
const expected = scenario.expected(tasks);
if (got !== expected) fail(`scenario ${scenarioId}, ${contender}: check ${got} !== ${expected}`);

const rssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(
  `${JSON.stringify({ scenario: scenarioId, contender, tasks, wallMs, rssMb })}\n`,
);
