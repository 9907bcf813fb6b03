import type { AsyncResource } from 'node:async_hooks';
import type { Mode, Reject, Resolve } from './task.js';

/** One waiting task, as {@link TaskQueue.shift} hands it out. */
export interface WaitingTask<P> {
  payload: P | undefined;
  mode: Mode;
  resolve: Resolve | undefined;
  reject: Reject | undefined;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** The caller's async context, captured when the task began to wait; see `PoolCore#wait`. */
  context: AsyncResource | undefined;
  /** When the caller offered it (the stats clock), or 0 when the pool does not record timing. */
  calledAt: number;
}

/** Where a pushed task sits, for `cancel`: its block and its slot there. */
export interface Slot {
  block: Block;
  index: number;
}

// Fields of a slot, laid out side by side in one array per block.
const PAYLOAD = 0;
const MODE = 1;
const RESOLVE = 2;
const REJECT = 3;
const SIGNAL = 4;
const ON_ABORT = 5;
const CONTEXT = 6;
const STRIDE = 7;
const BLOCK_SLOTS = 1024;
const GONE = -1; // the mode of a slot that was taken or cancelled

class Block {
  readonly items: unknown[] = [];
  // By slot index, only in pools that record timing: the queue costs the others nothing more.
  calledAt: number[] | undefined;
  next: Block | undefined;
  read = 0; // slot index, not item index
  write = 0;
}

/**
 * FIFO of waiting tasks: a linked list of fixed blocks, each one flat array holding the fields of
 * 1,024 tasks. A million waiting tasks cost array slots, not objects of the queue's own (the
 * `context` each one carries is the core's); the queue never copies, and drained blocks go to the
 * collector. `cancel` marks a slot gone, which `shift` skips, so aborting
 * a waiting task is O(1).
 */
export class TaskQueue<P> {
  #head = new Block();
  #tail = this.#head;
  #live = 0;

  /** Tasks waiting, cancelled ones excluded. */
  get length(): number {
    return this.#live;
  }

  /** The slot the next `push` will fill. */
  nextSlot(): Slot {
    if (this.#tail.write === BLOCK_SLOTS) this.#append();
    return { block: this.#tail, index: this.#tail.write };
  }

  push(
    payload: P,
    mode: Mode,
    resolve: Resolve | undefined,
    reject: Reject | undefined,
    signal: AbortSignal | undefined,
    onAbort: (() => void) | undefined,
    context?: AsyncResource,
    calledAt = 0,
  ): void {
    if (this.#tail.write === BLOCK_SLOTS) this.#append();
    const block = this.#tail;
    block.items.push(payload, mode, resolve, reject, signal, onAbort, context);
    if (calledAt !== 0 || block.calledAt !== undefined) {
      block.calledAt ??= [];
      block.calledAt[block.write] = calledAt;
    }
    block.write++;
    this.#live++;
  }

  #append(): void {
    const block = new Block();
    this.#tail.next = block;
    this.#tail = block;
  }

  /** The signal of the oldest live task; undefined when it has none or none waits. */
  peekSignal(): AbortSignal | undefined {
    for (let block: Block | undefined = this.#head; block !== undefined; block = block.next) {
      for (let index = block.read; index < block.write; index++) {
        const at = index * STRIDE;
        if (block.items[at + MODE] !== GONE)
          return block.items[at + SIGNAL] as AbortSignal | undefined;
      }
    }
    return undefined;
  }

  /** Moves the oldest live task into `into`; false when none waits. */
  shift(into: WaitingTask<P>): boolean {
    for (;;) {
      let block = this.#head;
      if (block.read === block.write) {
        if (block.next === undefined) {
          if (block.write > 0) this.#head = this.#tail = new Block(); // let the drained one go
          return false;
        }
        block = this.#head = block.next;
        continue;
      }
      const index = block.read++;
      if (block.items[index * STRIDE + MODE] === GONE) continue;
      this.#take(block, index, into);
      return true;
    }
  }

  /** Removes the task pushed at `slot` into `into`; false when it already left the queue. */
  cancel(slot: Slot, into: WaitingTask<P>): boolean {
    const { block, index } = slot;
    if (index >= block.write || block.items[index * STRIDE + MODE] === GONE) return false;
    this.#take(block, index, into);
    return true;
  }

  #take(block: Block, index: number, into: WaitingTask<P>): void {
    const items = block.items;
    const at = index * STRIDE;
    into.payload = items[at + PAYLOAD] as P;
    into.mode = items[at + MODE] as Mode;
    into.resolve = items[at + RESOLVE] as Resolve;
    into.reject = items[at + REJECT] as Reject;
    into.signal = items[at + SIGNAL] as AbortSignal | undefined;
    into.onAbort = items[at + ON_ABORT] as (() => void) | undefined;
    into.context = items[at + CONTEXT] as AsyncResource | undefined;
    into.calledAt = block.calledAt?.[index] ?? 0;
    items[at + PAYLOAD] = items[at + RESOLVE] = items[at + REJECT] = undefined;
    items[at + SIGNAL] = items[at + ON_ABORT] = items[at + CONTEXT] = undefined;
    items[at + MODE] = GONE;
    this.#live--;
  }
}
