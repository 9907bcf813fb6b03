import type { Mode, Reject, Resolve } from '../internal/task.js';
import type { TaskTraceContext } from '../internal/tracing.js';

/**
 * Tasks a pool has handed to its threads, by integer id: parallel arrays and a free list, so a
 * task costs no allocation here and an id is what travels through shared memory.
 */
export class TaskTable<Owner, Payload> {
  readonly #owner: (Owner | undefined)[] = [];
  readonly #payload: (Payload | undefined)[] = [];
  readonly #mode: Mode[] = [];
  readonly #resolve: (Resolve | undefined)[] = [];
  readonly #reject: (Reject | undefined)[] = [];
  readonly #signal: (AbortSignal | undefined)[] = [];
  readonly #startedAt: number[] = [];
  readonly #trace: (TaskTraceContext | undefined)[] = [];
  readonly #free: number[] = [];
  readonly #held: number[] = []; // ids freed while a dead thread's tasks are sorted out
  #holds = 0;

  add(
    owner: Owner,
    payload: Payload,
    mode: Mode,
    resolve: Resolve | undefined,
    reject: Reject | undefined,
    signal: AbortSignal | undefined,
  ): number {
    const id = this.#free.length > 0 ? this.#free.pop()! : this.#owner.length;
    this.#owner[id] = owner;
    this.#payload[id] = payload;
    this.#mode[id] = mode;
    this.#resolve[id] = resolve;
    this.#reject[id] = reject;
    this.#signal[id] = signal;
    return id;
  }

  /** The worker the pool charged with task `id`; undefined once the task is settled. */
  owner(id: number): Owner | undefined {
    return this.#owner[id];
  }

  payload(id: number): Payload {
    return this.#payload[id]!;
  }

  mode(id: number): Mode {
    return this.#mode[id]!;
  }

  resolve(id: number): Resolve | undefined {
    return this.#resolve[id];
  }

  reject(id: number): Reject | undefined {
    return this.#reject[id];
  }

  signal(id: number): AbortSignal | undefined {
    return this.#signal[id];
  }

  /** Records when a thread took task `id` (the stats clock) and its trace context, if traced. */
  observe(id: number, startedAt: number, trace: TaskTraceContext | undefined): void {
    this.#startedAt[id] = startedAt;
    this.#trace[id] = trace;
  }

  startedAt(id: number): number {
    return this.#startedAt[id]!;
  }

  trace(id: number): TaskTraceContext | undefined {
    return this.#trace[id];
  }

  /** Forgets task `id` but keeps the id out of use: a thread may still report it. */
  retire(id: number): void {
    this.#owner[id] = this.#payload[id] = undefined;
    this.#resolve[id] = this.#reject[id] = undefined;
    this.#signal[id] = this.#trace[id] = undefined;
  }

  /** Forgets task `id` and lets the id be reused. */
  remove(id: number): void {
    this.retire(id);
    this.free(id);
  }

  /** Lets a retired id be reused. */
  free(id: number): void {
    (this.#holds > 0 ? this.#held : this.#free).push(id);
  }

  /**
   * Until as many {@link unhold}s, freed ids are not reused: an id read from a dead thread's
   * shared memory must keep naming the same task while its tasks are sorted out.
   */
  hold(): void {
    this.#holds++;
  }

  unhold(): void {
    if (--this.#holds > 0) return;
    for (const id of this.#held.splice(0)) this.#free.push(id);
  }
}
