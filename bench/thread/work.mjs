/**
 * The timed work of each thread-benchmark scenario, run by `child.mjs` against one contender's
 * {@link Runner}. Each one warms the runner up first (untimed), checks every result, and returns
 * its metrics; it throws when a result is wrong.
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import hdr from 'hdr-histogram-js';
import { all, sum } from '../lib/child.mjs';

/** @typedef {import('./contenders.mjs').Runner} Runner */

/**
 * @typedef {object} WorkOptions
 * @property {number} tasks timed tasks
 * @property {number} warmup untimed tasks run first, the same way as the timed ones
 */

/** @typedef {(runner: Runner, options: WorkOptions) => Promise<Record<string, number>>} Work */

/** `fib(FIB_N)`: the CPU-bound task. */
const FIB_N = 25;
const FIB_VALUE = 75_025;

/** @param {string} what @param {unknown} got @param {unknown} expected */
function check(what, got, expected) {
  if (got !== expected) throw new Error(`${what}: got ${got}, expected ${expected}`);
}

/** `add({ a: i, b: 1 })` for tasks `0..n-1`, all at once; checks the sum of the results. */
const addAll = async (/** @type {Runner} */ runner, /** @type {number} */ n) => {
  const results = await all(n, (i) => runner.run('add', { a: i, b: 1 }));
  check(`sum of ${n} add results`, sum(results), (n * (n + 1)) / 2);
};

/** `fib(25)` `n` times, all at once; checks the sum of the results. */
const fibAll = async (/** @type {Runner} */ runner, /** @type {number} */ n) => {
  const results = await all(n, () => runner.run('fib', FIB_N));
  check(`sum of ${n} fib(${FIB_N}) results`, sum(results), n * FIB_VALUE);
};

/** Scenario 1: tiny tasks submitted at once (`Promise.all`); throughput. */
async function burst(/** @type {Runner} */ runner, /** @type {WorkOptions} */ { tasks, warmup }) {
  await addAll(runner, warmup);
  const start = performance.now();
  await addAll(runner, tasks);
  const wallMs = performance.now() - start;
  return { tasks, wallMs, tasksPerSec: (tasks / wallMs) * 1000 };
}

/**
 * Scenario 2: tiny tasks one at a time, each awaited before the next; the round trip of each in
 * an HDR histogram (pure JS build: no WebAssembly to initialize), recorded in nanoseconds.
 */
async function latency(/** @type {Runner} */ runner, /** @type {WorkOptions} */ { tasks, warmup }) {
  for (let i = 0; i < warmup; i++) {
    check('warm-up add', await runner.run('add', { a: i, b: 1 }), i + 1);
  }
  const histogram = hdr.build({ useWebAssembly: false, numberOfSignificantValueDigits: 3 });
  const start = performance.now();
  for (let i = 0; i < tasks; i++) {
    const sent = performance.now();
    const value = await runner.run('add', { a: i, b: 1 });
    histogram.recordValue(Math.round((performance.now() - sent) * 1e6));
    check('add', value, i + 1);
  }
  const wallMs = performance.now() - start;
  const us = (/** @type {number} */ q) => histogram.getValueAtPercentile(q) / 1000;
  return { tasks, wallMs, p50Us: us(50), p99Us: us(99) };
}

/** Scenario 3: CPU-bound tasks all at once; wall time. */
async function cpu(/** @type {Runner} */ runner, /** @type {WorkOptions} */ { tasks, warmup }) {
  await fibAll(runner, warmup);
  const start = performance.now();
  await fibAll(runner, tasks);
  const wallMs = performance.now() - start;
  return { tasks, wallMs, msPerTask: wallMs / tasks };
}

/**
 * Scenario 4: scenario 3 again, with the main thread's event-loop delay recorded throughout
 * (`monitorEventLoopDelay`, 1 ms resolution). The monitor records the gap between two ticks of
 * its timer, and its first tick records nothing, so the work starts only after 5 ms of ticks and
 * the recording stops 5 ms after it: a loop blocked all along still reports its one late tick.
 */
async function eventLoop(
  /** @type {Runner} */ runner,
  /** @type {WorkOptions} */ { tasks, warmup },
) {
  await fibAll(runner, warmup);
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  await sleep(5);
  const start = performance.now();
  await fibAll(runner, tasks);
  const wallMs = performance.now() - start;
  await sleep(5);
  delay.disable();
  const ms = (/** @type {number} */ ns) => ns / 1e6;
  return {
    tasks,
    wallMs,
    eldP50Ms: ms(delay.percentile(50)),
    eldP99Ms: ms(delay.percentile(99)),
    eldMaxMs: ms(delay.max),
  };
}

/**
 * Scenario 5's tasks per wave: 2 threads times antpool's default `localQueueSize` of 64, so a
 * whole wave fits in the threads' local queues.
 */
const WAVE = 128;
/** Scenario 5: every {@link HEAVY_EVERY}th task is heavy. */
const HEAVY_EVERY = 50;
/** Scenario 5: `spin` units of a light task (about 200 µs: CPU-bound work worth a thread). */
const LIGHT_UNITS = 10;
/** Scenario 5: a heavy task costs 100 light ones. */
const HEAVY_UNITS = 100 * LIGHT_UNITS;

/**
 * `n` `spin` tasks in waves of {@link WAVE}, each wave submitted at once and awaited before the
 * next; every {@link HEAVY_EVERY}th task is heavy. A pool that hands out a wave's tasks in turn
 * gives all of them to the same thread (they sit at even positions), so the wave's makespan
 * depends on moving queued tasks to the idle thread. Checks the sum of the results (each is its
 * units) and resolves with the number of heavy tasks.
 * @param {Runner} runner
 * @param {number} n
 */
