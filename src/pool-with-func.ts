import { AsyncWorker } from './internal/async-worker.js';
import { PoolBase, type TaskOptions } from './internal/pool-base.js';
import { RUN, SUBMIT } from './internal/task.js';
import { checkFunction } from './internal/validate.js';
import type { PoolOptions } from './options.js';

/** The function a {@link PoolWithFunc} calls for every argument. */
export type PoolFunc<A, R> = (arg: A, signal: AbortSignal) => R | PromiseLike<R>;

/**
 * ants' `PoolWithFunc`: one function, many arguments. Any argument is valid, `undefined` included.
 *
 * @example
 * const pool = new PoolWithFunc(10, (n: number) => n * 2);
 * await pool.run(21); // 42
 */
export class PoolWithFunc<A, R> extends PoolBase<A> {
  /**
   * @throws InvalidArgumentError `ERR_LACK_POOL_FUNC` without a function; others for bad options.
   */
  constructor(size: number, fn: PoolFunc<A, R>, options?: PoolOptions) {
    const func = checkFunction<PoolFunc<A, R>>(fn, 'fn', 'ERR_LACK_POOL_FUNC');
    super({ size, options, newWorker: (host) => new AsyncWorker(host, func) });
  }

  /** Resolves as soon as a worker has accepted `arg` (ants' `Invoke`). */
  invoke(arg: A, opts?: TaskOptions): Promise<void> {
    return this.add(arg, SUBMIT, opts) as Promise<void>;
  }

  /** Resolves with `fn(arg)` once it has run; rejects with its error. */
  run(arg: A, opts?: TaskOptions): Promise<Awaited<R>> {
    return this.add(arg, RUN, opts) as Promise<Awaited<R>>;
  }
}
