/**
 * {@link ThreadPool}: the pool semantics of `antpool` with worker threads as workers, for
 * CPU-bound work, over shared-memory run queues with work stealing (see docs/scheduler.md).
 *
 * @example
 * ```ts
 * import { ThreadPool } from 'antpool/thread';
 *
 * // fib.js: export default function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
 * const pool = new ThreadPool<number, number>({ filename: new URL('./fib.js', import.meta.url) });
 * console.log(await pool.run(30)); // 832040, computed off the main thread
 * await pool.releaseTimeout(5000);
 * ```
 * @module antpool/thread
 */
export {
  AbortError,
  InvalidArgumentError,
  PoolClosedError,
  PoolError,
  PoolOverloadError,
  TaskTimeoutError,
  TimeoutError,
  WorkerExitedError,
} from '../errors.js';
export type { Logger, PoolOptions } from '../options.js';
export { ThreadPool, type ThreadPoolOptions, type ThreadTaskOptions } from './thread-pool.js';
