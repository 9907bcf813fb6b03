import { Worker as Thread, type TransferListItem, type WorkerOptions } from 'node:worker_threads';
import { AbortError, PoolClosedError, TaskTimeoutError, WorkerExitedError } from '../errors.js';
import { type Mode, type Reject, type Resolve, RUN } from '../internal/task.js';
import type { Worker, WorkerHost } from '../internal/worker.js';
import { deserializeError } from './error-codec.js';
import { type FromThread, type RunMessage, type ToThread, WAKE } from './messages.js';
import {
  CANCEL_SEQ,
  CLAIMING,
  HALT,
  RUNNING,
  RunQueue,
  SIGNAL,
  STARTED_SEQ,
  STASH,
  STASH_FROM,
  STASH_TO,
} from './run-queue.js';
import { type Member, NamedTask, type Scheduler, type ThreadTask } from './scheduler.js';

const noop = (): void => {};

/**
 * A pool worker backed by one thread and its run queue. Tasks whose argument fits shared memory
 * go through the queue, where the thread, or an idle peer stealing, claims them; the others, and
 * every exclusive (preemptible) task, go through the port. Outcomes are matched by task id.
 */
export class ThreadWorker implements Worker<ThreadTask>, Member {
  idleSince = 0;
  load = 0;
  exclusive = false;
  openAt = -1;
  readonly #host: WorkerHost<ThreadTask>;
  readonly #scheduler: Scheduler<ThreadWorker>;
  readonly #queue: RunQueue;
  readonly #thread: Thread;
  readonly #exited: Promise<void>;
  readonly #portIds = new Set<number>(); // tasks sent through the port, not settled
  readonly #late: FromThread[] = []; // messages of a thread being terminated, read at its exit
  #owned = 0; // tasks charged to this worker, not settled: the thread is ref'd while > 0
  #state: 'live' | 'stopping' | 'dead' = 'live';
  #ready = false;
  #seq = 0;
  #exclusiveId = -1;
  #exclusiveSeq = 0;
  #preempted = -1; // the id of the task this worker was preempted for
  #timer: NodeJS.Timeout | undefined;
  #crash: Error | undefined;
  #loadError: unknown;

