/**
 * The "new Worker per task" baseline: a thread started for one task, given as `workerData`
 * `{ name, arg }`; it posts the result and exits (nothing keeps it alive).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { add, fib, spin } from './tasks.mjs';

/** @type {Record<string, (arg: never) => number>} */
const TASKS = { add, fib, spin };

const { name, arg } = workerData;
parentPort?.postMessage(TASKS[name](arg));
