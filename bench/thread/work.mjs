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

/** Every scenario's work by the name `child.mjs` is given. @type {Record<string, Work>} */
export const WORK = { burst, latency, cpu, 'event-loop': eventLoop };
