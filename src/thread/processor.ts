import { isThenable } from '../internal/task.js';
import { serializeError } from './error-codec.js';
import { type FromThread, type RunMessage, WAKE } from './messages.js';
import { CLAIMING, type Claimed, HALT, REPORTING, RunQueue, SLEEP } from './run-queue.js';

const SPIN_MS = 0.05;
/** A parked thread blocks this long at a time, yielding to its event loop in between… */
const DOZE_MS = 1;
/** …this many times in a row before it parks with waitAsync, which may take ms to wake. */
const DOZES = 20;
/** While its tasks await with room for more, a thread looks for work to steal this often. */
const STEAL_POLL_MS = 1;

/** Calls export `name` of the task module with `arg`. */
export type RunTask = (name: string, arg: unknown) => unknown;

/** When a thread recycles itself (Infinity: never). */
export interface Recycling {
  maxTasks: number;
  maxHeapUsed: number;
}

/**
 * A thread's half of the scheduler (Go's P and its M): runs stolen tasks, then tasks that came
 * through the port, then its own run queue; when all are empty it steals half of the busiest
 * peer's queue, and only then parks on its SLEEP word: a short blocking wait first, then
 * `Atomics.waitAsync`, which keeps its event loop (the port, timers) turning. Up to
 * `concurrentTasksPerThread` tasks are started and not ended at once (Go's netpoller: a task
 * that awaits leaves the thread to the next), each named by a STARTED word; synchronous code
 * runs one task at a time, and an exclusive task runs alone. Every task is taken by CAS on the
 * word that decides it (see run-queue.ts), under CLAIMING, so main can take back whatever this
 * thread has not started.
 */
export class Processor {
  readonly #own: RunQueue;
  readonly #stealing: boolean;
  readonly #post: (message: FromThread) => void;
  readonly #stashRoom: number;
  readonly #lowWater: number;
  readonly #recycling: Recycling;
  #peers: RunQueue[] = [];
  #run: RunTask | undefined;
  readonly #mail: RunMessage[] = [];
  readonly #stash: Claimed = { ids: [], names: [], args: [] };
  #stashFrom = 0;
  #stashTo = 0;
  // The task #claim took: its id is in STARTED word #nextAt.
  readonly #next: Claimed = { ids: [0], names: [''], args: [undefined] };
  #nextAt = 0;
  #nextAlone = false;
  readonly #free: number[] = []; // STARTED words not in use
  #inFlight = 0; // tasks started and not ended
  #alone = false; // an exclusive task runs: nothing else starts until it ends
  #begun = 0; // tasks started, for maxTasks
  #halted = false; // this thread raised its own HALT to recycle itself
  #toldRecycled = false;
  #deferred = 0; // completions in the ring that main was not told of
  #parked = false;
  #polling = false; // a timer looks for work to steal while tasks await
  #dozes = 0;
  #stopping = false;

  constructor(
    own: RunQueue,
    stealing: boolean,
    post: (message: FromThread) => void,
    recycling: Recycling = { maxTasks: Infinity, maxHeapUsed: Infinity },
  ) {
    this.#own = own;
    this.#stealing = stealing;
    this.#post = post;
    this.#recycling = recycling;
    this.#stashRoom = own.capacity >> 1;
    this.#lowWater = own.capacity >> 2;
    for (let at = own.concurrency - 1; at >= 0; at--) this.#free.push(at);
  }

  /** The module loaded: tasks run from now on. */
  start(run: RunTask): void {
    this.#run = run;
    this.#loop();
  }

  /** A task that came through the port. */
  mail(message: RunMessage): void {
    this.#mail.push(message);
    this.#loop();
  }

  peers(queues: SharedArrayBuffer[]): void {
    this.#peers = queues.map((buffer) => new RunQueue(buffer));
  }

