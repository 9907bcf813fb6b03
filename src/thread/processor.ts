import { isThenable } from '../internal/task.js';
import { serializeError } from './error-codec.js';
import { type FromThread, type RunMessage, WAKE } from './messages.js';
import {
  CANCEL_SEQ,
  CLAIMING,
  type Claimed,
  HALT,
  RUNNING,
  RunQueue,
  SLEEP,
  STARTED_SEQ,
  STASH,
  STASH_FROM,
  STASH_TO,
} from './run-queue.js';

const SPIN_MS = 0.05;
/** A parked thread blocks this long at a time, yielding to its event loop in between… */
const DOZE_MS = 1;
/** …this many times in a row before it parks with waitAsync, which may take ms to wake. */
const DOZES = 20;

/** Calls export `name` of the task module with `arg`. */
export type RunTask = (name: string, arg: unknown) => unknown;

/**
 * A thread's half of the scheduler (Go's P and its M): runs stolen tasks, then tasks that came
 * through the port, then its own run queue; when all are empty it steals half of the busiest
 * peer's queue, and only then parks on its SLEEP word: a short blocking wait first, then
 * `Atomics.waitAsync`, which keeps its event loop (the port, timers) turning. One task runs at a
 * time.
 */
export class Processor {
  readonly #own: RunQueue;
  readonly #stealing: boolean;
  readonly #post: (message: FromThread) => void;
  readonly #stashRoom: number;
  readonly #lowWater: number;
  #peers: RunQueue[] = [];
  #run: RunTask | undefined;
  readonly #mail: RunMessage[] = [];
  readonly #stash: Claimed = { ids: [], names: [], args: [] };
  #stashFrom = 0;
  #stashTo = 0;
  readonly #one: Claimed = { ids: [0], names: [''], args: [undefined] };
  #deferred = 0; // completions in the ring that main was not told of
  #awaiting = false;
  #parked = false;
  #dozes = 0;
  #stopping = false;

