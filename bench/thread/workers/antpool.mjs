/** antpool's `ThreadPool` task module: named exports, picked with `pool.run(arg, { name })`. */
export { add, fib, sleepFib, spin } from './tasks.mjs';

import { workerData } from 'node:worker_threads';

/** The chaos scenario's task: counts its start in the shared counters, then answers `i + 1`. */
const started = workerData instanceof SharedArrayBuffer ? new Uint8Array(workerData) : undefined;

/** @param {number} i */
export function tally(i) {
  if (started !== undefined) Atomics.add(started, i, 1);
  return i + 1;
}

/** The chaos scenario's fault: the thread dies under the task. */
export function exit() {
  process.exit(1);
}
