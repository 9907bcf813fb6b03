import { AsyncResource } from 'node:async_hooks';
import type { Worker as Thread, TransferListItem } from 'node:worker_threads';
import { AbortError, PoolClosedError, TaskTimeoutError, WorkerExitedError } from '../errors.js';
import { entryUrl, startThread } from '../internal/start-thread.js';
import { type Mode, type Reject, type Resolve, RUN, SUBMIT } from '../internal/task.js';
import { traceContext, traceSettled, traceStarted } from '../internal/tracing.js';
import type { Returned, Worker, WorkerHost } from '../internal/worker.js';
import { deserializeError } from './error-codec.js';
import { type FromThread, type RunMessage, type ToThread, WAKE } from './messages.js';
import { CLAIMING, HALT, REPORTING, RunQueue, SIGNAL } from './run-queue.js';
import { type Member, NamedTask, type Scheduler, type ThreadTask } from './scheduler.js';
import type { Meter } from './utilization.js';

/** Longest main waits for a thread to leave a claim (it takes microseconds when it is alive). */
const HALT_WAIT_MS = 100;

/**
 * A pool worker backed by one thread and its run queue. Tasks whose argument fits shared memory
 * go through the queue, where the thread, or an idle peer stealing, claims them; the others, and
 * every exclusive (preemptible) task, go through the port. Outcomes are matched by task id.
 * Main takes back what the thread has not started through the same CAS words the thread claims
 * by (docs/scheduler.md, "Ownership").
 */