async function spinWaves(runner, n) {
  let heavy = 0;
  for (let first = 0; first < n; first += WAVE) {
    const units = Array.from({ length: Math.min(WAVE, n - first) }, (_, i) =>
      (first + i) % HEAVY_EVERY === 0 ? HEAVY_UNITS : LIGHT_UNITS,
    );
    const results = await Promise.all(units.map((u) => runner.run('spin', u)));
    check(`sum of a wave of ${units.length} spin results`, sum(results), sum(units));
    heavy += units.filter((u) => u === HEAVY_UNITS).length;
  }
  return heavy;
}

/** Scenario 5: skewed work, 1 task in 50 costing 100x the others, in waves; makespan. */
async function skewed(/** @type {Runner} */ runner, /** @type {WorkOptions} */ { tasks, warmup }) {
  await spinWaves(runner, warmup);
  const start = performance.now();
  const heavyTasks = await spinWaves(runner, tasks);
  const wallMs = performance.now() - start;
  return { tasks, heavyTasks, wallMs };
}

/** Scenario 7: of every {@link FAULT_EVERY} tasks, one exits its thread and one is aborted. */
const FAULT_EVERY = 10_000;
const EXIT_AT = 1_234;
const ABORT_AT = 6_789;

/**
 * `n` `tally` tasks from `first`, all at once; with `faults`, the task at {@link EXIT_AT} of every
 * {@link FAULT_EVERY} exits its thread instead, and the one at {@link ABORT_AT} is aborted on the
 * next turn of the event loop. Every other task must resolve with `i + 1`, having started exactly
 * once; an exiting one must reject `WorkerExitedError`, an aborted one `AbortError` (or resolve,
 * if it ran first); a task started twice fails the run.
 * @param {Runner} runner
 * @param {number} first
 * @param {number} n
 * @param {boolean} faults
 */
async function tallyAll(runner, first, n, faults) {
  const counts = { resolved: 0, exited: 0, aborted: 0 };
  const promises = [];
  for (let i = first; i < first + n; i++) {
    const at = i % FAULT_EVERY;
    if (faults && at === EXIT_AT) {
      promises.push(
        runner
          .run('exit', i)
          .then(unexpected(i), expectError(i, 'ERR_WORKER_EXITED', counts, 'exited')),
      );
    } else if (faults && at === ABORT_AT) {
      const controller = new AbortController();
      setImmediate(() => controller.abort());
      promises.push(
        runner
          .run('tally', i, controller.signal)
          .then(
            (value) => resolved(i, value, counts),
            expectError(i, 'ERR_TASK_ABORTED', counts, 'aborted'),
          ),
      );
    } else promises.push(runner.run('tally', i).then((value) => resolved(i, value, counts)));
  }
  await Promise.all(promises);
  const started = /** @type {Uint8Array} */ (runner.started);
  for (let i = first; i < first + n; i++) {
    if (started[i] > 1) throw new Error(`task ${i} started ${started[i]} times`);
  }
  return counts;
}

/** @param {number} i */
const unexpected = (i) => () => {
  throw new Error(`task ${i} should have failed`);
};

/**
 * @param {number} i @param {string} code @param {Record<string, number>} counts
 * @param {string} key
 */
const expectError = (i, code, counts, key) => (/** @type {{ code?: string }} */ err) => {
  if (err.code !== code) throw new Error(`task ${i}: expected ${code}, got ${err.code ?? err}`);
  counts[key]++;
};

/** @param {number} i @param {unknown} value @param {Record<string, number>} counts */
function resolved(i, value, counts) {
  check(`tally ${i}`, value, i + 1);
  counts.resolved++;
}

/**
 * Scenario 7: scenario 6's million tasks with faults injected (or none: the baseline); counts,
 * throughput and peak RSS.
 */
async function chaos(/** @type {Runner} */ runner, /** @type {WorkOptions} */ { tasks, warmup }) {
  await tallyAll(runner, 0, warmup, false);
  const start = performance.now();
  const counts = await tallyAll(runner, warmup, tasks, runner.faults === true);
  const wallMs = performance.now() - start;
  return { tasks, ...counts, wallMs, tasksPerSec: (tasks / wallMs) * 1000 };
}

/**
 * Every scenario's work by the name `child.mjs` is given. Scenario 6 (`memory`) is scenario 1's
 * burst with far more tasks: what it looks at is peak RSS. @type {Record<string, Work>}
 */
/** Scenario 8: `fib(ASYNC_FIB_N)` after each task's timer. */
const ASYNC_FIB_N = 20;
const ASYNC_FIB_VALUE = 6_765;

/** `sleepFib(20)` `n` times, all at once; checks the sum of the results. */
const sleepFibAll = async (/** @type {Runner} */ runner, /** @type {number} */ n) => {
  const results = await all(n, () => runner.run('sleepFib', ASYNC_FIB_N));
  check(`sum of ${n} sleepFib(${ASYNC_FIB_N}) results`, sum(results), n * ASYNC_FIB_VALUE);
};

/**
 * Scenario 8: tasks that await a 5 ms timer (I/O, say), then compute `fib(20)`, all at once;
 * wall time. A thread that waits out each timer does ~200 tasks a second.
 */
async function asyncIo(/** @type {Runner} */ runner, /** @type {WorkOptions} */ { tasks, warmup }) {
  await sleepFibAll(runner, warmup);
  const start = performance.now();
  await sleepFibAll(runner, tasks);
  const wallMs = performance.now() - start;
  return { tasks, wallMs, msPerTask: wallMs / tasks };
}

export const WORK = {
  burst,
  latency,
  cpu,
  'event-loop': eventLoop,
  skewed,
  memory: burst,
  chaos,
  async: asyncIo,
};