  constructor(own: RunQueue, stealing: boolean, post: (message: FromThread) => void) {
    this.#own = own;
    this.#stealing = stealing;
    this.#post = post;
    this.#stashRoom = own.capacity >> 1;
    this.#lowWater = own.capacity >> 2;
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

  /**
   * The pool closed: give up every task held and not started. With none running, the oldest
   * task held counts as started (it was handed over first) and runs.
   */
  drop(): void {
    if (!this.#beginClaim()) return; // being terminated: main sorts out what it held
    const ids: number[] = [];
    let keep = !this.#awaiting;
    if (this.#stashFrom < this.#stashTo) {
      const from = this.#stashFrom + (keep ? 1 : 0);
      for (let at = from; at < this.#stashTo; at++) ids.push(this.#stash.ids[at]!);
      this.#stashTo = from;
      this.#own.setWord(STASH_TO, from);
      keep = false;
    }
    for (const message of this.#mail.splice(keep ? 1 : 0)) ids.push(message.id);
    if (keep && this.#mail.length === 0) this.#stealFrom(this.#own, 1);
    ids.push(...this.#own.claimAll());
    this.#post({ type: 'dropped', ids }); // sent before the claim ends: main reads it at exit
    this.#endClaim();
  }

  /** Exit once the tasks held are done; steal no more. */
  stop(): void {
    this.#stopping = true;
    if (this.#run === undefined) process.exit(0);
    this.#loop();
  }

  readonly #loop = (): void => {
    if (this.#run === undefined || this.#awaiting) return;
    for (;;) {
      while (this.#next()) {}
      if (this.#awaiting) return;
      if (this.#stopping) process.exit(0);
      if (this.#park()) return;
    }
  };

  // Runs one task; false when there was none or it went async.
  #next(): boolean {
    if (this.#stashFrom < this.#stashTo) return this.#runStashed();
    if (this.#mail.length > 0) return this.#runMail(this.#mail.shift()!);
    if (!this.#beginClaim()) return false;
    const one = this.#one;
    const claimed = this.#own.claim(one, 0, 1) === 1;
    if (claimed) this.#own.setWord(RUNNING, one.ids[0]!);
    this.#endClaim();
    if (claimed) return this.#execute(one.ids[0]!, one.names[0]!, one.args[0]);
    return this.#stealing && !this.#stopping && this.#steal();
  }

  // False when main is terminating this thread: it must take nothing more.
  #beginClaim(): boolean {
    this.#own.setWord(CLAIMING, 1);
    if (this.#own.word(HALT) === 0) return true;
    this.#endClaim();
    return false;
  }

  #endClaim(): void {
    this.#own.setWord(CLAIMING, 0);
  }

  #runStashed(): boolean {
    const at = this.#stashFrom;
    const { ids, names, args } = this.#stash;
    const arg = args[at];
    args[at] = undefined;
    this.#own.setWord(RUNNING, ids[at]!); // before it leaves the stash: main must see it somewhere
    this.#takeStash(at + 1);
    return this.#execute(ids[at]!, names[at]!, arg);
  }

  #takeStash(from: number): void {
    this.#stashFrom = from;
    this.#own.setWord(STASH_FROM, from);
  }

  #runMail({ id, seq, name, arg }: RunMessage): boolean {
    if (seq > 0) {
      this.#own.setWord(RUNNING, id);
      this.#own.setWord(STARTED_SEQ, seq); // before reading CANCEL_SEQ; main does the reverse
      if (seq <= this.#own.word(CANCEL_SEQ)) {
        this.#own.setWord(RUNNING, -1);
        this.#post({ type: 'skipped', id });
        return true;
      }
    }
    return this.#execute(id, name, arg);
  }

  #execute(id: number, name: string, arg: unknown): boolean {
    this.#own.setWord(RUNNING, id);
    let value: unknown;
    try {
      value = this.#run!(name, arg);
    } catch (err) {
      this.#report(id, false, err);
      return true;
    }
    if (!isThenable(value)) {
      this.#report(id, true, value);
      return true;
    }
    this.#awaiting = true;
    this.#flush();
    Promise.resolve(value).then(
      (result) => this.#resume(id, true, result),
      (err: unknown) => this.#resume(id, false, err),
    );
    return false;
  }

  #resume(id: number, ok: boolean, value: unknown): void {
    this.#report(id, ok, value);
    this.#awaiting = false;
    this.#loop();
  }

  // The report comes before RUNNING is cleared: a thread that dies in between has its task
  // settled by the report, never lost.
  #report(id: number, ok: boolean, value: unknown): void {
    if (ok && this.#own.pushDone(id, value)) this.#deferCompletion();
    else if (ok) {
      try {
        this.#post({ type: 'result', id, ok, value });
      } catch (err) {
        this.#post({ type: 'result', id, ok: false, error: serializeError(err) }); // DataCloneError
      }
    } else this.#post({ type: 'result', id, ok, error: serializeError(value) });
    this.#own.setWord(RUNNING, -1);
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
    if (victim === undefined || !this.#beginClaim()) return false;
    this.#stealFrom(victim, Math.min(most - (most >> 1), this.#stashRoom));
    this.#endClaim();
    return true;
  }

  // Claims up to `max` tasks of `queue` into the empty stash, recorded where main can read them.
  #stealFrom(queue: RunQueue, max: number): void {
    const own = this.#own;
    own.setWord(STASH_TO, 0); // keep the recorded range empty meanwhile
    this.#takeStash(0);
    const count = queue.claim(this.#stash, 0, max);
    for (let at = 0; at < count; at++) own.setWord(STASH + at, this.#stash.ids[at]!);
    own.setWord(STASH_TO, count);
    this.#stashTo = count;
  }

  // True when the loop must return: the thread parked or yields to its event loop. SLEEP is set
  // before the last look, and main clears it before it notifies, so a task queued in between is
  // never missed.
  #park(): boolean {
    this.#flush();
    if (this.#parked) return true;
    if (this.#spin()) return false;
    const own = this.#own;
    own.setWord(SLEEP, 1);
    if (own.size > 0 || this.#stealable()) {
      own.setWord(SLEEP, 0);
      return false;
    }
    if (this.#dozes < DOZES) return this.#doze();
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
    if (own.size > 0 || this.#stealable()) return false;
    setImmediate(this.#loop);
    return true;
  }

  // Go's spinning M: a thread that ran dry looks for work a little longer before it sleeps.
  // Waking a parked thread and the main thread behind it costs ~20 us on a VM; a task that
  // comes within the spin costs ~5 us.
  #spin(): boolean {
    const until = performance.now() + SPIN_MS;
    do {
      if (this.#own.size > 0 || this.#stealable()) return true;
    } while (performance.now() < until);
    return false;
  }

  readonly #wake = (): void => {
    this.#parked = false;
    this.#dozes = 0;
    this.#loop();
  };

  #stealable(): boolean {
    if (!this.#stealing || this.#stopping || this.#own.word(HALT) !== 0) return false;
    for (const peer of this.#peers) if (peer.size > 0) return true;
    return false;
  }
}
