import type { TransferListItem, WorkerOptions } from 'node:worker_threads';
import { TaskTable } from './task-table.js';

/** Settings every thread of a pool shares. */
export interface ThreadConfig {
  /** The task module, as a file URL. */
  filename: string;
  taskTimeout: number | undefined;
  /** Tasks one thread may hold; sizes its run queue. */
  localQueueSize: number;
  /** Idle threads take work from the busiest run queue before they park. */
  stealing: boolean;
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
  /** Task `id`, charged to this worker, settled: with `value`, or with the error `value`. */
  finish(id: number, ok: boolean, value: unknown): void;
  /** Reads the completions its thread has not signalled yet. */
  poll(): void;
}

/** How often main reads completions that busy threads hold back to batch them. */
const POLL_MS = 1;

/**
 * The pool-wide half of the thread scheduler: the table of tasks in the threads (a task can
 * finish on any thread once it is stolen, so ids are pool-wide) and the set of run queues.
 */
export class Scheduler<W extends Member> {
  readonly table = new TaskTable<W, ThreadTask>();
  readonly #members = new Set<W>();
  #busy = 0; // workers with tasks
  #poller: NodeJS.Timeout | undefined;

  constructor(readonly config: ThreadConfig) {}

  /** A worker took its first task: completions may now be held back, so poll. */
  busy(): void {
    this.#busy++;
    this.#poller ??= setInterval(this.#poll, POLL_MS).unref();
  }

  /** A worker settled its last task. The poller stops at its next tick if all are idle. */
  idle(): void {
    this.#busy--;
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
