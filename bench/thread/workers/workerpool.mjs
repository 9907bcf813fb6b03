/** workerpool's worker script: registers its methods, called with `pool.exec(name, [arg])`. */
import workerpool from 'workerpool';
import { add, fib, spin } from './tasks.mjs';

workerpool.worker({ add, fib, spin });
