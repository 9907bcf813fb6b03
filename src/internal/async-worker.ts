import { AbortError } from '../errors.js';
import { isThenable, type Mode, NEVER_ABORTED, type Reject, type Resolve, RUN } from './task.js';
import { type TaskTraceContext, taskChannel, traceContext, traceSettled } from './tracing.js';
import type { Worker, WorkerHost } from './worker.js';

/** Calls a payload: `task(signal)` for `Pool`, `fn(arg, signal)` for `PoolWithFunc`. */
export type Execute<P> = (payload: P, signal: AbortSignal) => unknown;

/**
 * An async worker: ants' goroutine loop as a plain object. Its callbacks are bound once, so a
 * task costs no closure; a task that returns a non-promise settles synchronously.
 */
export class AsyncWorker<P> implements Worker<P> {
  idleSince = 0;
  load = 0;
  exclusive = false;
  openAt = -1;
  gone = false;
  readonly #host: WorkerHost<P>;
  readonly #execute: Execute<P>;
  readonly #timing: boolean;
  #mode: Mode = RUN;
  #resolve: Resolve | undefined;
  #reject: Reject | undefined;
  #signal: AbortSignal | undefined;
  // The task started and is not counted yet: an abort while it runs counts it before it settles.
  #counting = false;
  #startedAt = 0;
  #trace: TaskTraceContext | undefined;
  readonly #onFulfilled = (value: unknown): void => {
    this.#settle(true, value);
    this.#host.done(this);
  };
  readonly #onRejected = (err: unknown): void => {
    this.#settle(false, err);
    this.#host.done(this);
  };
  // `run` rejects at once; the task keeps its worker until it settles, and its result is dropped.
  readonly #onAbort = (): void => {
    const reject = this.#reject;
    this.#resolve = this.#reject = undefined;
    const err = new AbortError(this.#signal?.reason);
    this.#count(false, err);
    reject?.(err);
  };

  constructor(host: WorkerHost<P>, execute: Execute<P>) {
    this.#host = host;
    this.#execute = execute;
    this.#timing = host.stats.timing;
  }

  start(
    payload: P,
    mode: Mode,
    resolve: Resolve | undefined,
    reject: Reject | undefined,
    signal: AbortSignal | undefined,
  ): boolean {
    this.#mode = mode;
    if (mode === RUN) {
      this.#resolve = resolve;
      this.#reject = reject;
      if (signal !== undefined) {
        this.#signal = signal;
        signal.addEventListener('abort', this.#onAbort);
      }
    }
    this.#counting = true;
    if (this.#timing) this.#startedAt = performance.now();
    this.#trace = traceContext(this.#host.pool, 'async', undefined);
    let result: unknown;
    try {
      result =
        this.#trace === undefined
          ? this.#execute(payload, signal ?? NEVER_ABORTED)
          : this.#traced(this.#trace, payload, signal ?? NEVER_ABORTED);
      if (isThenable(result)) {
        result.then(this.#onFulfilled, this.#onRejected);
        return false;
      }
    } catch (err) {
      this.#settle(false, err);
      return true;
    }
    this.#settle(true, result);
    return true;
  }

  // The synchronous part runs with the subscribers' stores bound (`runStores`), as Node's own
  // tracing helpers do, so a span opened at `start` is the task's async context.
  #traced(context: TaskTraceContext, payload: P, signal: AbortSignal): unknown {
    try {
      return taskChannel.start.runStores(context, this.#execute, undefined, payload, signal);
    } finally {
      taskChannel.end.publish(context);
    }
  }

  // Counts the task once, before its caller hears of it.
  #count(ok: boolean, value: unknown): void {
    if (!this.#counting) return;
    this.#counting = false;
    this.#host.stats.settled(ok, this.#startedAt);
    const trace = this.#trace;
    if (trace === undefined) return;
    this.#trace = undefined;
    traceSettled(trace, ok, value);
  }

  #settle(ok: boolean, value: unknown): void {
    this.#count(ok, value);
    if (this.#mode !== RUN) {
      if (!ok) this.#host.reportError(value);
      return;
    }
    const resolve = this.#resolve;
    const reject = this.#reject;
    this.#resolve = this.#reject = undefined;
    if (this.#signal !== undefined) {
      this.#signal.removeEventListener('abort', this.#onAbort);
      this.#signal = undefined;
    }
    if (ok) resolve?.(value);
    else reject?.(value);
  }

  stop(): undefined {
    return undefined;
  }
}
