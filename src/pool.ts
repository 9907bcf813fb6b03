import { AsyncWorker } from './internal/async-worker.js';
import { PoolBase, type TaskOptions } from './internal/pool-base.js';
import { RUN, SUBMIT } from './internal/task.js';
import { describe } from './internal/validate.js';
import type { PoolOptions } from './options.js';

/** A task for {@link Pool}: receives an `AbortSignal`, may return a value or a promise. */
export type Task<T = unknown> = (signal: AbortSignal) => T | PromiseLike<T>;

/** How a {@link Pool} worker runs its payload. */
export const callTask = (task: Task, signal: AbortSignal): unknown => task(signal);

/** Rejects, as every promise-returning entry point does for bad input. */
export function notAFunction(task: unknown): Promise<never> {
  return Promise.reject(new TypeError(`Expected \`task\` to be a function, got ${describe(task)}`));
}

/**
 * ants' `Pool`: at most `size` tasks run at once on recycled async workers; the rest wait in
 * FIFO order, or are rejected when the pool is `nonblocking` or `maxBlockingTasks` is reached.
 *
 * @example
 * const pool = new Pool(10);
 * const answer = await pool.run(async () => 42);
 */
export class Pool extends PoolBase<Task> {
  /**
   * @param size most tasks running at once: a positive integer, or `Infinity`.
   * @throws InvalidArgumentError for a bad size or option.
   */
  constructor(size: number, options?: PoolOptions) {
    super({ size, options, newWorker: (host) => new AsyncWorker(host, callTask) });
  }

  /**
   * Resolves as soon as a worker has accepted `task` (ants' blocking `Submit`). The task's error
   * goes to `panicHandler` or the logger.
   */
  submit(task: (signal: AbortSignal) => unknown, opts?: TaskOptions): Promise<void> {
    if (typeof task !== 'function') return notAFunction(task);
    return this.add(task, SUBMIT, opts) as Promise<void>;
  }

  /** Resolves with the task's result once it has run; rejects with its error. */
  run<T>(task: Task<T>, opts?: TaskOptions): Promise<Awaited<T>> {
    if (typeof task !== 'function') return notAFunction(task);
    return this.add(task, RUN, opts) as Promise<Awaited<T>>;
  }
}
