/**
 * The "bare threads" ceiling: a plain thread given a whole batch of tasks in one message, as
 * `[name, arg][]`; it answers with every result in one message. No pool, no per-task traffic.
 */
import { parentPort } from 'node:worker_threads';
import { add, fib, spin } from './tasks.mjs';

/** @type {Record<string, (arg: never) => number>} */
const TASKS = { add, fib, spin };

parentPort?.on('message', (/** @type {[string, never][]} */ batch) => {
  parentPort?.postMessage(batch.map(([name, arg]) => TASKS[name](arg)));
});
