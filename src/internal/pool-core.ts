import { AbortError, PoolClosedError, PoolOverloadError } from '../errors.js';
import { type PoolOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import { withDeadline } from './deadline.js';
import { ACCEPTED, createPromise, last, type Mode, SUBMIT } from './task.js';
import { type Slot, TaskQueue, type WaitingTask } from './task-queue.js';
import { checkMilliseconds, checkSignal, checkSize, invalid } from './validate.js';
import type { Worker, WorkerHost } from './worker.js';

/** Per-task options: an `AbortSignal` that cancels a waiting task or aborts a running one. */
export interface TaskOptions {
  signal?: AbortSignal;
}

export type WorkerFactory<P> = (host: WorkerHost<P>) => Worker<P>;

/**
 * The engine every pool shares: capacity, the idle-worker stack, the FIFO of waiting callers,
 * purge, tune, release/reboot and the statistics. Variants differ only in the worker they make.
 */
export class PoolCore<P> implements WorkerHost<P> {
  readonly options: ResolvedOptions;
  readonly #newWorker: WorkerFactory<P>;
  readonly #queue = new TaskQueue<P>();
  readonly #next: WaitingTask<P> = {
    payload: undefined,
    mode: SUBMIT,
    resolve: undefined,
    reject: undefined,
    signal: undefined,
    onAbort: undefined,
  };
  #cap: number;
  #running = 0;
  #idle: Worker<P>[] = []; // LIFO: the warmest worker is reused first, the coldest purged first
  #spare: Worker<P>[] = []; // made up front by `preAlloc`, not yet running
  #closed = false;
  #tick = 0;
  #purgeTimer: NodeJS.Timeout | undefined;
  #idleWaiters: (() => void)[] = [];
  #exitWaiters: (() => void)[] = [];

  constructor(size: number, options: PoolOptions | undefined, newWorker: WorkerFactory<P>) {
    this.#cap = checkSize(size);
    this.options = resolveOptions(size, options);
    this.#newWorker = newWorker;
    if (this.options.preAlloc) {
      for (let i = 0; i < size; i++) this.#spare.push(newWorker(this));
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
  get #busy(): number {
    return this.#running - this.#idle.length;
  }

  /** True when a task offered now would be rejected with `PoolOverloadError`. */
  get overloaded(): boolean {
    if (this.#idle.length > 0 || this.#running < this.#cap) return false;
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
    const worker = this.#acquire();
    if (worker !== undefined) {
      if (mode === SUBMIT) {
        this.#drive(worker, worker.start(payload, mode, undefined, undefined, signal));
        return ACCEPTED;
      }
      const promise = createPromise();
      this.#drive(worker, worker.start(payload, mode, last.resolve, last.reject, signal));
      return promise;
    }
    if (this.overloaded) return Promise.reject(new PoolOverloadError());
    return this.#wait(payload, mode, signal);
  }

  #wait(payload: P, mode: Mode, signal: AbortSignal | undefined): Promise<unknown> {
    const promise = createPromise();
    let onAbort: (() => void) | undefined;
    if (signal !== undefined) {
      const slot = this.#queue.nextSlot();
      onAbort = () => this.#abortWaiting(slot);
      signal.addEventListener('abort', onAbort);
    }
    this.#queue.push(payload, mode, last.resolve, last.reject, signal, onAbort);
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

  #acquire(): Worker<P> | undefined {
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    if (this.#running >= this.#cap) return undefined;
    return this.#spawn();
  }

  #spawn(): Worker<P> {
    this.#running++;
    return this.#spare.pop() ?? this.#newWorker(this);
  }

  /** A worker's task settled after `start` returned. */
  done(worker: Worker<P>): void {
    this.#drive(worker, true);
  }

  // Hands the worker waiting tasks while they settle synchronously: a loop, never a recursion.
  #drive(worker: Worker<P>, settled: boolean): void {
    while (settled) settled = this.#continue(worker);
  }

  #continue(worker: Worker<P>): boolean {
    if (this.#closed || this.#running > this.#cap) {
      this.#retire(worker);
      return false;
    }
    const task = this.#next;
    if (!this.#queue.shift(task)) {
      this.#park(worker);
      return false;
    }
    const { payload, mode, resolve, reject, signal, onAbort } = task;
    this.#clearNext();
    if (onAbort !== undefined) signal!.removeEventListener('abort', onAbort);
    if (mode === SUBMIT) resolve!();
    return worker.start(payload as P, mode, resolve, reject, signal);
  }

  #clearNext(): void {
    const task = this.#next;
    task.payload = task.resolve = task.reject = task.signal = task.onAbort = undefined;
  }

  #park(worker: Worker<P>): void {
    worker.idleSince = this.#tick;
    this.#idle.push(worker);
    if (this.#purgeTimer === undefined && !this.options.disablePurge) this.#startPurge();
    this.#checkIdle();
  }

  #retire(worker: Worker<P>): void {
    this.#running--;
    worker.stop();
    this.#checkIdle();
  }

  #checkIdle(): void {
    if (this.#busy === 0 && this.#queue.length === 0) flush(this.#idleWaiters);
    if (this.#running === 0) flush(this.#exitWaiters);
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
      for (const worker of idle.splice(0, stale)) worker.stop();
      this.#running -= stale;
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
      this.#idle.shift()!.stop();
    }
    while (this.#running < size && this.#queue.length > 0 && !this.#closed) {
      this.done(this.#spawn());
    }
    this.#checkIdle();
  }

  /** Resolves when no task runs and none waits. */
  onIdle(): Promise<void> {
    if (this.#busy === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Closes the pool: idle workers exit, busy ones after their task, waiting callers reject. */
  release(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopPurge();
    const idle = this.#idle.splice(0);
    this.#running -= idle.length;
    for (const worker of idle) worker.stop();
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
    return withDeadline(this.drained(), ms);
  }

  /** Resolves once every worker has exited, however long that takes. */
  drained(): Promise<void> {
    if (this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#exitWaiters.push(resolve));
  }

  /** Opens a closed pool again. */
  reboot(): void {
    this.#closed = false;
  }

  /** `Symbol.asyncDispose`: release, then wait for every worker to exit. */
  dispose(): Promise<void> {
    this.release();
    return this.drained();
  }
}

function flush(waiters: (() => void)[]): void {
  if (waiters.length === 0) return;
  for (const resolve of waiters.splice(0)) resolve();
}
