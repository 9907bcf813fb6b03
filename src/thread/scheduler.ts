import type { TransferListItem, WorkerOptions } from 'node:worker_threads';
import { TaskTable } from './task-table.js';
import { Utilization } from './utilization.js';

/** Settings every thread of a pool shares. */
export interface ThreadConfig {
  /** The task module, as a file URL. */
  filename: string;
  taskTimeout: number | undefined;
  /** Tasks one thread may hold, the ones it runs included; sizes its run queue. */
  localQueueSize: number;
  /** Tasks one thread may have started and not ended at once (`concurrentTasksPerThread`). */
  concurrency: number;
  /** Tasks a thread starts before it is recycled (Infinity: never). */
  maxTasks: number;
  /** Heap bytes in use after a task past which a thread is recycled (Infinity: never). */
  maxHeapUsed: number;
  /** Idle threads take work from the busiest run queue before they park. */
  stealing: boolean;
  /** Nice steps each thread lowers its priority by (Linux). */
  niceIncrement: number;
  workerOptions: WorkerOptions;
}

/** A task with a export name other than `default`, or a transfer list. */
export class NamedTask {
  constructor(
    readonly arg: unknown,
    readonly name: string,
    readonly transfer: readonly TransferListItem[] | undefined,
  ) {}
}

/** What a ThreadPool task carries: its bare argument, or a {@link NamedTask}. */
export type ThreadTask = unknown;

/** What the scheduler needs of a thread's worker. */
export interface Member {
  readonly queueBuffer: SharedArrayBuffer;
  /** Tells the thread the run queues it may steal from. */
  peers(queues: SharedArrayBuffer[]): void;
  /**
   * Task `id`, charged to this worker, settled: with `value`, or with the error `value`.
   * `started` is false for a task that fails before any thread started it.
   */
  finish(id: number, ok: boolean, value: unknown, started?: boolean): void;
  /** Reads the completions its thread has not signalled yet; true when there were some. */
  poll(): boolean;
  /** While main watches, its thread sends no wake-up message for a completion. */
  watch(on: boolean): void;
  /** Whether its thread keeps the process alive. */
  keepAlive(on: boolean): void;
}

/** How often main reads completions that busy threads hold back to batch them. */
const POLL_MS = 1;
/** How long main looks for completions turn after turn once an idle pool took a task. */
const WATCH_MS = 0.05;

/**
 * The pool-wide half of the thread scheduler: the table of tasks in the threads (a task can
 * finish on any thread once it is stolen, so ids are pool-wide) and the set of run queues.
 */
export class Scheduler<W extends Member> {
  readonly table = new TaskTable<W, ThreadTask>();
  readonly utilization = new Utilization();
  readonly #members = new Set<W>();
  // Workers with tasks charged to them. While there is one, every thread keeps the process alive:
  // any of them may hold one of those tasks (stolen), whoever it is charged to.
  #busy = 0;
  #poller: NodeJS.Timeout | undefined;
  #watching = false;
  #watchUntil = 0;

  constructor(readonly config: ThreadConfig) {}

  /** True while main looks for completions every turn: threads send no wake-up then. */
  get watching(): boolean {
    return this.#watching;
  }

  #watch(): void {
    this.#watchUntil = performance.now() + WATCH_MS;
    if (this.#watching) return;
    this.#watching = true;
    for (const member of this.#members) member.watch(true);
    setImmediate(this.#look);
  }

  readonly #look = (): void => {
    for (const member of this.#members) member.poll();
    if (performance.now() < this.#watchUntil && this.#busy > 0) {
      setImmediate(this.#look);
      return;
    }
    this.#watching = false;
    // A completion pushed before its thread saw the flag drop sent no message: read it now.
    for (const member of this.#members) {
      member.watch(false);
      member.poll();
    }
  };

  /**
   * A worker took its first task: completions may now be held back, so poll. When it is the
   * pool's only task, its result may come within microseconds, before a wake-up message could
   * reach main: main then looks for it on each turn of its event loop (a `setImmediate` chain,
   * so other events are served in between) for {@link WATCH_MS}.
   */
  busy(): void {
    if (this.#busy++ === 0) {
      for (const member of this.#members) member.keepAlive(true);
      this.#watch();
    }
    this.#poller ??= setInterval(this.#poll, POLL_MS).unref();
  }

  /** A worker settled its last task. The poller stops at its next tick if all are idle. */
  idle(): void {
    if (--this.#busy > 0) return;
    for (const member of this.#members) member.keepAlive(false);
  }

  readonly #poll = (): void => {
    for (const member of this.#members) member.poll();
    if (this.#busy > 0) return;
    clearInterval(this.#poller);
    this.#poller = undefined;
  };

  /** A new thread joins; returns the run queues it may steal from. */
  join(worker: W): SharedArrayBuffer[] {
    this.#members.add(worker);
    if (this.#busy > 0) worker.keepAlive(true);
    if (this.config.stealing) this.#announce(worker);
    return this.#queues(worker);
  }

  /** A thread leaves: nobody should steal from it any more. */
  leave(worker: W): void {
    if (this.#members.delete(worker) && this.config.stealing) this.#announce();
  }

  /** Routes task `id`'s outcome to the worker it is charged to; a stale id is ignored. */
  complete(id: number, ok: boolean, value: unknown): void {
    this.table.owner(id)?.finish(id, ok, value);
  }

  readonly completeOk = (id: number, value: unknown): void => this.complete(id, true, value);

  #queues(except?: W): SharedArrayBuffer[] {
    const queues: SharedArrayBuffer[] = [];
    for (const member of this.#members) if (member !== except) queues.push(member.queueBuffer);
    return queues;
  }

  // The newcomer learns its peers with its init message.
  #announce(newcomer?: W): void {
    for (const member of this.#members) {
      if (member !== newcomer) member.peers(this.#queues(member));
    }
  }
}
