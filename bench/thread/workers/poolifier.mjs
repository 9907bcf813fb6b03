/** poolifier's worker: a `ThreadWorker` of named task functions, `pool.execute(arg, name)`. */
import { ThreadWorker } from 'poolifier';
import { add, fib, spin } from './tasks.mjs';

export default new ThreadWorker({ add, fib, spin });
