import type { Mode, Reject, Resolve } from './task.js';

/**
 * What the pool core needs of a worker, whatever runs the task: an async loop or a thread.
 * A worker runs one task at a time; when a task settles later than `start` returns, the worker
 * tells its core with `core.done(worker)`.
 */
export interface Worker<P> {
  /** The purge clock's tick when the worker last went idle. Kept by the core. */
  idleSince: number;
  /**
   * Runs `payload`. For `RUN` the worker settles `resolve`/`reject` with the outcome; for `SUBMIT`
   * it reports a failure to the core. Returns true when the task already settled, so the core can
   * hand over the next task in a loop instead of recursing.
   */
  start(
    payload: P,
    mode: Mode,
    resolve: Resolve | undefined,
    reject: Reject | undefined,
    signal: AbortSignal | undefined,
  ): boolean;
  /** Exits. Called only on an idle worker, once. */
  stop(): void;
}

/** Where a worker reports back: implemented by the pool core. */
export interface WorkerHost<P> {
  done(worker: Worker<P>): void;
  reportError(err: unknown): void;
}