  constructor(host: WorkerHost<ThreadTask>, scheduler: Scheduler<ThreadWorker>) {
    this.#host = host;
    this.#scheduler = scheduler;
    const { config } = scheduler;
    this.#queue = RunQueue.create(config.localQueueSize);
    this.#thread = startThread(config.workerOptions);
    this.#thread.on('message', this.#onMessage);
    this.#thread.on('error', (err: Error) => {
      this.#crash = err;
    });
    this.#exited = new Promise((resolve) => {
      this.#thread.on('exit', (code: number) => {
        this.#onExit(code);
        resolve();
      });
    });
    this.#thread.postMessage({
      type: 'init',
      filename: config.filename,
      queue: this.#queue.buffer,
      peers: scheduler.join(this),
      stealing: config.stealing,
      niceIncrement: config.niceIncrement,
    });
    this.#thread.unref(); // an idle thread never keeps the process alive
  }

  get queueBuffer(): SharedArrayBuffer {
    return this.#queue.buffer;
  }

  peers(queues: SharedArrayBuffer[]): void {
    this.#send({ type: 'peers', queues });
  }

  // A parked thread blocks on its SLEEP word: wake it to read the message.
  #send(message: ToThread, transfer?: readonly TransferListItem[]): void {
    this.#thread.postMessage(message, transfer);
    this.#queue.wake();
  }

  poll(): boolean {
    return this.#queue.takeDone(this.#scheduler.completeOk) > 0;
  }

  watch(on: boolean): void {
    this.#queue.setWord(SIGNAL, on ? 1 : 0); // "a wake-up is on its way": the thread sends none
  }

  // A thread with tasks keeps the process alive; main polls for its held-back completions.
  #busy(): void {
    this.#thread.ref();
    this.#scheduler.busy();
  }

  #idle(): void {
    this.#thread.unref();
    this.#scheduler.idle();
  }

  start(
    payload: ThreadTask,
    mode: Mode,
    resolve: Resolve | undefined,
    reject: Reject | undefined,
    signal: AbortSignal | undefined,
  ): boolean {
    const named = payload instanceof NamedTask ? payload : undefined;
    const arg = named === undefined ? payload : named.arg;
    const name = named === undefined ? 'default' : named.name;
    const id = this.#scheduler.table.add(this, payload, mode, resolve, reject, signal);
    if (++this.#owned === 1) this.#busy();
    const exclusive = signal !== undefined || this.#scheduler.config.taskTimeout !== undefined;
    if (!exclusive && named?.transfer === undefined && this.#queue.push(id, name, arg)) {
      this.#queue.wake();
      return false;
    }
    return this.#post(id, name, arg, named?.transfer, exclusive);
  }

  // The port: for transfers, values the codec does not take, and exclusive tasks.
  #post(
    id: number,
    name: string,
    arg: unknown,
    transfer: readonly TransferListItem[] | undefined,
    exclusive: boolean,
  ): boolean {
    const seq = exclusive ? ++this.#seq : 0;
    const message: RunMessage = { type: 'run', id, seq, name, arg };
    try {
      this.#send(message, transfer);
    } catch (err) {
      this.#settle(id, false, err); // DataCloneError
      return true;
    }
    this.#portIds.add(id);
    if (exclusive) {
      this.#exclusiveId = id;
      this.#exclusiveSeq = seq;
      this.#scheduler.table.signal(id)?.addEventListener('abort', this.#onAbort);
      if (this.#ready) this.#armTimeout();
    }
    return false;
  }

  /** The pool closed: the thread drops the tasks it holds but has not started. */
  release(): void {
    if (this.#state === 'live') this.#send({ type: 'drop' });
  }

  /** Exits once the thread is done with tasks it stole; resolves when it has. */
  stop(): Promise<void> {
    this.#state = 'stopping';
    this.#scheduler.leave(this);
    this.#send({ type: 'stop' });
    this.#thread.ref(); // whoever waits for the exit must see it
    return this.#exited;
  }

  /** Task `id` settled in a thread (this one or a thief). */
  finish(id: number, ok: boolean, value: unknown): void {
    this.#settle(id, ok, value);
    if (this.#state === 'live') this.#host.done(this);
  }

  // The thread gave task `id` up without running it. A retired id was waiting for just that.
  #givenUp(id: number, err: Error): void {
    const { table } = this.#scheduler;
    const owner = table.owner(id);
    if (owner === undefined) table.free(id);
    else owner.finish(id, false, err);
  }

  // Settles task `id` and forgets it (`retire`: keeps the id reserved); the caller tells the core.
  #settle(id: number, ok: boolean, value: unknown, retire = false): void {
    const { table } = this.#scheduler;
    const mode = table.mode(id);
    const resolve = table.resolve(id);
    const reject = table.reject(id);
    this.#forget(id);
    if (retire) table.retire(id);
    else table.remove(id);
    if (mode === RUN) {
      if (ok) resolve!(value);
      else reject!(value);
    } else if (!ok && !(value instanceof PoolClosedError)) this.#host.reportError(value);
  }

  #forget(id: number): void {
    if (--this.#owned === 0) this.#idle();
    if (!this.#portIds.delete(id) || id !== this.#exclusiveId) return;
    this.#scheduler.table.signal(id)?.removeEventListener('abort', this.#onAbort);
    this.#exclusiveId = -1;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  readonly #onMessage = (message: FromThread): void => {
    if (this.#state === 'dead') this.#late.push(message);
    else this.#handle(message);
  };

  #handle(message: FromThread): void {
    if (message === WAKE) {
      // Before reading: a later completion signals again (unless main watches: it reads them).
      if (!this.#scheduler.watching) this.#queue.setWord(SIGNAL, 0);
      this.#queue.takeDone(this.#scheduler.completeOk);
    } else if (message.type === 'result') {
      const { id } = message;
      if (message.ok) this.#scheduler.complete(id, true, message.value);
      else this.#scheduler.complete(id, false, deserializeError(message.error));
    } else if (message.type === 'dropped') {
      for (const id of message.ids) this.#givenUp(id, new PoolClosedError());
    } else if (message.type === 'skipped') {
      const reason = this.#scheduler.table.signal(message.id)?.reason;
      this.#givenUp(message.id, new AbortError(reason));
    } else if (message.type === 'ready') {
      this.#ready = true;
      this.#armTimeout();
    } else {
      this.#loadError = deserializeError(message.error);
      void this.#thread.terminate();
    }
  }

  /*
   * Abort of the exclusive task. The thread stores STARTED_SEQ before it looks at CANCEL_SEQ;
   * this side stores CANCEL_SEQ before it looks at STARTED_SEQ. So when this side sees the task
   * not started, the thread will skip it (and say so: the id stays reserved until then); when it
   * sees it running, it preempts the thread; otherwise the task's own report settles it.
   */
  readonly #onAbort = (): void => {
    const id = this.#exclusiveId;
    const seq = this.#exclusiveSeq;
    const err = new AbortError(this.#scheduler.table.signal(id)?.reason);
    this.#queue.setWord(CANCEL_SEQ, seq);
    if (this.#queue.word(STARTED_SEQ) !== seq) {
      this.#settle(id, false, err, true);
      this.#host.done(this);
    } else if (this.#queue.word(RUNNING) === id) this.#preempt(id, err, false);
  };

  #armTimeout(): void {
    const ms = this.#scheduler.config.taskTimeout;
    const id = this.#exclusiveId;
    if (ms === undefined || id < 0 || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => this.#preempt(id, new TaskTimeoutError(ms), true), ms);
  }

  // A running task must stop now: it takes its thread down with it. The pool stops counting the
  // thread at once; what else the thread held is sorted out when it has exited.
  #preempt(id: number, err: Error, report: boolean): void {
    if (this.#state !== 'live') return;
    const { table } = this.#scheduler;
    const reject = table.reject(id);
    this.#forget(id);
    table.retire(id); // the thread may still report it
    if (reject !== undefined) reject(err);
    else if (report) this.#host.reportError(err);
    this.#preempted = id;
    this.#halt();
    this.#leave(this.#exited);
    void this.#thread.terminate();
  }

  // Waits out a claim in progress (a few instructions, no task code): every task the thread took
  // is then recorded where #recover reads it.
  #halt(): void {
    this.#queue.setWord(HALT, 1);
    while (this.#queue.word(CLAIMING) !== 0) {}
  }

  // The pool stops counting this worker first: a task requeued now must not come back to it.
  #leave(exited: Promise<void>): void {
    this.#state = 'dead';
    this.#scheduler.leave(this);
    clearTimeout(this.#timer);
    this.#host.lost(this, exited);
    for (const id of this.#queue.claimAll()) this.#lose(id);
  }

  #onExit(code: number): void {
    const { table } = this.#scheduler;
    const crashed = this.#state === 'live';
    if (crashed) this.#leave(Promise.resolve());
    this.#state = 'dead';
    table.hold();
    for (const message of this.#late.splice(0)) this.#handle(message);
    this.#recover(code, crashed);
    table.unhold();
    if (this.#preempted >= 0) table.free(this.#preempted);
  }

  // The thread is gone: settle what it reported, fail the task it ran, requeue the rest.
  #recover(code: number, crashed: boolean): void {
    const queue = this.#queue;
    const running = queue.word(RUNNING);
    const stashed: number[] = [];
    for (let at = queue.word(STASH_FROM); at < queue.word(STASH_TO); at++) {
      stashed.push(queue.word(STASH + at));
    }
    queue.takeDone(this.#scheduler.completeOk);
    for (const id of queue.claimAll()) this.#lose(id);
    for (const id of [...stashed, ...this.#portIds]) if (id !== running) this.#lose(id);
    if (running >= 0 && this.#scheduler.table.owner(running) !== undefined) {
      if (this.#preempted >= 0)
        this.#lose(running); // not the task preempted: it runs again
      else this.#scheduler.complete(running, false, this.#loadError ?? this.#crashError(code));
    } else if (crashed && this.#loadError === undefined) {
      const err = this.#crashError(code);
      this.#host.options.logger.error('[antpool] a worker thread died while idle:', err);
    }
  }

  #crashError(code: number): Error {
    return new WorkerExitedError(`the worker thread exited with code ${code}`, {
      cause: this.#crash,
    });
  }

  // A task this thread held but did not start: it fails with the load error or is queued again.
  #lose(id: number): void {
    const { table } = this.#scheduler;
    const owner = table.owner(id);
    if (owner === undefined) return;
    if (this.#loadError !== undefined) {
      owner.finish(id, false, this.#loadError);
      return;
    }
    const payload = table.payload(id);
    const mode = table.mode(id);
    const resolve = table.resolve(id) ?? noop;
    const reject = table.reject(id) ?? noop;
    owner.#forget(id);
    table.remove(id);
    this.#host.requeue(payload, mode, resolve, reject);
    if (owner.#state === 'live') this.#host.done(owner);
  }
}

/**
 * A thread inherits the process' Node options, and Node refuses `--input-type` for a thread that
 * runs a file: then the thread starts from a line of code that imports the entry (such a thread
 * skips `--import` preloads, so it is not the rule).
 */
function startThread(options: WorkerOptions): Thread {
  const url = entryUrl();
  const inputType = options.execArgv === undefined && process.execArgv.some(isInputType);
  if (!inputType) return new Thread(url, options);
  return new Thread(`import(${JSON.stringify(url.href)})`, { ...options, eval: true });
}

function isInputType(arg: string): boolean {
  return arg === '--input-type' || arg.startsWith('--input-type=');
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
