import type { Mode, Reject, Resolve } from './task.js';

/** One waiting task, as {@link TaskQueue.shift} hands it out. */
export interface WaitingTask<P> {
  payload: P | undefined;
  mode: Mode;
  resolve: Resolve | undefined;
  reject: Reject | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

const MIN_CAPACITY = 16;
const CANCELLED = 2;

/**
 * FIFO of waiting tasks: a growable ring of parallel arrays, so queueing a million tasks costs
 * array slots, not objects. Each push gets a sequence number; `cancel(seq)` leaves a tombstone
 * that `shift` skips, which keeps aborting a waiting task O(1).
 */
export class TaskQueue<P> {
  #payloads: (P | undefined)[] = [];
  #modes: number[] = [];
  #resolves: (Resolve | undefined)[] = [];
  #rejects: (Reject | undefined)[] = [];
  #signals: (AbortSignal | undefined)[] = [];
  #onAborts: ((() => void) | undefined)[] = [];
  #mask = MIN_CAPACITY - 1;
  #head = 0;
  #headSeq = 0;
  #slots = 0; // occupied slots, tombstones included
  #live = 0;

  constructor() {
    this.#resize(MIN_CAPACITY);
  }

  /** Tasks waiting, tombstones excluded. */
  get length(): number {
    return this.#live;
  }

  /** The sequence number the next `push` will return. */
  get nextSeq(): number {
    return this.#headSeq + this.#slots;
  }

  push(
    payload: P,
    mode: Mode,
    resolve: Resolve,
    reject: Reject,
    signal: AbortSignal | undefined,
    onAbort: (() => void) | undefined,
  ): void {
    if (this.#slots > this.#mask) this.#resize((this.#mask + 1) * 2);
    const i = (this.#head + this.#slots) & this.#mask;
    this.#payloads[i] = payload;
    this.#modes[i] = mode;
    this.#resolves[i] = resolve;
    this.#rejects[i] = reject;
    this.#signals[i] = signal;
    this.#onAborts[i] = onAbort;
    this.#slots++;
    this.#live++;
  }

  /** Moves the oldest live task into `into`; false when none waits. */
  shift(into: WaitingTask<P>): boolean {
    while (this.#slots > 0) {
      const i = this.#head;
      const live = this.#modes[i] !== CANCELLED;
      if (live) this.#take(i, into);
      else this.#clear(i);
      this.#head = (i + 1) & this.#mask;
      this.#headSeq++;
      this.#slots--;
      if (live) {
        this.#live--;
        this.#shrinkIfSparse();
        return true;
      }
    }
    return false;
  }

  /** Removes the task pushed as `seq` into `into`; false when it already left the queue. */
  cancel(seq: number, into: WaitingTask<P>): boolean {
    const offset = seq - this.#headSeq;
    if (offset < 0 || offset >= this.#slots) return false;
    const i = (this.#head + offset) & this.#mask;
    if (this.#modes[i] === CANCELLED) return false;
    this.#take(i, into);
    this.#modes[i] = CANCELLED;
    this.#live--;
    return true;
  }

  #take(i: number, into: WaitingTask<P>): void {
    into.payload = this.#payloads[i];
    into.mode = this.#modes[i] as Mode;
    into.resolve = this.#resolves[i];
    into.reject = this.#rejects[i];
    into.signal = this.#signals[i];
    into.onAbort = this.#onAborts[i];
    this.#clear(i);
  }

  #clear(i: number): void {
    this.#payloads[i] = undefined;
    this.#resolves[i] = undefined;
    this.#rejects[i] = undefined;
    this.#signals[i] = undefined;
    this.#onAborts[i] = undefined;
  }

  // A burst of a million waiters must not pin a million-slot ring for the pool's lifetime.
  #shrinkIfSparse(): void {
    const capacity = this.#mask + 1;
    if (capacity > MIN_CAPACITY * 4 && this.#slots < capacity / 4) this.#resize(capacity / 2);
  }

  #resize(capacity: number): void {
    const columns = [
      this.#payloads,
      this.#modes,
      this.#resolves,
      this.#rejects,
      this.#signals,
      this.#onAborts,
    ] as unknown[][];
    const [payloads, modes, resolves, rejects, signals, onAborts] = columns.map((old) => {
      const next = new Array<unknown>(capacity).fill(undefined);
      for (let k = 0; k < this.#slots; k++) next[k] = old[(this.#head + k) & this.#mask];
      return next;
    });
    this.#payloads = payloads as (P | undefined)[];
    this.#modes = modes as number[];
    this.#resolves = resolves as (Resolve | undefined)[];
    this.#rejects = rejects as (Reject | undefined)[];
    this.#signals = signals as (AbortSignal | undefined)[];
    this.#onAborts = onAborts as ((() => void) | undefined)[];
    this.#head = 0;
    this.#mask = capacity - 1;
  }
}
