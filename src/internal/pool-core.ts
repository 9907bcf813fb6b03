import { AsyncResource } from 'node:async_hooks';
import { AbortError, PoolClosedError, PoolOverloadError } from '../errors.js';
import { type PoolOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import { withDeadline } from './deadline.js';
import { TaskStats } from './stats.js';
import {
  ACCEPTED,
  createPromise,
  last,
  type Mode,
  type Reject,
  type Resolve,
  RUN,
  SUBMIT,
} from './task.js';
import { type Slot, TaskQueue, type WaitingTask } from './task-queue.js';
import { checkMilliseconds, checkSignal, checkSize, invalid } from './validate.js';
import type { Returned, Worker, WorkerHost } from './worker.js';

/** Per-task options: an `AbortSignal` that cancels a waiting task or aborts a running one. */
export interface TaskOptions {
  /** Aborting it removes a waiting task, or rejects a running one's promise with `AbortError`. */
  signal?: AbortSignal;
}

export type WorkerFactory<P> = (host: WorkerHost<P>) => Worker<P>;

/** How a variant sets up the core. */
export interface CoreConfig<P> {
  /** The public pool object, as tracing names it. */
  pool: object;
  size: number;
  options: PoolOptions | undefined;
  newWorker: WorkerFactory<P>;
  /** Tasks one worker may hold at once: 1 for async workers, a thread's local queue for threads. */
  slots?: number;
  /**
   * Release and tune dismiss busy workers at once, taking back what they hold unstarted, instead
   * of letting them finish first (threads: a retired thread must claim nothing more).
   */
  dismissBusy?: boolean;
}

/**
 * The engine every pool shares: capacity, the idle-worker stack, the FIFO of waiting callers,
 * purge, tune, release/reboot and the statistics. Variants differ only in the worker they make
 * and how many tasks one worker may hold.
 */
export class PoolCore<P> implements WorkerHost<P> {
  readonly options: ResolvedOptions;
  readonly pool: object;
  readonly stats: TaskStats;
  readonly #timing: boolean;
  readonly #newWorker: WorkerFactory<P>;
  readonly #slots: number;
  readonly #dismissBusy: boolean;
  readonly #queue = new TaskQueue<P>();
  readonly #next: WaitingTask<P> = {
    payload: undefined,
    mode: SUBMIT,
    resolve: undefined,
    reject: undefined,
    signal: undefined,
    onAbort: undefined,
    context: undefined,
    calledAt: 0,
  };
  #cap: number;
  #running = 0;
  #inFlight = 0; // tasks charged to workers, counted or gone, and not settled
  readonly #exiting = new Set<Worker<P>>(); // stopped workers that have not exited yet
  #idle: Worker<P>[] = []; // LIFO: the warmest worker is reused first, the coldest purged first
  #open: Worker<P>[] = []; // busy workers with room for more (only when slots > 1)
  // Every counted worker, kept only when busy ones are dismissed: release() must reach them.
  readonly #members: Set<Worker<P>> | undefined;
  #closed = false;
  #tick = 0;
  #purgeTimer: NodeJS.Timeout | undefined;
  #idleWaiters: (() => void)[] = [];
  #exitWaiters: (() => void)[] = [];

  constructor({ pool, size, options, newWorker, slots = 1, dismissBusy = false }: CoreConfig<P>) {
    this.#cap = checkSize(size);
    this.options = resolveOptions(size, options);
    this.pool = pool;
    this.stats = new TaskStats(this.options.recordTiming);
    this.#timing = this.options.recordTiming;
    this.#newWorker = newWorker;
    this.#slots = slots;
    this.#dismissBusy = dismissBusy;
    if (dismissBusy) this.#members = new Set();
    if (this.options.preAlloc) {
      for (let i = 0; i < size; i++) this.#park(this.#spawn());
    }
  }

  get cap(): number {
    return this.#cap;
  }
  get running(): number {
    return this.#running;
  }
  get free(): number {
    return this.#cap === Number.POSITIVE_INFINITY
      ? Number.POSITIVE_INFINITY
      : Math.max(0, this.#cap - this.#running);
  }
  get waiting(): number {
    return this.#queue.length;
  }
  get closed(): boolean {
    return this.#closed;
  }
  /** True when a task (without a signal) offered now would be rejected with `PoolOverloadError`. */
  get overloaded(): boolean {
    return !this.#hasRoom(false) && this.#refusesWaiting();
  }

  // The one rule for "a worker can take this task now", which #acquire follows.
  #hasRoom(exclusive: boolean): boolean {
    if (this.#idle.length > 0 || this.#running < this.#cap) return true;
    return !exclusive && this.#open.length > 0 && this.#running <= this.#cap;
  }

  #refusesWaiting(): boolean {
    const max = this.options.maxBlockingTasks;
    return this.options.nonblocking || (max > 0 && this.#queue.length >= max);
  }

  /** {@link add} with the caller's task options checked; bad options reject. */
  offer(payload: P, mode: Mode, opts: TaskOptions | undefined): Promise<unknown> {
    let signal: AbortSignal | undefined;
    try {
      signal = checkSignal(opts);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.add(payload, mode, signal);
  }

  /** Offers a task. `SUBMIT` resolves on acceptance, `RUN` with the task's outcome. */
  add(payload: P, mode: Mode, signal: AbortSignal | undefined): Promise<unknown> {
    if (this.#closed) return Promise.reject(new PoolClosedError());
    if (signal?.aborted) return Promise.reject(new AbortError(signal.reason));
    const calledAt = this.#timing ? performance.now() : 0;
    const worker = this.#acquire(this.#isExclusive(signal));
    if (worker !== undefined) {
      if (mode === SUBMIT) {
        const settled = this.#assign(worker, payload, mode, undefined, undefined, signal, calledAt);
        this.#drive(worker, settled);
        return ACCEPTED;
      }
      const promise = createPromise();
      const { resolve, reject } = last;
      this.#drive(worker, this.#assign(worker, payload, mode, resolve, reject, signal, calledAt));
      return promise;
    }
    if (this.#refusesWaiting()) return Promise.reject(new PoolOverloadError());
    return this.#wait(payload, mode, signal, calledAt);
  }

  // A task that can be aborted may be preempted (a thread is terminated), so it runs alone.
  #isExclusive(signal: AbortSignal | undefined): boolean {
    return signal !== undefined && this.#slots > 1;
  }

  // A waiting task starts later, from whatever callback freed its worker (often the previous
  // task's promise reaction, in that caller's context), so it carries its caller's async context
  // with it. Only this path pays for it: a task that finds a worker starts in the caller's context.
  #wait(
    payload: P,
    mode: Mode,
    signal: AbortSignal | undefined,
    calledAt: number,
  ): Promise<unknown> {
    const promise = createPromise();
    const context = new AsyncResource('antpool.WaitingTask');
    let onAbort: (() => void) | undefined;
    if (signal !== undefined) {
      const slot = this.#queue.nextSlot();
      onAbort = () => this.#abortWaiting(slot);
      signal.addEventListener('abort', onAbort);
    }
    this.#queue.push(payload, mode, last.resolve, last.reject, signal, onAbort, context, calledAt);
    return promise;
  }

  #abortWaiting(slot: Slot): void {
    const task = this.#next;
    if (!this.#queue.cancel(slot, task)) return;
    const { signal, onAbort, reject } = task;
    signal?.removeEventListener('abort', onAbort!);
    this.#clearNext();
    reject!(new AbortError(signal?.reason));
    this.#checkIdle();
  }

  #acquire(exclusive: boolean): Worker<P> | undefined {
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    if (this.#running < this.#cap) return this.#spawn();
    if (!this.#hasRoom(exclusive)) return undefined;
    let best = this.#open[0]!;
    for (const worker of this.#open) if (worker.load < best.load) best = worker;
    return best;
  }

  #spawn(): Worker<P> {
    this.#running++;
    const worker = this.#newWorker(this);
    this.#members?.add(worker);
    return worker;
  }

  // Starts a task on a worker with room; true when it settled at once. `calledAt` is 0 when the
  // pool records no timing, and for a task given back by a worker (its wait was recorded once).
  #assign(
    worker: Worker<P>,
    payload: P,
    mode: Mode,
    resolve: Resolve | undefined,
    reject: Reject | undefined,
    signal: AbortSignal | undefined,
    calledAt: number,
  ): boolean {
    if (calledAt > 0) this.stats.waited(calledAt, performance.now());
    worker.load++;
    this.#inFlight++;
    if (this.#slots > 1) {
      worker.exclusive = this.#isExclusive(signal);
      this.#updateOpen(worker);
    }
    return worker.start(payload, mode, resolve, reject, signal);
  }

  /** A task charged to `worker` settled after `start` returned. */
  done(worker: Worker<P>): void {
    this.#drive(worker, true);
  }

  // Hands the worker waiting tasks while they settle synchronously: a loop, never a recursion.
  #drive(worker: Worker<P>, settled: boolean): void {
    while (settled) {
      worker.load--;
      this.#inFlight--;
      if (worker.gone) {
        this.#checkIdle();
        return;
      }
      settled = this.#continue(worker);
    }
  }

  // The worker has room again: give it queued work, or park or retire it.
  #continue(worker: Worker<P>): boolean {
    if (this.#closed || this.#running > this.#cap) {
      if (worker.load === 0) this.#retire(worker);
      else this.#removeOpen(worker);
      return false;
    }
    if (this.#slots === 1) {
      if (this.#take(worker)) return this.#startNext(worker);
      this.#park(worker);
      return false;
    }
    worker.exclusive = false;
    while (worker.load < this.#slots && !worker.exclusive && this.#take(worker)) {
      if (this.#startNext(worker)) {
        worker.load--;
        this.#inFlight--;
      }
    }
    if (worker.load === 0) this.#park(worker);
    else this.#updateOpen(worker);
    return false;
  }

  // Moves the next queued task the worker may run into #next.
  #take(worker: Worker<P>): boolean {
    if (worker.load > 0 && this.#queue.peekSignal() !== undefined) return false;
    return this.#queue.shift(this.#next);
  }

  // Starts #next in its caller's context: the task, its promise reactions and the panicHandler
  // call for its error all run there, never in the context of the task this worker ran before.
  #startNext(worker: Worker<P>): boolean {
    const { payload, mode, resolve, signal, onAbort, context, calledAt } = this.#next;
    let { reject } = this.#next;
    this.#clearNext();
    if (onAbort !== undefined) signal!.removeEventListener('abort', onAbort);
    if (mode === SUBMIT && resolve !== undefined) {
      resolve(); // accepted; the caller's promise is settled, so its reject is nobody's
      reject = undefined;
    }
    if (context === undefined)
      return this.#assign(worker, payload as P, mode, resolve, reject, signal, calledAt);
    return context.runInAsyncScope(
      this.#assign,
      this,
      worker,
      payload,
      mode,
      resolve,
      reject,
      signal,
      calledAt,
    );
  }

  #clearNext(): void {
    const task = this.#next;
    task.payload = task.resolve = task.reject = task.signal = task.onAbort = undefined;
    task.context = undefined;
    task.calledAt = 0;
  }

  #updateOpen(worker: Worker<P>): void {
    const hasRoom = worker.load > 0 && worker.load < this.#slots && !worker.exclusive;
    if (hasRoom && worker.openAt < 0) worker.openAt = this.#open.push(worker) - 1;
    else if (!hasRoom) this.#removeOpen(worker);
  }

  #removeOpen(worker: Worker<P>): void {
    const at = worker.openAt;
    if (at < 0) return;
    const lastWorker = this.#open.pop()!;
    if (lastWorker !== worker) {
      this.#open[at] = lastWorker;
      lastWorker.openAt = at;
    }
    worker.openAt = -1;
  }

  #park(worker: Worker<P>): void {
    this.#removeOpen(worker);
    worker.idleSince = this.#tick;
    this.#idle.push(worker);
    if (this.#purgeTimer === undefined && !this.options.disablePurge) this.#startPurge();
    this.#checkIdle();
  }

  #retire(worker: Worker<P>): void {
    this.#removeOpen(worker);
    this.#running--;
    this.#dismiss(worker);
    this.#checkIdle();
  }

  // The worker stops counting (the caller has uncounted it): it starts nothing more, exits once
  // its started tasks end, and what it held unstarted comes back to the pool in one step.
  #dismiss(worker: Worker<P>): void {
    worker.gone = true;
    this.#members?.delete(worker);
    const returned = worker.reclaim?.(this.#closed);
    this.#awaitExit(worker, worker.stop());
    if (returned !== undefined && returned.length > 0) this.#takeBack(returned);
  }

  #awaitExit(worker: Worker<P>, exited: Promise<void> | undefined): void {
    if (exited === undefined || this.#exiting.has(worker)) return;
    this.#exiting.add(worker);
    exited.then(() => {
      this.#exiting.delete(worker);
      this.#checkIdle();
    });
  }

  /**
   * Tasks a dismissed or dead worker held unstarted: no longer charged to their owners, they
   * wait again (or reject, once the pool is closed). Queued before the owners are refilled, so
   * nothing is ever between two places: onIdle cannot resolve in the middle.
   */
  #takeBack(returned: Returned<P>[]): void {
    for (const { owner, payload, mode, resolve, reject, signal } of returned) {
      owner.load--;
      this.#inFlight--;
      if (this.#closed) {
        if (mode === RUN) reject!(new PoolClosedError());
      } else this.#requeue(payload, mode, resolve, reject, signal);
    }
    for (const owner of new Set(returned.map((task) => task.owner))) {
      if (!owner.gone) this.#drive(owner, this.#continue(owner)); // it has room again
    }
    this.#serveQueue();
    this.#checkIdle();
  }

  /**
   * An accepted task waits again. A `submit` caller was answered already: its task comes back
   * with no `resolve`, and a `reject` only if its worker gave it an error reporter of its own.
   */
  #requeue(
    payload: P,
    mode: Mode,
    resolve: Resolve | undefined,
    reject: Reject | undefined,
    signal: AbortSignal | undefined,
  ): void {
    if (signal?.aborted) {
      if (mode === RUN) reject!(new AbortError(signal.reason));
      return;
    }
    let onAbort: (() => void) | undefined;
    if (signal !== undefined) {
      const slot = this.#queue.nextSlot();
      onAbort = () => this.#abortWaiting(slot);
      signal.addEventListener('abort', onAbort);
    }
    this.#queue.push(payload, mode, resolve, reject, signal, onAbort);
  }

  #checkIdle(): void {
    if (this.#inFlight === 0 && this.#queue.length === 0) flush(this.#idleWaiters);
    if (this.#running === 0 && this.#exiting.size === 0) flush(this.#exitWaiters);
  }

  /**
   * `worker` died or is being preempted: it stops counting, and what it held unstarted waits
   * again; waiting tasks get a new worker.
   */
  lost(worker: Worker<P>, exited: Promise<void>): void {
    if (!worker.gone) {
      const idleAt = this.#idle.indexOf(worker);
      if (idleAt >= 0) this.#idle.splice(idleAt, 1);
      this.#removeOpen(worker);
      this.#running--;
      worker.gone = true;
      this.#members?.delete(worker);
    }
    this.#awaitExit(worker, exited);
    const returned = worker.reclaim?.(this.#closed) ?? [];
    if (returned.length > 0) this.#takeBack(returned);
    this.#serveQueue();
    this.#checkIdle();
  }

  /** `worker` is to be replaced between tasks: see {@link WorkerHost.recycle}. */
  recycle(worker: Worker<P>): void {
    if (worker.gone) return;
    const idleAt = this.#idle.indexOf(worker);
    if (idleAt >= 0) this.#idle.splice(idleAt, 1);
    this.#removeOpen(worker);
    this.#running--;
    this.#dismiss(worker);
    this.#serveQueue();
    this.#checkIdle();
  }

  // Queued tasks go to idle workers, new ones while there is room, then busy ones with room.
  #serveQueue(): void {
    while (!this.#closed && this.#queue.length > 0) {
      const exclusive = this.#isExclusive(this.#queue.peekSignal());
      const worker = this.#acquire(exclusive);
      if (worker === undefined) return;
      this.#drive(worker, this.#continue(worker));
    }
  }

  /** Routes an error from a `submit`/`invoke` task: `panicHandler`, else the logger. */
  reportError(err: unknown): void {
    const { panicHandler, logger } = this.options;
    try {
      if (panicHandler === undefined) logger.error('[antpool] task failed:', err);
      else panicHandler(err);
    } catch (handlerErr) {
      try {
        logger.error('[antpool] panicHandler threw:', handlerErr);
      } catch {}
    }
  }

  // One tick per expiryDuration; a worker idle since tick t goes at tick t + 2, so it has been
  // idle between one and two expiry durations. No clock is read on the task path.
  #startPurge(): void {
    this.#purgeTimer = setInterval(() => this.#purge(), this.options.expiryDuration).unref();
  }

  #stopPurge(): void {
    clearInterval(this.#purgeTimer);
    this.#purgeTimer = undefined;
  }

  #purge(): void {
    const tick = ++this.#tick;
    const idle = this.#idle;
    let stale = 0;
    while (stale < idle.length && idle[stale]!.idleSince <= tick - 2) stale++;
    if (stale > 0) {
      this.#running -= stale;
      for (const worker of idle.splice(0, stale)) this.#dismiss(worker);
      this.#checkIdle();
    }
    if (this.#running === 0) this.#stopPurge();
  }

  /** Changes the capacity: grows at once, shrinks as workers go idle. */
  tune(size: number): void {
    if (this.#cap === Number.POSITIVE_INFINITY) {
      throw invalid('ERR_INVALID_POOL_SIZE', 'size', 'tunable (the pool is unlimited)', size);
    }
    this.#cap = checkSize(size, 'size', false);
    while (this.#running > size && this.#idle.length > 0) {
      this.#running--;
      this.#dismiss(this.#idle.shift()!);
    }
    if (this.#dismissBusy) this.#dismissExtra(size);
    while (this.#running < size && this.#queue.length > 0 && !this.#closed) {
      const worker = this.#spawn();
      this.#drive(worker, this.#continue(worker));
    }
    this.#checkIdle();
  }

  // Tune down: the least loaded busy workers beyond `size` leave now; their queued tasks wait again.
  #dismissExtra(size: number): void {
    while (this.#running > size) {
      let lightest: Worker<P> | undefined;
      for (const worker of this.#members!) {
        if (lightest === undefined || worker.load < lightest.load) lightest = worker;
      }
      this.#removeOpen(lightest!);
      this.#running--;
      this.#dismiss(lightest!);
    }
  }

  /** Resolves when no task runs and none waits. */
  onIdle(): Promise<void> {
    if (this.#inFlight === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Closes the pool: idle workers exit, busy ones after their tasks, waiting callers reject. */
  release(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopPurge();
    const idle = this.#idle.splice(0);
    this.#running -= idle.length;
    for (const worker of idle) this.#dismiss(worker);
    for (const worker of this.#open.splice(0)) worker.openAt = -1;
    if (this.#dismissBusy) {
      for (const worker of [...this.#members!]) {
        if (worker.gone) continue; // retired meanwhile, as its last task was taken back
        this.#running--;
        this.#dismiss(worker);
      }
    }
    const task = this.#next;
    while (this.#queue.shift(task)) {
      const { signal, onAbort, reject } = task;
      this.#clearNext();
      if (onAbort !== undefined) signal!.removeEventListener('abort', onAbort);
      reject!(new PoolClosedError());
    }
    this.#checkIdle();
  }

  /** Resolves once every worker has exited; rejects `TimeoutError` after `ms`. */
  releaseTimeout(ms: number): Promise<void> {
    try {
      checkMilliseconds(ms, 'ms');
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.#closed) return Promise.reject(new PoolClosedError());
    this.release();
    // Only the workers this release stopped: a reboot may have started others meanwhile.
    const released = [...this.#exiting];
    return withDeadline(this.drained(), ms, () => keepAlive(released, false));
  }

  /** Resolves once every worker has exited, however long that takes. */
  drained(): Promise<void> {
    if (this.#running === 0 && this.#exiting.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#exitWaiters.push(resolve));
  }

  /** Opens a closed pool again. */
  reboot(): void {
    this.#closed = false;
  }

  /** `Symbol.asyncDispose`: release, then wait for every worker to exit. */
  dispose(): Promise<void> {
    this.release();
    keepAlive(this.#exiting, true);
    return this.drained();
  }
}

// Whether stopped workers still busy keep the process alive while someone waits for them.
function keepAlive<P>(workers: Iterable<Worker<P>>, on: boolean): void {
  for (const worker of workers) worker.keepAlive?.(on);
}

function flush(waiters: (() => void)[]): void {
  if (waiters.length === 0) return;
  for (const resolve of waiters.splice(0)) resolve();
}
