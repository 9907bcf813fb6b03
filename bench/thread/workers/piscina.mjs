/** piscina's task module: named exports, picked with `pool.run(arg, { name })`. */
export { add, fib, sleepFib, spin } from './tasks.mjs';
