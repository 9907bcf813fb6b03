import type { PoolStats } from '../internal/stats.js';
import { RUN, SUBMIT } from '../internal/task.js';
import { checkMilliseconds, checkSize } from '../internal/validate.js';
import { checkJobData } from './json-data.js';
import {
  type QueuePoolOptions,
  type QueueRunOptions,
  resolveQueuePoolOptions,
  resolveRunOptions,
} from './options.js';
import { Producer, type QueueCounts } from './producer.js';

/**
 * The pool API over a BullMQ queue, for work that outgrows one machine: `run` adds a job and
 * resolves with the result a server computed (see {@link serve}), anywhere the queue is served.
 * `cap` is the queue's global concurrency; `nonblocking` and `maxBlockingTasks` refuse jobs that
 * would wait; aborting a signal removes a waiting job or cancels a running one on its server.
 *
 * Delivery is at least once, as BullMQ's: a job whose server dies while it runs is run again by
 * another, so jobs should be idempotent. `run` settles once, with the first result or the last
 * failure. Arguments and results travel as JSON, and must survive it unchanged.
 *
 * @example
 * const pool = new QueuePool<number, number>({ queue: 'fib', connection: 'redis://127.0.0.1:6379' });
 * const result = await pool.run(30); // computed by whichever server took the job
 * await pool.release();
 */
export class QueuePool<A = unknown, R = unknown> implements AsyncDisposable {
  readonly #producer: Producer;

  /**
   * Connects to Redis and sets the queue's global concurrency to `size`.
   * @throws InvalidArgumentError for a bad option (`ERR_INVALID_POOL_SIZE` for `size`).
   */
  constructor(options: QueuePoolOptions) {
    this.#producer = new Producer(resolveQueuePoolOptions(options), this);
  }

  /**
   * Adds a job and resolves with its result. Rejects `JobFailedError` when it failed for good
   * (`cause`: the remote error), `PoolOverloadError` when refused, `AbortError` on abort,
   * `TimeoutError` after `timeout`, `PoolClosedError` after `release`, and `InvalidArgumentError`
   * (`ERR_INVALID_JOB_DATA`) for data JSON cannot carry, before anything is sent.
   */
  run(arg: A, opts?: QueueRunOptions): Promise<R> {
    return this.#call(arg, RUN, opts) as Promise<R>;
  }

  /** Adds a job and resolves once it is stored in Redis; its outcome is reported nowhere. */
  submit(arg: A, opts?: QueueRunOptions): Promise<void> {
    return this.#call(arg, SUBMIT, opts) as Promise<void>;
  }

  #call(arg: A, mode: typeof RUN | typeof SUBMIT, opts: QueueRunOptions | undefined) {
    try {
      const resolved = resolveRunOptions(opts);
      checkJobData(arg, 'the job data');
      return this.#producer.call(arg, mode, resolved);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** The queue's counts, read from Redis now; other producers' jobs included. */
  counts(): Promise<QueueCounts> {
    return this.#producer.counts();
  }

  /**
   * This producer's `run` calls (SPEC §11), as it sees them: a job starts when it is stored in
   * Redis, `completed` and `failed` count the runs that settled after that (a failure for good, a
   * timeout, an abort, a release); `waitTime` is from the call to the job stored, `runTime` from
   * there to the result (under `recordTiming`). `submit` calls are not counted: their outcome is
   * reported nowhere. For the whole queue's figures, see {@link counts}.
   */
  stats(): PoolStats {
    return this.#producer.stats.snapshot();
  }

  /** Starts the figures of {@link stats} over from zero. */
  resetStats(): void {
    this.#producer.stats.reset();
  }

  /** Jobs running at once across every server: the queue's global concurrency. */
  get cap(): number {
    return this.#producer.cap;
  }

  /** True once `release()` ran. */
  get closed(): boolean {
    return this.#producer.closed;
  }

  /**
   * Sets the queue's global concurrency: a positive integer, or `Infinity` to lift the limit.
   * Jobs running above a lower cap finish; no new one starts until the count drops under it.
   */
  tune(size: number): Promise<void> {
    try {
      checkSize(size);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#producer.tune(size);
  }

  /** Resolves once no job is running, waiting or delayed in the queue (anyone's). */
  onIdle(): Promise<void> {
    return this.#producer.onIdle();
  }

  /**
   * Closes the pool and its connections. Runs in flight reject `PoolClosedError` (their jobs may
   * still run), and so do later calls. Idempotent.
   */
  release(): Promise<void> {
    return this.#producer.release();
  }

  /**
   * Waits up to `ms` for the runs in flight to settle, then releases. Rejects `TimeoutError` if
   * some did not (they reject `PoolClosedError`), or `PoolClosedError` if already released.
   */
  releaseTimeout(ms: number): Promise<void> {
    try {
      checkMilliseconds(ms, 'ms');
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#producer.releaseTimeout(ms);
  }

  /** `await using pool = new QueuePool(…)`: releases. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.#producer.release();
  }
}
