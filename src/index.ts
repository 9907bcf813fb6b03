/**
 * Go's `ants` pool for async work: {@link Pool}, {@link PoolWithFunc}, {@link MultiPool},
 * {@link MultiPoolWithFunc} and a default pool ({@link submit}, {@link run}), with bounded
 * concurrency, purge of idle workers, `tune`, blocking or nonblocking overload, and release.
 *
 * @example
 * ```ts
 * import { Pool } from 'antpool';
 *
 * const pool = new Pool(4); // at most 4 tasks at once
 * const pages = await Promise.all([1, 2, 3].map((n) => pool.run(async () => `page ${n}`)));
 * await pool.releaseTimeout(1000);
 * ```
 * @module antpool
 */
export {
  cap,
  defaultPool,
  free,
  reboot,
  release,
  releaseTimeout,
  run,
  running,
  submit,
} from './default-pool.js';
export {
  AbortError,
  InvalidArgumentError,
  PoolClosedError,
  PoolError,
  PoolOverloadError,
  TaskTimeoutError,
  TimeoutError,
  WorkerExitedError,
} from './errors.js';
export type { TaskOptions } from './internal/pool-base.js';
export { LoadBalancingStrategy, MultiPool, MultiPoolWithFunc } from './multi-pool.js';
export type { Logger, PoolOptions } from './options.js';
export { Pool, type Task } from './pool.js';
export { type PoolFunc, PoolWithFunc } from './pool-with-func.js';
