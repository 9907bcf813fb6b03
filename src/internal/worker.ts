import type { Mode, Reject, Resolve } from './task.js';

/**
 * What the pool core needs of a worker, whatever runs the task: an async loop or a thread.
 * A worker holds up to the core's `slots` tasks at once (1 for async workers); when a task
 * settles later than `start` returns, the worker tells its core with `host.done(worker)`.
 */
export interface Worker<P> {
  /** Kept by the core: the purge clock's tick when the worker last went idle. */
  idleSince: number;
  /** Kept by the core: tasks started and not yet reported settled. */
  load: number;
  /** Kept by the core: it runs a preemptible task, which never shares its worker. */
  exclusive: boolean;
  /** Kept by the core: its index in the list of workers with room, or -1. */
  openAt: number;
  /**
   * Runs `payload`. For `RUN` the worker settles `resolve`/`reject` with the outcome; for `SUBMIT`
   * it reports a failure to the host. Returns true when the task already settled (then it does not
   * call `done`), so the core hands over the next task in a loop instead of recursing.
   */
  start(
    payload: P,
    mode: Mode,
    resolve: Resolve | undefined,
    reject: Reject | undefined,
    signal: AbortSignal | undefined,
  ): boolean;
  /** The pool closed: tasks accepted but not started are dropped (`RUN` ones reject). */
  release?(): void;
  /** Exits. Called only on a worker with no task, once; resolves when it has exited. */
  stop(): Promise<void> | undefined;
}

/** Where a worker reports back: implemented by the pool core. */
export interface WorkerHost<P> {
  /** One task of `worker` settled. */
  done(worker: Worker<P>): void;
  /**
   * `worker` died or was preempted: the core stops counting it. Its tasks are settled or handed
   * back with `requeue` after this call. `exited` resolves when it is really gone.
   */
  lost(worker: Worker<P>, exited: Promise<void>): void;
  /** Puts a task a dead worker had accepted but not started back in the queue. */
  requeue(payload: P, mode: Mode, resolve: Resolve, reject: Reject): void;
  reportError(err: unknown): void;
  readonly options: { readonly logger: { error(message: string, ...args: unknown[]): void } };
}
