import type { TaskStats } from './stats.js';
import type { Mode, Reject, Resolve } from './task.js';

/** A task a worker held and had not started, handed back to the pool: charged to `owner`. */
export interface Returned<P> {
  owner: Worker<P>;
  payload: P;
  mode: Mode;
  resolve: Resolve | undefined;
  reject: Reject | undefined;
  signal: AbortSignal | undefined;
}

/**
 * What the pool core needs of a worker, whatever runs the task: an async loop or a thread.
 * A worker holds up to the core's `slots` tasks at once (1 for async workers); when a task
 * settles later than `start` returns, the worker tells its core with `host.done(worker)`.
 */
export interface Worker<P> {
  /** Kept by the core: the purge clock's tick when the worker last went idle. */
  idleSince: number;
  /** Kept by the core: tasks charged to it and not yet reported settled. */
  load: number;
  /** Kept by the core: it runs a preemptible task, which never shares its worker. */
  exclusive: boolean;
  /** Kept by the core: its index in the list of workers with room, or -1. */
  openAt: number;
  /** Kept by the core: the pool no longer counts it (retired, released or dead). */
  gone: boolean;
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
  /**
   * Workers that hold tasks before they start them (threads): from now on the worker starts
   * nothing more, and every task it holds unstarted is handed back, removed from its owner.
   * `closing`: the pool is being released; a worker that runs nothing may then keep its oldest
   * task and run it (ants' model: an accepted task runs).
   */
  reclaim?(closing: boolean): Returned<P>[];
  /** Exits once its started tasks end, starting no more; resolves when it has exited. */
  stop(): Promise<void> | undefined;
  /**
   * Whether a stopped worker still busy keeps the process alive: not once `releaseTimeout` ran
   * out, again once someone waits for its exit (`Symbol.asyncDispose`).
   */
  keepAlive?(on: boolean): void;
}

/** Where a worker reports back: implemented by the pool core. */
export interface WorkerHost<P> {
  /** One task charged to `worker` settled (whichever worker ran it). */
  done(worker: Worker<P>): void;
  /**
   * `worker` died or is being preempted: the core stops counting it, takes back what it held
   * unstarted with `reclaim`, and queues it again. `exited` resolves when it is really gone.
   */
  lost(worker: Worker<P>, exited: Promise<void>): void;
  /**
   * `worker` asks to be replaced between tasks (a thread's `maxTasksPerThread`,
   * `maxHeapUsedPerThread`): the core stops counting it and dismisses it as `tune` down would
   * (what it holds unstarted waits again; it exits once its started tasks end), and starts a
   * new worker when work needs one.
   */
  recycle(worker: Worker<P>): void;
  reportError(err: unknown): void;
  /** Where workers count the tasks that started and settled (SPEC §11). */
  readonly stats: TaskStats;
  /** The public pool object, as tracing names it. */
  readonly pool: object;
  readonly options: {
    readonly logger: { error(message: string, ...args: unknown[]): void };
    readonly panicHandler: ((err: unknown) => void) | undefined;
  };
}
