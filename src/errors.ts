/**
 * Every error antpool raises on purpose is a {@link PoolError} with a stable `code`.
 * Each is constructed fresh at the throw site, so its stack points at the caller.
 *
 * @example
 * ```ts
 * import { Pool, PoolError } from 'antpool';
 *
 * const pool = new Pool(1, { nonblocking: true });
 * try {
 *   await Promise.all([pool.run(() => 1), pool.run(() => 2)]);
 * } catch (err) {
 *   if (err instanceof PoolError) console.log(err.code); // ERR_POOL_OVERLOAD
 * }
 * ```
 */
export class PoolError extends Error {
  /** A stable, machine-readable code such as `ERR_POOL_CLOSED`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** Returned when a task is given to a closed pool, or a waiting caller's pool is released. */
export class PoolClosedError extends PoolError {
  constructor(message = 'the pool has been closed') {
    super('ERR_POOL_CLOSED', message);
  }
}

/** Returned when the pool is `nonblocking` and full, or `maxBlockingTasks` callers already wait. */
export class PoolOverloadError extends PoolError {
  constructor(message = 'too many tasks are waiting for a worker') {
    super('ERR_POOL_OVERLOAD', message);
  }
}

/** Returned when `releaseTimeout(ms)` runs out of time before every worker exited. */
export class TimeoutError extends PoolError {
  constructor(message = 'the operation timed out') {
    super('ERR_TIMEOUT', message);
  }
}

/** Thrown for an argument or option out of range; `code` tells which rule it broke. */
export class InvalidArgumentError extends PoolError {}

/** Returned when a task's `signal` aborts before or while it runs; `cause` is the signal's reason. */
export class AbortError extends PoolError {
  constructor(reason: unknown) {
    super('ERR_TASK_ABORTED', 'the task was aborted', { cause: reason });
  }
}

/** Returned when a thread task runs longer than `taskTimeout` and is preempted. */
export class TaskTimeoutError extends PoolError {
  constructor(ms: number) {
    super('ERR_TASK_TIMEOUT', `the task ran longer than taskTimeout (${ms} ms)`);
  }
}

/** Returned when a worker thread dies (exit, crash, out of memory) while it runs the task. */
export class WorkerExitedError extends PoolError {
  constructor(message = 'the worker thread exited while running the task', options?: ErrorOptions) {
    super('ERR_WORKER_EXITED', message, options);
  }
}

/**
 * Returned by `antpool/bullmq` when a job failed for good (its last attempt failed, it stalled
 * too often, or it left the queue unfinished). `cause` is the remote error, with its `name`,
 * `message`, `stack` and `code`.
 */
export class JobFailedError extends PoolError {
  /** The BullMQ id of the job. */
  readonly jobId: string;

  constructor(jobId: string, cause: Error) {
    super('ERR_JOB_FAILED', `job ${jobId} failed: ${cause.message}`, { cause });
    this.jobId = jobId;
  }
}
