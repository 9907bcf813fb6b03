/**
 * The model behind test/thread-pool-model.test.ts: random sequences of ThreadPool calls, played
 * on real threads over test/fixtures/model.mjs, with a record of what each task did (its
 * {@link Tape}) and of what main did and saw. The invariants judged over that record live in
 * test/thread-model-invariants.ts; they are exactly those of SPEC.md §8 and
 * notes/thread-lifecycle-semantics.md, and nothing the semantics leave open.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { ThreadPool } from '../src/thread/index.js';
import { fixture } from './thread-helpers.js';
import {
  type Config,
  type Kind,
  kindOf,
  queueSize,
  type Step,
  type TaskStep,
  taskCount,
  warmUp,
} from './thread-model-steps.js';

/** Word offsets of the fixture's record; test/fixtures/model.mjs has the same. */
export const Layout = {
  CLOCK: 0,
  KILL: 1,
  EPOCH: 2,
  STILL: 3,
  HEADER: 8,
  STRIDE: 8,
  STARTS: 0,
  START_TICK: 1,
  END_TICK: 2,
  THREAD: 3,
  THREAD_EPOCH: 4,
  DELAY: 5,
  START_MS: 6,
} as const;

/** Main's view of the shared record the fixture writes. */
export class Tape {
  readonly buffer: SharedArrayBuffer;
  readonly #words: Int32Array;
  readonly #floats: Float64Array;

  constructor(tasks: number) {
    this.buffer = new SharedArrayBuffer((Layout.HEADER + tasks * Layout.STRIDE) * 4);
    this.#words = new Int32Array(this.buffer);
    this.#floats = new Float64Array(this.buffer);
  }

  #word(id: number, field: number): number {
    return Atomics.load(this.#words, Layout.HEADER + id * Layout.STRIDE + field);
  }