  /** Exit once the tasks started (and a committed one) are done; take nothing more. */
  stop(): void {
    this.#stopping = true;
    if (this.#run === undefined && !this.#mail.some(isCommitted)) process.exit(0);
    this.#loop();
  }

  readonly #loop = (): void => {
    if (this.#run === undefined) return;
    for (;;) {
      while (this.#hasRoom() && this.#runNext()) {}
      if (this.#inFlight > 0) {
        // Tasks await: their ends call the loop again. With room left, new work may start
        // meanwhile, but waiting for it must leave the event loop to the tasks.
        const full = !this.#hasRoom() || this.#stopping || this.#own.word(HALT) !== 0;
        if (full) this.#flush();
        if (full || this.#parkAsync()) return;
        continue;
      }
      if (this.#halted) this.#tellRecycled();
      if (this.#stopping) process.exit(0);
      if (this.#park()) return;
    }
  };

  #hasRoom(): boolean {
    return this.#inFlight < this.#own.concurrency && !this.#alone;
  }

  // Starts one task; false when there was none to start.
  #runNext(): boolean {
    if (!this.#beginClaim()) return this.#runCommitted();
    const claimed = this.#claim();
    this.#endClaim();
    if (!claimed) return false;
    const next = this.#next;
    this.#execute(next.ids[0]!, next.names[0]!, next.args[0], this.#nextAt, this.#nextAlone);
    return true;
  }

  // False when main has retired this thread, or it recycles itself: it must take nothing more.
  #beginClaim(): boolean {
    this.#own.setWord(CLAIMING, 1);
    if (this.#own.word(HALT) === 0) return true;
    this.#endClaim();
    return false;
  }

  #endClaim(): void {
    this.#own.setWord(CLAIMING, 0);
  }

  // Retired: main took back every port task but the one it committed to this thread, if any.
  #runCommitted(): boolean {
    for (;;) {
      const message = this.#mail.shift();
      if (message === undefined) return false;
      if (!isCommitted(message)) continue;
      const at = this.#startAt(message.id);
      this.#execute(message.id, message.name, message.arg, at, message.exclusive);
      return true;
    }
  }

  // Records task `id` as started in a free STARTED word (under CLAIMING); returns the word.
  #startAt(id: number): number {
    const at = this.#free.pop()!;
    this.#own.setStarted(at, id);
    if (++this.#begun >= this.#recycling.maxTasks) this.#recycle();
    return at;
  }

  // Takes the next task into #next and a STARTED word: stolen ones, port ones, then the own
  // queue, then a steal. Each is decided by CAS, so a task main took back is skipped.
  #claim(): boolean {
    const own = this.#own;
    this.#nextAlone = false;
    for (;;) {
      if (this.#claimStashed() || this.#claimMail()) return true;
      if (this.#waitsToRunAlone()) return false;
      if (own.claim(this.#next, 0, 1) === 1) {
        this.#nextAt = this.#startAt(this.#next.ids[0]!);
        return true;
      }
      if (!this.#stealing || this.#stopping || !this.#steal()) return false;
    }
  }

  #claimStashed(): boolean {
    const { ids, names, args } = this.#stash;
    while (this.#stashFrom < this.#stashTo) {
      const at = this.#stashFrom++;
      const arg = args[at];
      args[at] = undefined;
      if (!this.#own.startStashed(at, ids[at]!)) continue; // main took it back
      this.#hold(ids[at]!, names[at]!, arg);
      return true;
    }
    return false;
  }

  #claimMail(): boolean {
    for (;;) {
      const message = this.#mail[0];
      if (message === undefined || this.#waitsToRunAlone()) return false;
      this.#mail.shift();
      if (!message.committed && !this.#own.claimMail(message.seq)) continue; // taken back
      this.#hold(message.id, message.name, message.arg);
      this.#nextAlone = message.exclusive;
      return true;
    }
  }

  // An exclusive port task is next: it starts once the tasks in flight end, and nothing else
  // starts before it (but stolen tasks already recorded in the stash).
  #waitsToRunAlone(): boolean {
    const message = this.#mail[0];
    if (message === undefined || !message.exclusive || this.#inFlight === 0) return false;
    return message.committed || !this.#own.mailDecided(message.seq);
  }

  #hold(id: number, name: string, arg: unknown): void {
    const next = this.#next;
    next.ids[0] = id;
    next.names[0] = name;
    next.args[0] = arg;
    this.#nextAt = this.#startAt(id);
  }

  #execute(id: number, name: string, arg: unknown, at: number, alone: boolean): void {
    this.#next.args[0] = undefined;
    this.#inFlight++;
    this.#alone = alone;
    let value: unknown;
    try {
      value = this.#run!(name, arg);
    } catch (err) {
      this.#end(id, at, false, err);
      return;
    }
    if (!isThenable(value)) {
      this.#end(id, at, true, value);
      return;
    }
    this.#flush();
    Promise.resolve(value).then(
      (result) => this.#resume(id, at, true, result),
      (err: unknown) => this.#resume(id, at, false, err),
    );
  }

  #resume(id: number, at: number, ok: boolean, value: unknown): void {
    this.#end(id, at, ok, value);
    this.#loop();
  }

  #end(id: number, at: number, ok: boolean, value: unknown): void {
    this.#report(id, at, ok, value);
    this.#free.push(at);
    this.#inFlight--;
    this.#alone = false; // an exclusive task ran alone: whatever ended was it
    const { maxHeapUsed } = this.#recycling;
    if (maxHeapUsed !== Infinity && process.memoryUsage().heapUsed > maxHeapUsed) this.#recycle();
  }

  // maxTasksPerThread or maxHeapUsedPerThread: claim nothing more (HALT, as if main retired
  // it); main is told once the tasks started end, and takes back the rest.
  #recycle(): void {
    if (this.#halted) return;
    this.#halted = true;
    this.#own.setWord(HALT, 1);
  }

  #tellRecycled(): void {
    if (this.#toldRecycled) return;
    this.#toldRecycled = true;
    this.#flush();
    this.#post({ type: 'recycle' });
  }

  // REPORTING covers the publishing: a thread that dies meanwhile has its task failed, not lost.
  #report(id: number, at: number, ok: boolean, value: unknown): void {
    const own = this.#own;
    own.setWord(REPORTING, id);
    own.setStarted(at, -1);
    if (ok && this.#own.pushDone(id, value)) this.#deferCompletion();
    else if (ok) {
      try {
        this.#post({ type: 'result', id, ok, value });
      } catch (err) {
        this.#post({ type: 'result', id, ok: false, error: serializeError(err) }); // DataCloneError
      }
    } else this.#post({ type: 'result', id, ok, error: serializeError(value) });
    own.setWord(REPORTING, -1);
  }

  /*
   * Waking main costs the thread ~5 us and main a message. While this thread has tasks queued,
   * completions wait for the queue to run low (main then refills it); main polls the rings every
   * millisecond while the pool is busy, so a result waits at most that long. A time limit here
   * too woke main twice as often under ~0.3 ms tasks, for no gain in latency.
   */
  #deferCompletion(): void {
    this.#deferred++;
    const queued = this.#own.size + this.#stashTo - this.#stashFrom + this.#mail.length;
    if (queued <= this.#lowWater) this.#flush();
  }

  #flush(): void {
    if (this.#deferred === 0) return;
    this.#deferred = 0;
    if (this.#own.signal()) this.#post(WAKE); // one wake-up covers every completion not read
  }

  // Go's runqsteal: half of the busiest peer's queue, recorded in our stash before it runs.
  // Called under CLAIMING with the stash empty.
  #steal(): boolean {
    let victim: RunQueue | undefined;
    let most = 0;
    for (const peer of this.#peers) {
      const size = peer.size;
      if (size > most) {
        most = size;
        victim = peer;
      }
    }
    if (victim === undefined) return false;
    const count = victim.claim(this.#stash, 0, Math.min(most - (most >> 1), this.#stashRoom));
    this.#own.recordStash(this.#stash.ids, count);
    this.#stashFrom = 0;
    this.#stashTo = count;
    return count > 0;
  }

  // True when the loop must return: the thread parked or yields to its event loop. SLEEP is set
  // before the last look, and main clears it before it notifies, so a task queued in between is
  // never missed.
  #park(): boolean {
    this.#flush();
    if (this.#parked) return true;
    if (this.#spin()) return false;
    return this.#sleep(this.#dozes < DOZES);
  }

  // Tasks await with room for more: wait for work without blocking the event loop they need
  // (no spin, no blocking doze). Main's push clears SLEEP and notifies, as for a parked thread;
  // a peer's queue is looked at again every STEAL_POLL_MS, as a dozing thread would.
  #parkAsync(): boolean {
    this.#flush();
    if (this.#stealing && this.#peers.length > 0 && !this.#polling) {
      this.#polling = true;
      setTimeout(this.#poll, STEAL_POLL_MS);
    }
    return this.#parked || this.#sleep(false);
  }

  readonly #poll = (): void => {
    this.#polling = false;
    if (this.#inFlight > 0) this.#loop();
  };

  #sleep(doze: boolean): boolean {
    const own = this.#own;
    own.setWord(SLEEP, 1);
    if (this.#hasWork()) {
      own.setWord(SLEEP, 0);
      return false;
    }
    if (doze) return this.#doze();
    const wait = Atomics.waitAsync(own.memory.i32, SLEEP, 1);
    if (!wait.async) return false;
    this.#parked = true;
    void wait.value.then(this.#wake);
    return true;
  }

  // A futex wait: main's notify wakes it at once (waitAsync's wake-up goes through the event
  // loop and was measured taking milliseconds at times). Main notifies after each message too;
  // with no queued work the thread yields to its event loop to read it, then dozes again.
  #doze(): boolean {
    const own = this.#own;
    const result = Atomics.wait(own.memory.i32, SLEEP, 1, DOZE_MS);
    own.setWord(SLEEP, 0);
    this.#dozes = result === 'timed-out' ? this.#dozes + 1 : 0;
    if (this.#hasWork()) return false;
    setImmediate(this.#loop);
    return true;
  }

  // Go's spinning M: a thread that ran dry looks for work a little longer before it sleeps.
  // Waking a parked thread and the main thread behind it costs ~20 us on a VM; a task that
  // comes within the spin costs ~5 us.
  #spin(): boolean {
    const until = performance.now() + SPIN_MS;
    do {
      if (this.#hasWork()) return true;
    } while (performance.now() < until);
    return false;
  }

  readonly #wake = (): void => {
    this.#parked = false;
    this.#dozes = 0;
    this.#loop();
  };

  // Tasks this thread could claim now. A halted thread claims nothing, though its ring may hold
  // tasks until main takes them back (a recycling thread's).
  #hasWork(): boolean {
    if (this.#own.word(HALT) !== 0 || this.#waitsToRunAlone()) return false;
    return this.#own.size > 0 || this.#stealable();
  }

  #stealable(): boolean {
    if (!this.#stealing || this.#stopping) return false;
    for (const peer of this.#peers) if (peer.size > 0) return true;
    return false;
  }
}

function isCommitted(message: RunMessage): boolean {
  return message.committed;
}
