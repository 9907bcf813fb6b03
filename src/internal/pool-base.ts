import { type CoreConfig, PoolCore, type TaskOptions } from './pool-core.js';
import type { PoolStats } from './stats.js';
import type { Mode } from './task.js';

export type { TaskOptions };

/**
 * The public face shared by every single pool: statistics and lifecycle over one {@link PoolCore}.
 * Variants add only their way of offering a task.
 */
export abstract class PoolBase<P> implements AsyncDisposable {
  readonly #core: PoolCore<P>;

  protected constructor(config: Omit<CoreConfig<P>, 'pool'>) {
    this.#core = new PoolCore({ ...config, pool: this });
  }

  protected add(payload: P, mode: Mode, opts: TaskOptions | undefined): Promise<unknown> {
    return this.#core.offer(payload, mode, opts);
  }

  /** Live workers: busy plus idle ones not yet purged (ants' `Running()`). */
  get running(): number {
    return this.#core.running;
  }
  /** `cap - running`, never below 0; `Infinity` for an unlimited pool (ants' `Free()`). */
  get free(): number {
    return this.#core.free;
  }
  /** Callers whose task waits for a worker (ants' `Waiting()`). */
  get waiting(): number {
    return this.#core.waiting;
  }
  /** Capacity: most tasks running at once; `Infinity` when unlimited (ants' `Cap()`). */
  get cap(): number {
    return this.#core.cap;
  }
  /** True once `release()` ran, until `reboot()`. */
  get closed(): boolean {
    return this.#core.closed;
  }

  /**
   * Sets the capacity to `size`, a positive integer. Growing starts waiting tasks at once;
   * shrinking retires idle workers now and busy ones as their task ends.
   * @throws InvalidArgumentError `ERR_INVALID_POOL_SIZE` for a bad size or an unlimited pool.
   */
  tune(size: number): void {
    this.#core.tune(size);
  }

  /**
   * What the tasks did since the pool was built or since {@link resetStats}: `completed` and
   * `failed` counts, and wait and run time histograms in ms (filled under `recordTiming: true`).
   * A snapshot: later tasks do not change it.
   */
  stats(): PoolStats {
    return this.#core.stats.snapshot();
  }

  /** Starts the figures of {@link stats} over from zero. */
  resetStats(): void {
    this.#core.stats.reset();
  }

  /** Resolves when no task runs and none waits. */
  onIdle(): Promise<void> {
    return this.#core.onIdle();
  }

  /**
   * Closes the pool now: idle workers exit, running tasks finish, waiting callers reject with
   * `PoolClosedError`, and so do later calls. Idempotent.
   */
  release(): void {
    this.#core.release();
  }

  /**
   * Releases the pool, then resolves once every worker has exited. Rejects `TimeoutError` after
   * `ms`, or `PoolClosedError` if the pool was already closed.
   */
  releaseTimeout(ms: number): Promise<void> {
    return this.#core.releaseTimeout(ms);
  }

  /** Opens a released pool again; it then works as new. Does nothing on an open pool. */
  reboot(): void {
    this.#core.reboot();
  }

  /** `await using pool = new Pool(n)`: releases and waits for every worker to exit. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#core.dispose();
  }
}