  /** A tick of the clock every start and end in the threads also ticks. */
  tick(): number {
    return Atomics.add(this.#words, Layout.CLOCK, 1) + 1;
  }

  /** Bumps the epoch: threads that load the module from now on record the new one. */
  bumpEpoch(): number {
    return Atomics.add(this.#words, Layout.EPOCH, 1) + 1;
  }

  /** Tasks that never settle exit their thread. */
  kill(): void {
    Atomics.store(this.#words, Layout.KILL, 1);
    Atomics.notify(this.#words, Layout.KILL);
  }

  setDelay(id: number, ms: number): void {
    Atomics.store(this.#words, Layout.HEADER + id * Layout.STRIDE + Layout.DELAY, ms);
  }

  /** How many times the body of task `id` began. */
  starts(id: number): number {
    return this.#word(id, Layout.STARTS);
  }
  startTick(id: number): number {
    return this.#word(id, Layout.START_TICK);
  }
  /** 0 while the body has not ended. */
  endTick(id: number): number {
    return this.#word(id, Layout.END_TICK);
  }
  thread(id: number): number {
    return this.#word(id, Layout.THREAD);
  }
  /** The epoch the thread that ran task `id` loaded the module in. */
  threadEpoch(id: number): number {
    return this.#word(id, Layout.THREAD_EPOCH);
  }
  startMs(id: number): number {
    return this.#floats[(Layout.HEADER + id * Layout.STRIDE + Layout.START_MS) >> 1]!;
  }
}

export interface Outcome {
  ok: boolean;
  value: unknown;
  /** Main's clock tick when it saw the promise settle. */
  tick: number;
}

export interface TaskRecord {
  id: number;
  step: TaskStep;
  kind: Kind;
  offerTick: number;
  closedAtOffer: boolean;
  /** A nonblocking pool had room for it for sure: fewer offers than `cap` since it (re)opened. */
  roomAtOffer: boolean;
  controller: AbortController | undefined;
  abortTick: number;
  /** Aborted while the SPEC pins what an abort does: open pool, no release or tune down since. */
  abortPinned: boolean;
  promise: Promise<unknown>;
  outcome: Outcome | undefined;
}

/** The pool's capacity from `tick` on, once the tasks started before it ended. */
export interface Boundary {
  tick: number;
  cap: number;
  what: string;
}

export interface ReleaseRecord {
  step: number;
  tick: number;
  /** Threads that loaded the module before this release recorded an epoch below this one. */
  epoch: number;
  /** Run tasks offered before it and still pending a macrotask turn later. */
  pendingAfterTurn: Set<number> | undefined;
}

export interface IdleRecord {
  step: number;
  tick: number;
  tasksBefore: number;
  resolved: boolean;
  inFlight: string[];
}

export interface TimeoutRecord {
  step: number;
  tick: number;
  closedAtCall: boolean;
  promise: Promise<unknown>;
  outcome: Outcome | undefined;
}

export type Invariant =
  | 'settles'
  | 'outcome'
  | 'release'
  | 'prompt'
  | 'cap'
  | 'onIdle'
  | 'alive'
  | 'exit'
  | 'state'
  | 'overload'
  | 'lost';

export interface Violation {
  invariant: Invariant;
  detail: string;
}

export interface Bounds {
  /** How long every promise that must settle gets, after the sequence, before the test fails. */
  settleMs: number;
  /** How long the threads get to exit and let the process go once everything settled. */
  exitMs: number;
}

/** The `code` of an error, which the pool's errors all have. */
export const errorCode = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && 'code' in value
    ? String((value as { code: unknown }).code)
    : undefined;

/**
 * Waits until the event loop runs out of work ('dry': nothing keeps the process alive, which
 * would then exit) or until `ms` passed ('alive', on a timer that keeps nothing alive), while
 * `until` (if given) has not settled ('settled'). The process's IPC channel keeps nothing alive
 * meanwhile: the loop is the pool's alone.
 */
export function loopRunsDry(
  ms: number,
  until?: Promise<unknown>,
): Promise<'dry' | 'alive' | 'settled'> {
  process.channel?.unref();
  return new Promise<'dry' | 'alive' | 'settled'>((resolve) => {
    let ended = false;
    const end = (how: 'dry' | 'alive' | 'settled') => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      process.off('beforeExit', dry);
      process.channel?.ref();
      resolve(how);
    };
    const timer = setTimeout(() => end('alive'), ms).unref();
    const dry = () => end('dry');
    process.on('beforeExit', dry);
    // A loop that ran dry in an earlier wait must turn once more to be seen dry again.
    setImmediate(() => {});
    until?.then(() => end('settled'));
  });
}

/** The threads' environment: the process's, without V8 coverage (see the pool's options). */
const { NODE_V8_COVERAGE: _, ...threadEnv } = process.env;

/** The kinds of resource active now, for a report (the runner's own pipes left out). */
const alive = (): string =>
  process
    .getActiveResourcesInfo()
    .filter((kind) => kind !== 'PipeWrap')
    .join(', ') || 'nothing listed';

/**
 * Plays one sequence on a fresh pool and records everything the invariants need. It runs in a
 * process of its own (test/thread-model-runner.ts): while it waits on the pool, nothing else
 * keeps the event loop alive, and `beforeExit` tells when the process would exit.
 */
export class ModelRun {
  readonly tape: Tape;
  readonly pool: ThreadPool<number | string, unknown>;
  readonly tasks: TaskRecord[] = [];
  readonly boundaries: Boundary[];
  readonly releases: ReleaseRecord[] = [];
  readonly idles: IdleRecord[] = [];
  readonly timeouts: TimeoutRecord[] = [];
  readonly violations: Violation[] = [];
  /** Set once every promise that must settle did (or the bound ran out). */
  settled = false;
  #killed = false;
  #closed = false;
  #cap: number;
  #lastDisrupt = 0; // tick of the last release or tune down
  #offersSinceBoot = 0;
  #minCapSinceBoot: number;

  constructor(
    readonly config: Config,
    readonly sequence: Step[],
    readonly bounds: Bounds,
  ) {
    this.tape = new Tape(taskCount(config, sequence));
    this.#cap = this.#minCapSinceBoot = config.size;
    this.boundaries = [{ tick: 0, cap: config.size, what: 'the pool was created' }];
    const ignore = () => {}; // task errors and crashes are judged by their outcomes
    this.pool = new ThreadPool<number | string, unknown>({
      filename: fixture('model.mjs'),
      size: config.size,
      localQueueSize: queueSize(config),
      concurrentTasksPerThread: config.concurrentTasksPerThread,
      ...(config.recycle === 'tasks' ? { maxTasksPerThread: 3 } : {}),
      ...(config.recycle === 'heap' ? { maxHeapUsedPerThread: 1 } : {}),
      workStealing: config.workStealing,
      nonblocking: config.nonblocking,
      preAlloc: config.preAlloc,
      workerData: this.tape.buffer,
      // Threads load plain JavaScript: a TypeScript loader inherited from the test runner would
      // triple the cost of every thread. Under c8, each would also write a coverage report of
      // ~250 KB as it exits, hundreds per run; they run the build, not src/ that c8 reports on.
      execArgv: [],
      env: threadEnv,
      logger: { error: ignore },
      panicHandler: ignore,
      ...(config.taskTimeout === undefined ? {} : { taskTimeout: config.taskTimeout }),
      ...(config.expiryDuration === undefined ? {} : { expiryDuration: config.expiryDuration }),
      ...(config.leaky
        ? { resourceLimits: { maxOldGenerationSizeMb: 8, maxYoungGenerationSizeMb: 2 } }
        : {}),
    });
  }

  violate(invariant: Invariant, detail: string): void {
    this.violations.push({ invariant, detail });
  }

  /** Plays the steps: calls follow each other synchronously except `wait` and `await`. */
  async play(): Promise<void> {
    const warm = warmUp(this.config);
    if (warm !== undefined) {
      for (let i = 0; i < warm.copies; i++) this.#offer(warm);
      await this.#awaitAll(5000);
    }
    for (const [at, s] of this.sequence.entries()) {
      switch (s.op) {
        case 'task':
          for (let i = 0; i < s.copies; i++) this.#offer(s);
          break;
        case 'abort':
          this.#abortPick(s.pick);
          break;
        case 'await':
          await this.#awaitPick(s.pick);
          break;
        case 'tune':
          this.#tune(at, s.size);
          break;
        case 'release':
          this.#release(at);
          break;
        case 'releaseTimeout':
          this.#releaseTimeout(at, s.ms);
          break;
        case 'reboot':
          this.#reboot(at);
          break;
        case 'onIdle':
          this.#onIdle(at);
          break;
        case 'wait':
          if (s.ms === 0) await new Promise((resolve) => setImmediate(resolve));
          else await sleep(s.ms);
          break;
      }
    }
  }

  #offer(s: TaskStep): void {
    const id = this.tasks.length;
    const kind = kindOf(this.config, s);
    this.tape.setDelay(id, s.ms);
    const arg = s.port ? `${id}:${'x'.repeat(300)}` : id;
    const controller = s.signal ? new AbortController() : undefined;
    const opts =
      controller === undefined ? { name: kind } : { name: kind, signal: controller.signal };
    const t: TaskRecord = {
      id,
      step: s,
      kind,
      offerTick: this.tape.tick(),
      closedAtOffer: this.#closed,
      roomAtOffer: !this.#closed && this.#offersSinceBoot < this.#minCapSinceBoot,
      controller,
      abortTick: 0,
      abortPinned: false,
      promise: Promise.resolve(),
      outcome: undefined,
    };
    if (!this.#closed) this.#offersSinceBoot++;
    t.promise = s.mode === 'run' ? this.pool.run(arg, opts) : this.pool.invoke(arg, opts);
    const settle = (ok: boolean, value: unknown) => {
      if (this.#killed) return; // what the clean-up does is no part of the sequence
      t.outcome ??= { ok, value, tick: this.tape.tick() };
    };
    t.promise.then(
      (value) => settle(true, value),
      (err: unknown) => settle(false, err),
    );
    this.tasks.push(t);
  }

  #abortPick(pick: number): void {
    const abortable = this.tasks.filter((t) => t.controller !== undefined && t.abortTick === 0);
    const t = abortable[pick % Math.max(1, abortable.length)];
    if (t !== undefined) this.#abort(t);
  }

  // Awaits a task that settles by itself, for a second at most.
  async #awaitPick(pick: number): Promise<void> {
    const settling = this.tasks.filter((t) => t.kind !== 'hang' && t.outcome === undefined);
    const t = settling[pick % Math.max(1, settling.length)];
    if (t === undefined) return;
    const bound = new AbortController();
    await Promise.race([
      t.promise.catch(() => {}),
      sleep(1000, undefined, { signal: bound.signal }),
    ]);
    bound.abort();
  }

  // Awaits every task offered so far, for `ms` at most.
  async #awaitAll(ms: number): Promise<void> {
    const bound = new AbortController();
    const all = Promise.all(this.tasks.map((t) => t.promise.catch(() => {})));
    await Promise.race([all, sleep(ms, undefined, { signal: bound.signal })]);
    bound.abort();
  }

  #abort(t: TaskRecord): void {
    t.abortPinned = !this.#closed && this.#lastDisrupt < t.offerTick;
    t.controller!.abort(new Error(`abort of task #${t.id}`));
    t.abortTick = this.tape.tick();
  }

  #tune(at: number, size: number): void {
    const down = size < this.#cap;
    this.pool.tune(size);
    const tick = this.tape.tick();
    this.#cap = size;
    this.#minCapSinceBoot = Math.min(this.#minCapSinceBoot, size);
    if (down) this.#lastDisrupt = tick;
    this.boundaries.push({ tick, cap: size, what: `step ${at}: tune(${size})` });
    if (this.pool.cap !== size)
      this.violate('state', `after tune(${size}), cap is ${this.pool.cap}`);
  }

