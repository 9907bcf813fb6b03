import { Worker as Thread, type TransferListItem, type WorkerOptions } from 'node:worker_threads';
import { AbortError, PoolClosedError, TaskTimeoutError, WorkerExitedError } from '../errors.js';
import { type Mode, type Reject, type Resolve, RUN } from '../internal/task.js';
import type { Worker, WorkerHost } from '../internal/worker.js';
import { deserializeError } from './error-codec.js';
import type { FromThread, RunMessage } from './messages.js';

/** What a ThreadPool task carries to its thread. */
export interface ThreadTask {
  arg: unknown;
  name: string;
  transfer: readonly TransferListItem[] | undefined;
}

/** Settings every thread of a pool shares. */
export interface ThreadConfig {
  /** The task module, as a file URL. */
  filename: string;
  taskTimeout: number | undefined;
  workerOptions: WorkerOptions;
}

interface InFlight {
  mode: Mode;
  resolve: Resolve | undefined;
  reject: Reject | undefined;
  signal: AbortSignal | undefined;
  task: ThreadTask;
}

const noop = (): void => {};

/**
 * A pool worker backed by one thread. Tasks go to the thread in order and come back in order,
 * so the oldest task in flight is the one running and the rest sit in the thread's local queue.
 */
export class ThreadWorker implements Worker<ThreadTask> {
  idleSince = 0;
  load = 0;
  exclusive = false;
  openAt = -1;
  readonly #host: WorkerHost<ThreadTask>;
  readonly #config: ThreadConfig;
  readonly #thread: Thread;
  readonly #inflight: InFlight[] = [];
  #nextId = 0;
  #ready = false;
  #alive = true; // false once stopped, preempted or dead: exit needs no more handling
  #timer: NodeJS.Timeout | undefined;
  #crash: Error | undefined;
  #loadError: unknown;

  constructor(host: WorkerHost<ThreadTask>, config: ThreadConfig) {
    this.#host = host;
    this.#config = config;
    this.#thread = new Thread(entryUrl(), config.workerOptions);
    this.#thread.on('message', this.#onMessage);
    this.#thread.on('error', (err: Error) => {
      this.#crash = err;
    });
    this.#thread.on('exit', this.#onExit);
    this.#thread.postMessage({ type: 'init', filename: config.filename });
    this.#thread.unref(); // an idle thread never keeps the process alive
  }

  start(
    task: ThreadTask,
    mode: Mode,
    resolve: Resolve | undefined,
    reject: Reject | undefined,
    signal: AbortSignal | undefined,
  ): boolean {
    const message: RunMessage = { type: 'run', id: this.#nextId++, name: task.name, arg: task.arg };
    try {
      this.#thread.postMessage(message, task.transfer);
    } catch (err) {
      this.#settle({ mode, resolve, reject, signal, task }, false, err); // DataCloneError
      return true;
    }
    this.#inflight.push({ mode, resolve, reject, signal, task });
    if (this.#inflight.length === 1) this.#thread.ref();
    signal?.addEventListener('abort', this.#onAbort);
    if (this.#ready) this.#armTimeout();
    return false;
  }

  /** The pool closed: tasks in the thread's local queue must not start. */
  release(): void {
    if (this.#alive && this.#inflight.length > 1) this.#thread.postMessage({ type: 'drop' });
  }

  stop(): Promise<void> {
    this.#alive = false;
    return this.#thread.terminate().then(noop);
  }

  readonly #onMessage = (message: FromThread): void => {
    if (message.type === 'ready') {
      this.#ready = true;
      this.#armTimeout();
    } else if (message.type === 'dropped') {
      this.#drop(message.count);
    } else if (message.type === 'load-error') {
      this.#loadError = deserializeError(message.error);
      void this.#thread.terminate();
    } else {
      const task = this.#inflight.shift()!;
      this.#disarm(task);
      if (this.#inflight.length === 0) this.#thread.unref();
      if (message.ok) this.#settle(task, true, message.value);
      else this.#settle(task, false, deserializeError(message.error));
      this.#host.done(this);
    }
  };

  #drop(count: number): void {
    for (const task of this.#inflight.splice(this.#inflight.length - count)) {
      task.signal?.removeEventListener('abort', this.#onAbort);
      if (task.mode === RUN) task.reject!(new PoolClosedError());
      this.#host.done(this);
    }
  }

  // Preemption: a running task that must stop now takes its thread down with it.
  readonly #onAbort = (): void => {
    const running = this.#inflight[0];
    this.#preempt(new AbortError(running?.signal?.reason), false);
  };

  #armTimeout(): void {
    const ms = this.#config.taskTimeout;
    if (ms === undefined || this.#inflight.length === 0 || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => this.#preempt(new TaskTimeoutError(ms), true), ms);
  }

  #preempt(err: Error, report: boolean): void {
    if (!this.#alive) return;
    const running = this.#inflight.shift()!;
    this.#disarm(running);
    if (running.mode === RUN) running.reject!(err);
    else if (report) this.#host.reportError(err);
    this.#die();
  }

  readonly #onExit = (code: number): void => {
    if (!this.#alive) return;
    const [running, ...waiting] = this.#inflight.splice(0);
    if (this.#loadError !== undefined) {
      for (const task of [running, ...waiting])
        if (task) this.#settle(task, false, this.#loadError);
    } else {
      const err = new WorkerExitedError(`the worker thread exited with code ${code}`, {
        cause: this.#crash,
      });
      if (running !== undefined) this.#settle(running, false, err);
      else this.#host.options.logger.error('[antpool] a worker thread died while idle:', err);
      for (const task of waiting) this.#requeue(task);
    }
    this.#die();
  };

  #die(): void {
    this.#alive = false;
    clearTimeout(this.#timer);
    for (const task of this.#inflight.splice(0)) this.#requeue(task);
    this.#host.lost(this, this.#thread.terminate().then(noop));
  }

  #requeue({ mode, resolve, reject, signal, task }: InFlight): void {
    signal?.removeEventListener('abort', this.#onAbort);
    this.#host.requeue(task, mode, resolve ?? noop, reject ?? noop);
  }

  #disarm(task: InFlight): void {
    task.signal?.removeEventListener('abort', this.#onAbort);
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #settle(task: InFlight, ok: boolean, value: unknown): void {
    if (task.mode === RUN) {
      if (ok) task.resolve!(value);
      else task.reject!(value);
    } else if (!ok) this.#host.reportError(value);
  }
}

/**
 * Built, the entry sits beside this file. From the TypeScript sources (the test suite runs them
 * through a loader) it is taken from the build: Node 20 starts a thread's entry without the
 * parent's ESM loaders.
 */
function entryUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL('../../dist/thread/worker-entry.js', here);
  return new URL('./worker-entry.js', here);
}