export class ThreadWorker implements Worker<ThreadTask>, Member {
  idleSince = 0;
  load = 0;
  exclusive = false;
  openAt = -1;
  gone = false;
  readonly #host: WorkerHost<ThreadTask>;
  readonly #scheduler: Scheduler<ThreadWorker>;
  readonly #queue: RunQueue;
  readonly #thread: Thread;
  readonly #exited: Promise<void>;
  readonly #meter: Meter;
  readonly #port = new Map<number, number>(); // id → seq of tasks sent through the port, not settled
  readonly #late: FromThread[] = []; // messages of a thread being terminated, read at its exit
  #owned = 0; // tasks charged to this worker, not settled
  // live: takes tasks; retired: HALT is up, it finishes what it started; dead: exited or terminated
  #state: 'live' | 'retired' | 'dead' = 'live';
  #ready = false;
  #sent = 0; // seq of the last task sent through the port
  #committed = -1; // the task main took back and gave this retired thread to run
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
    this.#meter = scheduler.utilization.join();
    this.#queue = RunQueue.create(config.localQueueSize, config.concurrency);
    this.#thread = startThread(
      entryUrl(import.meta.url, 'thread', 'worker-entry.js'),
      config.workerOptions,
    );
    this.#thread.unref(); // an idle thread never keeps the process alive; the scheduler refs
    this.#thread.on('message', this.#onMessage);
    this.#thread.on('error', (err: Error) => {
      this.#crash = err;
    });
    this.#exited = new Promise((resolve) => {
      this.#thread.on('exit', (code: number) => {
        scheduler.utilization.exit(this.#meter);
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
      maxTasks: config.maxTasks,
      maxHeapUsed: config.maxHeapUsed,
    });
  }

  get queueBuffer(): SharedArrayBuffer {
    return this.#queue.buffer;
  }

  peers(queues: SharedArrayBuffer[]): void {
    this.#send({ type: 'peers', queues });
  }

  /** Whether the thread keeps the process alive (the scheduler's call, or the core's once stopped). */
  keepAlive(on: boolean): void {
    if (on) this.#thread.ref();
    else this.#thread.unref();
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
    if (mode === SUBMIT && reject === undefined && this.#host.options.panicHandler !== undefined) {
      reject = this.#reporter();
    }
    const { table } = this.#scheduler;
    const id = table.add(this, payload, mode, resolve, reject, signal);
    // The stats clock starts here, when its thread takes the task (SPEC §11 would have the moment
    // the thread claims it to run, which main does not learn of before the result). The span's
    // `start` waits for the settle of a task that started: one given back publishes nothing.
    const trace = traceContext(this.#host.pool, 'thread', name);
    table.observe(id, this.#host.stats.now(), trace);
    if (++this.#owned === 1) {
      this.#scheduler.busy();
      this.#scheduler.utilization.busy(this.#meter);
    }
    const exclusive = signal !== undefined || this.#scheduler.config.taskTimeout !== undefined;
    if (!exclusive && named?.transfer === undefined && this.#queue.push(id, name, arg)) {
      this.#queue.wake();
      return false;
    }
    return this.#post(id, name, arg, named?.transfer, exclusive);
  }

  // An invoked task's error reaches panicHandler in its caller's async context (SPEC §3), not in
  // that of the message that brought it back. Kept as the task's `reject`, it survives a requeue.
  #reporter(): Reject {
    const context = new AsyncResource('antpool.ThreadTask');
    const host = this.#host;
    return (err) => context.runInAsyncScope(host.reportError, host, err);
  }

  // The port: for transfers, values the codec does not take, and exclusive tasks.
  #post(
    id: number,
    name: string,
    arg: unknown,
    transfer: readonly TransferListItem[] | undefined,
    exclusive: boolean,
  ): boolean {
    const seq = (this.#sent + 1) | 0;
    const message: RunMessage = { type: 'run', id, seq, committed: false, exclusive, name, arg };
    try {
      this.#send(message, transfer);
    } catch (err) {
      this.#observe(id, false, err, false);
      this.#settle(id, false, err); // DataCloneError
      return true;
    }
    this.#sent = seq;
    this.#port.set(id, seq);
    if (exclusive) {
      this.#exclusiveId = id;
      this.#exclusiveSeq = seq;
      this.#scheduler.table.signal(id)?.addEventListener('abort', this.#onAbort);
      if (this.#ready) this.#armTimeout();
    }
    return false;
  }

  /**
   * Retires the thread (HALT) and takes back every task it holds unstarted: its ring, its stash,
   * its port tasks. On release, a thread that runs nothing keeps its oldest own task, committed
   * to it: it runs, as ants' worker runs the task it accepted.
   */
  reclaim(closing: boolean): Returned<ThreadTask>[] {
    const ids = this.#gather();
    const loadError = this.#loadError;
    if (loadError !== undefined) {
      for (const id of ids) this.#failHeld(id, loadError, false); // a new thread would fail the same
      return [];
    }
    const idle = this.#state === 'retired' && this.#queue.runsNothing();
    const keep = closing && idle && this.#committed < 0 ? this.#oldestOwn(ids) : -1;
    const returned: Returned<ThreadTask>[] = [];
    for (const id of ids) {
      if (id === keep) this.#commit(id);
      else this.#take(id, returned);
    }
    return returned;
  }

  // Every task held unstarted, now main's: decided in main's favour by the words that decide
  // them, once HALT is up and the thread is out of any claim.
  #gather(): number[] {
    this.#retire();
    if (this.#state !== 'dead') this.#halt();
    const queue = this.#queue;
    const ids: number[] = [];
    queue.takeStash(ids);
    const decided = queue.takeMail(this.#sent);
    for (const [id, seq] of this.#port) if (((seq - decided) | 0) > 0) ids.push(id);
    queue.claimAll(ids);
    return ids;
  }

  #oldestOwn(ids: number[]): number {
    const { table } = this.#scheduler;
    for (const id of ids) {
      const payload = table.payload(id);
      const transferred = payload instanceof NamedTask && payload.transfer !== undefined;
      if (table.owner(id) === this && !transferred) return id;
    }
    return -1;
  }

  // Task `id` counts as started: the retired thread runs it before it exits.
  #commit(id: number): void {
    const { table, config } = this.#scheduler;
    const payload = table.payload(id);
    const named = payload instanceof NamedTask ? payload : undefined;
    const name = named === undefined ? 'default' : named.name;
    const arg = named === undefined ? payload : named.arg;
    const exclusive = table.signal(id) !== undefined || config.taskTimeout !== undefined;
    this.#port.delete(id);
    try {
      this.#send({ type: 'run', id, seq: 0, committed: true, exclusive, name, arg });
      this.#committed = id;
    } catch (err) {
      this.finish(id, false, err, false);
    }
  }

  #take(id: number, into: Returned<ThreadTask>[]): void {
    const { table } = this.#scheduler;
    const owner = table.owner(id);
    if (owner === undefined) return;
    into.push({
      owner,
      payload: table.payload(id),
      mode: table.mode(id),
      resolve: table.resolve(id),
      reject: table.reject(id),
      signal: table.signal(id),
    });
    owner.#forget(id);
    table.remove(id);
  }

  #retire(): void {
    if (this.#state !== 'live') return;
    this.#state = 'retired';
    this.#scheduler.leave(this);
  }

  /** Exits once the tasks it started are done (reclaim took the rest); resolves when it has. */
  stop(): Promise<void> {
    this.#retire();
    this.#send({ type: 'stop' });
    this.#thread.ref(); // whoever waits for the exit must see it
    return this.#exited;
  }

  /** Task `id`, charged to this worker, settled (on this thread or a thief). */
  finish(id: number, ok: boolean, value: unknown, started = true): void {
    this.#observe(id, ok, value, started);
    this.#settle(id, ok, value);
    this.#host.done(this);
  }

  // Counts a settling task that started, and ends its span, before its caller hears of it.
  #observe(id: number, ok: boolean, value: unknown, started: boolean): void {
    const { table } = this.#scheduler;
    if (started) this.#host.stats.settled(ok, table.startedAt(id));
    const trace = table.trace(id);
    if (trace === undefined || !started) return;
    traceStarted(trace);
    traceSettled(trace, ok, value);
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
    } else if (!ok && !(value instanceof PoolClosedError)) {
      if (reject === undefined) this.#host.reportError(value);
      else reject(value); // the reporter bound to the caller's context
    }
  }

  #forget(id: number): void {
    if (--this.#owned === 0) {
      this.#scheduler.idle();
      this.#scheduler.utilization.idle(this.#meter);
    }
    this.#port.delete(id);
    if (id === this.#committed) this.#committed = -1;
    if (id !== this.#exclusiveId) return;
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
    } else if (message.type === 'recycle') {
      if (this.#state === 'live') this.#host.recycle(this);
    } else if (message.type === 'ready') {
      this.#ready = true;
      this.#armTimeout();
    } else {
      this.#loadError = deserializeError(message.error);
      void this.#thread.terminate();
    }
  }

  /*
   * Abort of the exclusive task. Main decides its port seq by CAS, as the thread does before it
   * starts it: if main wins, the task never runs (the thread skips it silently); if the thread
   * won and still runs it, it is preempted; else its result is on its way.
   */
  readonly #onAbort = (): void => {
    const id = this.#exclusiveId;
    const err = new AbortError(this.#scheduler.table.signal(id)?.reason);
    if (this.#queue.claimMail(this.#exclusiveSeq)) this.finish(id, false, err, false);
    else if (this.#queue.isStarted(id) || id === this.#committed) {
      this.#preempt(id, err, false); // a committed task counts as started, run or not
    }
  };

  // taskTimeout counts from the start: a task not started yet when it fires gets its time again.
  #armTimeout(): void {
    const ms = this.#scheduler.config.taskTimeout;
    const id = this.#exclusiveId;
    if (ms === undefined || id < 0 || this.#timer !== undefined) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#exclusiveId !== id) return;
      const running = this.#queue.isStarted(id);
      if (running) this.#preempt(id, new TaskTimeoutError(ms), true);
      else if (!this.#started(id)) this.#armTimeout();
      // else it finished: its result is on its way
    }, ms);
  }

  // The exclusive port task `id` was decided for the thread. A committed one (release) counts as
  // started already: its time starts when it runs, so until then the timer is armed again.
  #started(id: number): boolean {
    return id !== this.#committed && this.#queue.mailDecided(this.#exclusiveSeq);
  }

  // A running task must stop now: it takes its thread down with it. The pool stops counting the
  // thread at once and takes back what it held; the rest is sorted out when it has exited.
  #preempt(id: number, err: Error, report: boolean): void {
    if (this.#state === 'dead') return;
    const { table } = this.#scheduler;
    const reject = table.reject(id);
    this.#observe(id, false, err, true);
    this.#forget(id);
    table.retire(id); // the thread may still report it
    if (reject !== undefined) reject(err);
    else if (report) this.#host.reportError(err);
    this.#preempted = id;
    this.#halt();
    this.#die();
    this.#host.lost(this, this.#exited);
    this.#host.done(this); // the preempted task, now that the pool no longer counts the thread
    void this.#thread.terminate();
  }

  // Raises HALT, then waits out a claim in progress (a few instructions, no task code): every
  // task the thread took is then recorded where main reads it, and it takes nothing more. A
  // thread that died inside a claim (out of memory while decoding) never lowers CLAIMING before
  // main sees its exit: the wait is bounded, and what it had not recorded is lost with it.
  #halt(): void {
    const queue = this.#queue;
    queue.setWord(HALT, 1);
    const until = performance.now() + HALT_WAIT_MS;
    while (queue.word(CLAIMING) !== 0 && performance.now() < until) {}
  }

  // Ids read from this thread's memory must keep naming the same tasks until it has exited.
  #die(): void {
    this.#retire();
    this.#state = 'dead';
    clearTimeout(this.#timer);
    this.#scheduler.table.hold();
  }

  // The core stops counting a crashed thread first, so no settle below hands it a new task.
  #onExit(code: number): void {
    const preempted = this.#state === 'dead';
    const crashed = this.#state === 'live';
    if (!preempted) this.#die();
    if (crashed) this.#host.lost(this, Promise.resolve());
    for (const message of this.#late.splice(0)) this.#handle(message);
    this.#queue.takeDone(this.#scheduler.completeOk);
    const failed = this.#failStarted(code);
    if (crashed && !failed && this.#loadError === undefined) {
      const err = this.#crashError(code);
      this.#host.options.logger.error('[antpool] a worker thread died while idle:', err);
    }
    const { table } = this.#scheduler;
    table.unhold();
    if (this.#preempted >= 0) table.free(this.#preempted);
  }

  // The tasks the thread had started and not reported fail: it died under them.
  #failStarted(code: number): boolean {
    let failed = false;
    const queue = this.#queue;
    const ids = [queue.word(REPORTING), this.#committed];
    for (let at = 0; at < queue.concurrency; at++) ids.push(queue.started(at));
    for (const id of ids) {
      if (id < 0 || id === this.#preempted) continue;
      const loaded = this.#loadError === undefined; // else no task ever started here
      failed = this.#failHeld(id, this.#loadError ?? this.#crashError(code), loaded) || failed;
    }
    return failed;
  }

  #failHeld(id: number, err: unknown, started: boolean): boolean {
    const owner = this.#scheduler.table.owner(id);
    owner?.finish(id, false, err, started);
    return owner !== undefined;
  }

  #crashError(code: number): Error {
    return new WorkerExitedError(`the worker thread exited with code ${code}`, {
      cause: this.#crash,
    });
  }
}