  // Before release(): a thread that loads the module from now on is taken for a new one.
  #beginRelease(): number {
    return this.tape.bumpEpoch();
  }

  #endRelease(at: number, epoch: number, what: string): void {
    const tick = this.tape.tick();
    this.#closed = true;
    this.#lastDisrupt = tick;
    const record: ReleaseRecord = { step: at, tick, epoch, pendingAfterTurn: undefined };
    this.releases.push(record);
    setImmediate(() => {
      record.pendingAfterTurn = new Set(
        this.tasks
          .filter((t) => t.step.mode === 'run' && t.offerTick < tick && t.outcome === undefined)
          .map((t) => t.id),
      );
    });
    const { closed, running, waiting } = this.pool;
    if (!closed) this.violate('state', `step ${at}: after ${what}, closed is false`);
    if (running !== 0) {
      this.violate('state', `step ${at}: after ${what}, running is ${running}, not 0`);
    }
    if (waiting !== 0) {
      this.violate('state', `step ${at}: after ${what}, waiting is ${waiting}, not 0`);
    }
  }

  #release(at: number): void {
    if (this.#closed) {
      this.pool.release(); // idempotent
      return;
    }
    const epoch = this.#beginRelease();
    this.pool.release();
    this.#endRelease(at, epoch, 'release()');
  }

  #releaseTimeout(at: number, ms: number): void {
    const closedAtCall = this.#closed;
    const epoch = closedAtCall ? 0 : this.#beginRelease();
    const promise = this.pool.releaseTimeout(ms);
    const tick = this.tape.tick();
    const record: TimeoutRecord = { step: at, tick, closedAtCall, promise, outcome: undefined };
    if (!closedAtCall) this.#endRelease(at, epoch, `releaseTimeout(${ms})`);
    promise.then(
      (value) => (record.outcome ??= { ok: true, value, tick: this.tape.tick() }),
      (err: unknown) => (record.outcome ??= { ok: false, value: err, tick: this.tape.tick() }),
    );
    this.timeouts.push(record);
  }

  #reboot(at: number): void {
    const wasClosed = this.#closed;
    this.pool.reboot();
    const tick = this.tape.tick();
    if (this.pool.closed) this.violate('state', `step ${at}: after reboot(), closed is true`);
    if (!wasClosed) return;
    this.#closed = false;
    this.#offersSinceBoot = 0;
    this.#minCapSinceBoot = this.#cap;
    this.boundaries.push({ tick, cap: this.#cap, what: `step ${at}: reboot()` });
  }

  #onIdle(at: number): void {
    const record: IdleRecord = {
      step: at,
      tick: this.tape.tick(),
      tasksBefore: this.tasks.length,
      resolved: false,
      inFlight: [],
    };
    this.idles.push(record);
    this.pool.onIdle().then(async () => {
      // A task the pool settled in the same turn has its own reactions run first.
      for (let i = 0; i < 10; i++) await null;
      record.resolved = true;
      record.inFlight = this.tasks
        .slice(0, record.tasksBefore)
        .filter((t) => this.inFlight(t))
        .map((t) => this.describeTask(t));
    });
  }

  /** True when the pool was released after `tick`. */
  releasedAfter(tick: number): boolean {
    return this.releases.some((r) => r.tick > tick);
  }

  /**
   * True while task `t` may still be in flight as the pool sees it: waiting, held, running, or
   * not settled. Never true of a task that may be gone unnoticed (preempted `invoke`s).
   */
  inFlight(t: TaskRecord): boolean {
    if (t.step.mode === 'run') return t.outcome === undefined;
    if (t.outcome === undefined) return true; // waits for a thread
    if (!t.outcome.ok || t.abortTick > 0) return false;
    const { tape } = this;
    if (tape.endTick(t.id) > 0 || this.diedBeside(t)) return false;
    if (tape.starts(t.id) === 0) return !this.releasedAfter(t.offerTick);
    const timeout = this.config.taskTimeout;
    return timeout === undefined || Date.now() - tape.startMs(t.id) < timeout - 10;
  }

  /**
   * True when a task that takes its thread down began on the thread task `t` began on: with
   * concurrentTasksPerThread, `t` may have been in flight there, and died with it.
   */
  diedBeside(t: TaskRecord): boolean {
    const { tape } = this;
    if (tape.starts(t.id) === 0) return false;
    const thread = tape.thread(t.id);
    return this.tasks.some(
      (o) =>
        o !== t &&
        (o.kind === 'exit' || o.kind === 'leak') &&
        tape.starts(o.id) > 0 &&
        tape.thread(o.id) === thread,
    );
  }

  /** A task that never settles, started, whose abort the SPEC does not pin: it may stay pending. */
  mayHang(t: TaskRecord): boolean {
    return t.kind === 'hang' && !t.abortPinned && this.tape.starts(t.id) > 0;
  }

  /**
   * After `releaseTimeout` rejected `TimeoutError`, the pool's threads no longer keep the process
   * alive: nor do the tasks offered before it, which had started (the others were rejected).
   */
  detached(t: TaskRecord): boolean {
    return this.timeouts.some(
      (r) =>
        r.outcome?.ok === false &&
        errorCode(r.outcome.value) === 'ERR_TIMEOUT' &&
        t.offerTick < r.tick,
    );
  }

  /** The pending promises a script may await with nothing else keeping the process alive. */
  awaited(): TaskRecord[] {
    return this.tasks.filter(
      (t) => t.outcome === undefined && this.#mustSettle(t) && !this.detached(t),
    );
  }

  // What must settle: every task's promise but those of tasks that may hang.
  #mustSettle(t: TaskRecord): boolean {
    return !(t.step.mode === 'run' && this.mayHang(t));
  }

  /** True once every invoke the open pool accepted since its last release has run. */
  #acceptedInvokesRan(): boolean {
    const lastRelease = this.releases.at(-1)?.tick ?? 0;
    return this.tasks.every(
      (t) =>
        t.step.mode !== 'invoke' ||
        t.offerTick < lastRelease ||
        t.abortTick > 0 ||
        t.outcome?.ok !== true ||
        this.#stopped(t),
    );
  }

  /**
   * True when invoked task `t` started and its body ended, or may have been stopped midway: its
   * thread died under it, or taskTimeout preempted it (an 8 ms task can outlive 250 ms on a
   * loaded machine; its TimeoutError went to panicHandler).
   */
  #stopped(t: TaskRecord): boolean {
    const { tape } = this;
    if (tape.endTick(t.id) > 0 || this.diedBeside(t)) return true;
    const timeout = this.config.taskTimeout;
    return (
      timeout !== undefined && tape.starts(t.id) > 0 && Date.now() - tape.startMs(t.id) >= timeout
    );
  }

  #pending(): TaskRecord[] {
    return this.tasks.filter((t) => t.outcome === undefined && this.#mustSettle(t));
  }

  // Polls `done` every few ms until the bound.
  async #until(done: () => boolean, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!done()) {
      if (Date.now() > deadline) return false;
      await sleep(5);
    }
    return true;
  }

  /**
   * Ends the sequence: with the pool open, aborts the tasks that never settle and waits for the
   * accepted work; then closes the pool and waits for every promise that must settle. Nothing
   * but the pool keeps the process alive while it waits: a script awaiting them would not exit.
   */
  async finish(): Promise<void> {
    if (!this.#closed) {
      for (const t of this.tasks) {
        if (t.kind === 'hang' && t.outcome === undefined && t.abortTick === 0) this.#abort(t);
      }
      await this.#sortHangs('before the final release');
      await this.#settle('before the final release');
      const { settleMs } = this.bounds;
      if (!(await this.#until(() => this.#acceptedInvokesRan(), settleMs))) {
        this.#reportStuck('before the final release');
      }
      const hangs = this.tasks.some((t) => this.mayHang(t) && t.outcome === undefined);
      const at = this.sequence.length;
      // A releaseTimeout() timer may last its whole `ms`: shorter than the exit bound.
      if (hangs || this.config.close === 'releaseTimeout') {
        this.#releaseTimeout(at, hangs ? 50 : 2000);
      } else this.#release(at);
    }
    await this.#sortHangs('after the final release');
    await this.#settle('after the final release');
    // onIdle() resolves once nothing runs: give its callbacks their turn (judgeIdle checks).
    const running = () => this.tasks.some((t) => this.mayHang(t) && t.outcome === undefined);
    await this.#until(() => running() || this.idles.every((r) => r.resolved), this.bounds.settleMs);
    this.settled = true;
  }

  // Waits until each task that never settles has settled or started, and so whether it must
  // settle is known (a held task claimed at release() starts a little later).
  async #sortHangs(when: string): Promise<void> {
    const sorted = () =>
      this.tasks.every((t) => t.kind !== 'hang' || t.outcome !== undefined || this.mayHang(t));
    if (!(await this.#until(sorted, this.bounds.settleMs))) this.#reportStuck(when);
  }

  async #settle(when: string): Promise<void> {
    // While a task is in flight, the pool keeps the process alive, whichever thread holds it. A
    // releaseTimeout() keeps it alive on its own timer, and once it timed out, the tasks that
    // outlived it no longer do: the process may exit before they settle.
    const all = (promises: Promise<unknown>[]) =>
      Promise.all(promises.map((p) => p.catch(() => {})));
    const { settleMs } = this.bounds;
    let how = await loopRunsDry(settleMs, all(this.timeouts.map((r) => r.promise)));
    const awaited = this.awaited();
    if (how === 'settled') how = await loopRunsDry(settleMs, all(awaited.map((t) => t.promise)));
    if (how === 'dry') {
      const pending = awaited
        .filter((t) => t.outcome === undefined)
        .map((t) => this.describeTask(t));
      this.violate(
        'alive',
        `${when}, nothing kept the process alive (it would have exited) while tasks were in ` +
          `flight: ${pending.join('; ')}`,
      );
    }
    // Kept alive by this wait now, they must still settle.
    const done = () =>
      this.#pending().length === 0 && this.timeouts.every((r) => r.outcome !== undefined);
    if (!(await this.#until(done, settleMs))) this.#reportStuck(when);
  }

  #reportStuck(when: string): void {
    const stuck = this.#pending().map((t) => this.describeTask(t));
    for (const r of this.timeouts) {
      if (r.outcome === undefined) stuck.push(`the releaseTimeout() of step ${r.step}`);
    }
    if (stuck.length > 0) {
      this.violate(
        'settles',
        `${when}, still pending after ${this.bounds.settleMs} ms: ${stuck.join('; ')}`,
      );
    }
    if (!this.#acceptedInvokesRan()) {
      const lost = this.tasks.filter(
        (t) => t.step.mode === 'invoke' && t.outcome?.ok === true && !this.#stopped(t),
      );
      this.violate(
        'lost',
        `${when}, invoked tasks accepted by the open pool never ran: ${lost
          .map((t) => this.describeTask(t))
          .join('; ')}`,
      );
    }
  }

  /** True when something may legitimately still keep the process alive: a task still running. */
  keepsAlive(): boolean {
    return this.tasks.some((t) => this.mayHang(t) && t.outcome === undefined && !this.detached(t));
  }

  /** Once released and settled, the pool lets the process exit: its event loop runs dry. */
  async checkExit(): Promise<void> {
    if (this.keepsAlive()) return;
    if ((await loopRunsDry(this.bounds.exitMs)) === 'dry') return;
    this.violate(
      'exit',
      `every task settled and the pool was released, yet ${this.bounds.exitMs} ms later the ` +
        `process would not exit (${alive()})`,
    );
  }

  /** Tasks that never settle exit their threads; outcomes from then on are not recorded. */
  kill(): void {
    this.#killed = true;
    this.tape.kill();
  }

  /**
   * Lets the tasks that never settle take their threads down; true once nothing keeps the
   * process alive (the next sequence may run in it).
   */
  async cleanUp(): Promise<boolean> {
    this.kill();
    return (await loopRunsDry(this.bounds.exitMs)) === 'dry';
  }

  describeTask(t: TaskRecord): string {
    const { tape } = this;
    const parts = [`#${t.id} ${t.step.mode} ${t.kind}`];
    const starts = tape.starts(t.id);
    parts.push(starts === 0 ? 'never started' : `started ${starts}x`);
    if (starts > 0) parts.push(`on thread ${tape.thread(t.id)}`);
    if (starts > 0) parts.push(tape.endTick(t.id) > 0 ? 'ended' : 'not ended');
    if (t.abortTick > 0) parts.push('aborted');
    if (t.outcome === undefined) parts.push('pending');
    else if (t.outcome.ok) parts.push(`resolved ${JSON.stringify(t.outcome.value)}`);
    else parts.push(`rejected ${errorCode(t.outcome.value) ?? String(t.outcome.value)}`);
    return parts.join(', ');
  }
}
