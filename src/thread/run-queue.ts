import { decode, encode, HEADER_BYTES, SharedMemory } from './codec.js';
import { readChars, writeChars } from './plain-data.js';

/**
 * One thread's local run queue, in a SharedArrayBuffer that the main thread and every thread of
 * the pool map (Go's P). The main thread is the only producer of tasks; the owner thread and
 * thieves consume them by a compare-and-swap on `head`, reading a slot before claiming it, so a
 * slot the producer reuses in the meantime only costs the reader a retry (Go's runqgrab).
 * Completions go the other way through a single-producer ring of their own.
 *
 * Every place a task can wait unstarted has one word that decides who takes it, by CAS: `HEAD`
 * for the ring, one `STASH` word per stolen task, `MAIL` for tasks sent through the port. The
 * owner thread takes a task to start it; main takes it back (release, retire, death, abort).
 * docs/scheduler.md, "Ownership", states the rules.
 */

const LINE = 16; // int32 words per 64-byte cache line: counters written by different threads
// never share a line.
/** Next task to claim: advanced by the owner thread, thieves and (on close or death) main. */
const HEAD = 0;
/** Next free task slot: written by main only. */
const TAIL = LINE;
/** 1 while the owner thread is parked (or about to park) waiting for work. */
export const SLEEP = 2 * LINE;
/** 1 while main has a wake-up message on its way: completions are coalesced behind it. */
export const SIGNAL = 3 * LINE;
const DONE_HEAD = 4 * LINE;
const DONE_TAIL = 5 * LINE;
/**
 * First control word of the line that holds MAIL..CONCURRENCY. The ids of the tasks the owner
 * thread has started and not finished live in the STARTED words, one per task it may run at
 * once (`concurrentTasksPerThread`), -1 when free. A STARTED word is set under CLAIMING and
 * cleared when its task ends, before its result is published: once main has a result, no
 * STARTED word names that task (an id is reused as soon as its task settled).
 */
const CONTROL = 6 * LINE;
/**
 * Port tasks carry sequence numbers 1, 2, …: those up to MAIL are decided (started by the thread,
 * or taken back by main). Either side decides the next one by CAS from seq - 1 to seq; main takes
 * back every undecided one at once by moving MAIL to the last seq it sent.
 */
const MAIL = CONTROL + 1;
/** Stolen tasks are the ids in STASH + [0, STASH_TO); a started or taken-back one reads -1. */
const STASH_TO = CONTROL + 2;
/**
 * 1 once main retires or terminates the thread, or the thread recycles itself: it claims,
 * steals and starts nothing more.
 */
export const HALT = CONTROL + 3;
/**
 * 1 while the thread claims or starts tasks and records them (STARTED, STASH). It is set before
 * HALT is read, and main waits for it to drop after raising HALT: then whatever the thread took
 * is recorded, and it takes nothing more.
 */
export const CLAIMING = CONTROL + 4;
/** Id of the task whose result the thread is publishing, or -1: a death meanwhile fails it. */
export const REPORTING = CONTROL + 5;
const CAPACITY = CONTROL + 6;
/** How many STARTED words there are: tasks the owner thread may run at once. */
const CONCURRENCY = CONTROL + 7;
const STASH = 7 * LINE;
/** What a STASH word reads once its task was started or taken back. */
const TAKEN = -1;

const SLOT_BYTES = 256;
const VALUE_AT = 8; // slot: id, name length, then the encoded value; the name sits at the end
const VALUE_ROOM = SLOT_BYTES - VALUE_AT - HEADER_BYTES;
const MAX_CAPACITY = 1024;
const DEFAULT_NAME = -1;

/** A claimed task, decoded. */
export interface Claimed {
  ids: number[];
  names: string[];
  args: unknown[];
}

export class RunQueue {
  readonly memory: SharedMemory;
  readonly capacity: number;
  /** Tasks the owner thread may have started and not finished at once: its STARTED words. */
  readonly concurrency: number;
  readonly #started: number; // word index of the STARTED words
  readonly #mask: number;
  readonly #slots: number; // byte offset of the task slots
  readonly #done: number; // byte offset of the completion slots
  readonly #doneCapacity: number;
  #scratch: SharedMemory<ArrayBuffer> | undefined; // this thread's copy of slots it claims

  /**
   * A queue for `size` tasks at most (rounded up to a power of two, at most 1024), whose owner
   * runs up to `concurrency` of them at once.
   */
  static create(size: number, concurrency = 1): RunQueue {
    const capacity = Math.min(MAX_CAPACITY, 2 ** Math.ceil(Math.log2(Math.max(2, size))));
    const words = STASH + stashWords(capacity) + lines(concurrency);
    const bytes = words * 4 + capacity * 3 * SLOT_BYTES;
    const i32 = new Int32Array(new SharedArrayBuffer(bytes));
    i32[CAPACITY] = capacity;
    i32[CONCURRENCY] = concurrency;
    i32.fill(-1, STASH + stashWords(capacity), STASH + stashWords(capacity) + concurrency);
    i32[REPORTING] = -1;
    return new RunQueue(i32.buffer as SharedArrayBuffer);
  }

  /** Maps a queue made by {@link create}, in this thread or another. */
  constructor(buffer: SharedArrayBuffer) {
    this.memory = new SharedMemory(buffer);
    this.capacity = this.memory.i32[CAPACITY]!;
    this.concurrency = this.memory.i32[CONCURRENCY]!;
    this.#mask = this.capacity - 1;
    this.#started = STASH + stashWords(this.capacity);
    this.#slots = (this.#started + lines(this.concurrency)) * 4;
    this.#done = this.#slots + this.capacity * SLOT_BYTES;
    this.#doneCapacity = this.capacity * 2;
  }

  get buffer(): SharedArrayBuffer {
    return this.memory.buffer;
  }

  /** Tasks waiting to be claimed. */
  get size(): number {
    const { i32 } = this.memory;
    return (Atomics.load(i32, TAIL) - Atomics.load(i32, HEAD)) | 0;
  }

  word(index: number): number {
    return Atomics.load(this.memory.i32, index);
  }

  setWord(index: number, value: number): void {
    Atomics.store(this.memory.i32, index, value);
  }

  /** Thread: records that STARTED word `at` names task `id` (under CLAIMING), or none (-1). */
  setStarted(at: number, id: number): void {
    Atomics.store(this.memory.i32, this.#started + at, id);
  }

  /** The task STARTED word `at` names, or -1. */
  started(at: number): number {
    return Atomics.load(this.memory.i32, this.#started + at);
  }

  /** Main: true when the owner thread has started task `id` and not finished it. */
  isStarted(id: number): boolean {
    for (let at = 0; at < this.concurrency; at++) if (this.started(at) === id) return true;
    return false;
  }

  /** Main: true when the owner thread runs no task. */
  runsNothing(): boolean {
    for (let at = 0; at < this.concurrency; at++) if (this.started(at) >= 0) return false;
    return true;
  }

  /** Main: queues task `id`. False when the queue is full or the argument must take the port. */
  push(id: number, name: string, arg: unknown): boolean {
    const { i32 } = this.memory;
    const tail = i32[TAIL]!; // only main writes it
    if (((tail - Atomics.load(i32, HEAD)) | 0) >= this.capacity) return false;
    const slot = this.#slots + (tail & this.#mask) * SLOT_BYTES;
    let room = VALUE_ROOM;
    if (name === 'default') i32[(slot >> 2) + 1] = DEFAULT_NAME;
    else {
      room -= name.length * 2;
      if (room < 0) return false;
      i32[(slot >> 2) + 1] = name.length;
      writeChars(this.memory, slot + SLOT_BYTES - name.length * 2, name);
    }
    if (!encode(this.memory, slot + VALUE_AT, room, arg)) return false;
    i32[slot >> 2] = id;
    Atomics.store(i32, TAIL, tail + 1);
    return true;
  }

  /** Thread: true when main must be told of completions (no wake-up is on its way yet). */
  signal(): boolean {
    return Atomics.compareExchange(this.memory.i32, SIGNAL, 0, 1) === 0;
  }

  /** Main: wakes the owner thread if it is parked. */
  wake(): void {
    const { i32 } = this.memory;
    if (Atomics.load(i32, SLEEP) === 0) return;
    Atomics.store(i32, SLEEP, 0);
    Atomics.notify(i32, SLEEP);
  }

  /**
   * Claims up to `max` tasks from the head, decoded into `into` after its first `from` entries.
   * Returns how many (0 when the queue is empty). Safe against every other consumer.
   */
  claim(into: Claimed, from: number, max: number): number {
    const { i32, bytes } = this.memory;
    for (;;) {
      const head = Atomics.load(i32, HEAD);
      const available = (Atomics.load(i32, TAIL) - head) | 0;
      if (available <= 0) return 0;
      const count = Math.min(available, max);
      // Copied raw, decoded only once claimed: a slot the producer reuses meanwhile is torn,
      // and decoding torn bytes could throw or allocate anything.
      const scratch = this.#scratchMemory();
      for (let k = 0; k < count; k++) {
        const slot = this.#slots + ((head + k) & this.#mask) * SLOT_BYTES;
        bytes.copy(scratch.bytes, k * SLOT_BYTES, slot, slot + SLOT_BYTES);
      }
      if (Atomics.compareExchange(i32, HEAD, head, (head + count) | 0) !== head) continue;
      for (let k = 0; k < count; k++) read(scratch, k * SLOT_BYTES, into, from + k);
      return count;
    }
  }

  #scratchMemory(): SharedMemory<ArrayBuffer> {
    this.#scratch ??= new SharedMemory(new ArrayBuffer(this.capacity * SLOT_BYTES));
    return this.#scratch;
  }

  /** Main: claims every task waiting in the ring into `ids` (a thief may race it, by CAS). */
  claimAll(ids: number[]): void {
    const { i32 } = this.memory;
    for (;;) {
      const head = Atomics.load(i32, HEAD);
      const tail = i32[TAIL]!;
      const from = ids.length;
      for (let at = head; at !== tail; at = (at + 1) | 0) {
        ids.push(i32[(this.#slots + (at & this.#mask) * SLOT_BYTES) >> 2]!);
      }
      if (Atomics.compareExchange(i32, HEAD, head, tail) === head) return;
      ids.length = from;
    }
  }

  /** Thread: records stolen task ids (under CLAIMING, the stash empty). */
  recordStash(ids: readonly number[], count: number): void {
    const { i32 } = this.memory;
    for (let at = 0; at < count; at++) Atomics.store(i32, STASH + at, ids[at]!);
    Atomics.store(i32, STASH_TO, count);
  }

  /** Thread: takes stolen task `id`, recorded at `at`, to start it; false if main took it back. */
  startStashed(at: number, id: number): boolean {
    return Atomics.compareExchange(this.memory.i32, STASH + at, id, TAKEN) === id;
  }

  /** Main: takes back every stolen task not started into `ids`. */
  takeStash(ids: number[]): void {
    const { i32 } = this.memory;
    const to = Atomics.load(i32, STASH_TO);
    for (let at = 0; at < to; at++) {
      const id = Atomics.load(i32, STASH + at);
      if (id !== TAKEN && Atomics.compareExchange(i32, STASH + at, id, TAKEN) === id) ids.push(id);
    }
  }

  /** Either side: decides port task `seq` for itself (the thread starts it, main takes it back). */
  claimMail(seq: number): boolean {
    return Atomics.compareExchange(this.memory.i32, MAIL, (seq - 1) | 0, seq) === ((seq - 1) | 0);
  }

  /** True once port task `seq` is decided, by either side. */
  mailDecided(seq: number): boolean {
    return ((Atomics.load(this.memory.i32, MAIL) - seq) | 0) >= 0;
  }

  /** Main: takes back every undecided port task up to `sent`; returns the last decided before. */
  takeMail(sent: number): number {
    const { i32 } = this.memory;
    for (;;) {
      const decided = Atomics.load(i32, MAIL);
      if (((sent - decided) | 0) <= 0) return decided;
      if (Atomics.compareExchange(i32, MAIL, decided, sent) === decided) return decided;
    }
  }

  /** Thread: reports task `id` done with `value`. False when it must take the port. */
  pushDone(id: number, value: unknown): boolean {
    const { i32 } = this.memory;
    const tail = i32[DONE_TAIL]!; // only the owner thread writes it
    if (((tail - Atomics.load(i32, DONE_HEAD)) | 0) >= this.#doneCapacity) return false;
    const slot = this.#done + (tail & (this.#doneCapacity - 1)) * SLOT_BYTES;
    if (!encode(this.memory, slot + VALUE_AT, VALUE_ROOM, value)) return false;
    i32[slot >> 2] = id;
    Atomics.store(i32, DONE_TAIL, tail + 1);
    return true;
  }

  /** Main: hands every reported completion to `settle`, oldest first; returns how many. */
  takeDone(settle: (id: number, value: unknown) => void): number {
    const { i32 } = this.memory;
    let head = i32[DONE_HEAD]!; // only main writes it
    const tail = Atomics.load(i32, DONE_TAIL);
    const count = (tail - head) | 0;
    while (head !== tail) {
      const slot = this.#done + (head & (this.#doneCapacity - 1)) * SLOT_BYTES;
      const id = i32[slot >> 2]!;
      const value = decode(this.memory, slot + VALUE_AT);
      head = (head + 1) | 0;
      Atomics.store(i32, DONE_HEAD, head);
      settle(id, value);
    }
    return count;
  }
}

// Words of the stash: one per task a thief may take, half the capacity, whole cache lines.
function stashWords(capacity: number): number {
  return lines(capacity / 2);
}

function lines(words: number): number {
  return Math.ceil(words / LINE) * LINE;
}

// Decodes the task slot at byte `slot` of `memory` into entry `at` of `into`.
function read(
  memory: SharedMemory<ArrayBufferLike>,
  slot: number,
  into: Claimed,
  at: number,
): void {
  const { i32 } = memory;
  const nameLength = i32[(slot >> 2) + 1]!;
  into.ids[at] = i32[slot >> 2]!;
  into.names[at] =
    nameLength === DEFAULT_NAME
      ? 'default'
      : readChars(memory, slot + SLOT_BYTES - nameLength * 2, nameLength);
  into.args[at] = decode(memory, slot + VALUE_AT);
}
