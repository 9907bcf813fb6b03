import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PoolClosedError, ThreadPool, type ThreadPoolOptions } from '../src/thread/index.js';
import { until } from './helpers.js';
import { fixture } from './thread-helpers.js';

// The layout of test/fixtures/lifecycle.mjs's shared words (see the comment there).
const NOW = 0;
const PEAK = 1;
const STARTS = 2;
const GATE = 8;
const GATES = 56;
const STARTED = 64;
const WORDS = 4096;

/** A task's argument: its id, and what its kind needs. */
export interface Arg {
  id: number;
  gate?: number;
  ms?: number;
  pad?: string;
}

/**
 * The shared memory of test/fixtures/lifecycle.mjs: gates the test opens, and what the threads
 * record (each task's starts, how many `slow` tasks ran at once). Task ids index the start
 * counters, so every task of a test gets its own id from {@link id}.
 */
export class Tracker {
  readonly words = new Int32Array(new SharedArrayBuffer(WORDS * 4));
  #next = 0;

  /** A pool over lifecycle.mjs with this memory as its workerData. */
  pool(options: Partial<ThreadPoolOptions> = {}): ThreadPool<Arg | number, number> {
    return new ThreadPool({
      filename: fixture('lifecycle.mjs'),
      workerData: this.words.buffer,
      execArgv: [], // the task module is plain JavaScript: threads start faster without tsx
      ...options,
    });
  }

  /** A fresh task id. */
  id(): number {
    const id = this.#next++;
    if (STARTED + id >= WORDS) throw new Error('out of task ids');
    return id;
  }

  /** `count` fresh task ids. */
  ids(count: number): number[] {
    return Array.from({ length: count }, () => this.id());
  }

  /** A fresh gate, closed. */
  gate(): number {
    for (let g = 0; g < GATES; g++) {
      if (!this.#gates.has(g)) {
        this.#gates.add(g);
        return g;
      }
    }
    throw new Error('out of gates');
  }
  readonly #gates = new Set<number>();

  open(gate: number): void {
    Atomics.store(this.words, GATE + gate, 1);
    Atomics.notify(this.words, GATE + gate);
  }

  /** Opens every gate handed out, so nothing a test started stays blocked. */
  openAll(): void {
    for (const gate of this.#gates) this.open(gate);
  }

  /** How many times task `id` started. */
  started(id: number): number {
    return Atomics.load(this.words, STARTED + id);
  }

  /** Starts of every task. */
  get starts(): number {
    return Atomics.load(this.words, STARTS);
  }

  /** The most `slow` tasks seen running at once, since the last {@link resetPeak}. */
  get peak(): number {
    return Atomics.load(this.words, PEAK);
  }

  /** `slow` tasks running now. */
  get now(): number {
    return Atomics.load(this.words, NOW);
  }

  resetPeak(): void {
    Atomics.store(this.words, PEAK, 0);
  }
}

/** How one promise settled, recorded as it happens (not on the next turn). */
export interface Outcome<T = unknown> {
  state: 'pending' | 'fulfilled' | 'rejected';
  value?: T;
  error?: unknown;
  /** How many times it settled: a promise settles once, this catches a double callback path. */
  settles: number;
}

/** Watches `promise`; the outcome fills in when it settles. */
export function watch<T>(promise: Promise<T>): Outcome<T> {
  const outcome: Outcome<T> = { state: 'pending', settles: 0 };
  promise.then(
    (value) => {
      outcome.state = 'fulfilled';
      outcome.value = value;
      outcome.settles++;
    },
    (error: unknown) => {
      outcome.state = 'rejected';
      outcome.error = error;
      outcome.settles++;
    },
  );
  return outcome;
}

export function isPoolClosed(outcome: Outcome): boolean {
  return outcome.state === 'rejected' && outcome.error instanceof PoolClosedError;
}

/** A short account of outcomes for an assertion message: `fulfilled×3 rejected:TimeoutError×1`. */
export function tally(outcomes: readonly Outcome[]): string {
  const counts = new Map<string, number>();
  for (const { state, error } of outcomes) {
    const key = state === 'rejected' ? `rejected:${(error as Error)?.name}` : state;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => `${key}×${n}`).join(' ');
}

/**
 * Waits until every one of `outcomes` settled while the test still holds its gates closed. If
 * they do not, it opens the gates to learn what became of them (they ran, most likely) and fails
 * saying so.
 */
export async function settledWhileBlocked(
  tracker: Tracker,
  outcomes: readonly Outcome[],
  ids: readonly number[],
  what: string,
): Promise<void> {
  const settled = () => outcomes.every((o) => o.state !== 'pending');
  const started = () => ids.filter((id) => tracker.started(id) > 0).length;
  try {
    await until(settled, what);
  } catch {
    const before = `${tally(outcomes)}, ${started()} of ${ids.length} started`;
    tracker.openAll();
    await until(settled, 'they settle once the gates open').catch(() => {});
    assert.fail(
      `${what}: after 10 s with the gates closed: ${before}; once the gates opened: ` +
        `${tally(outcomes)}, ${started()} of ${ids.length} started`,
    );
  }
}

/**
 * Runs every thread of a fresh pool once, so its task module is loaded: a pool that has run a
 * task starts the next one on arrival (a fresh one holds tasks while it loads the module).
 * Each thread blocks on a gate until all `size` of them run, so each one ran a task.
 */
export async function warm(
  tracker: Tracker,
  pool: ThreadPool<Arg | number, number>,
  size: number,
): Promise<void> {
  const gate = tracker.gate();
  const ids = Array.from({ length: size }, () => tracker.id());
  const tasks = ids.map((id) => pool.run({ id, gate }, { name: 'block' }));
  await until(() => ids.every((id) => tracker.started(id) === 1), 'every thread ran a task');
  tracker.open(gate);
  await Promise.all(tasks);
}

/** A pool over test/fixtures/lifecycle.mjs, as {@link Tracker.pool} makes it. */
export type LifecyclePool = ReturnType<Tracker['pool']>;

/** One round of a test: its number, a fresh tracker and a warmed pool over it. */
export interface Round {
  round: number;
  tracker: Tracker;
  pool: LifecyclePool;
}

/**
 * Runs `body` `count` times, each round on a fresh tracker and a pool of `options` whose
 * `warmed` threads (default `options.size`) ran a task; every gate opens after each round,
 * pass or fail, so nothing a failed round started stays blocked.
 */
export async function inRounds(
  count: number,
  options: Partial<ThreadPoolOptions> & { size: number },
  body: (round: Round) => Promise<void>,
  warmed = options.size,
): Promise<void> {
  for (let round = 0; round < count; round++) {
    const tracker = new Tracker();
    const pool = tracker.pool(options);
    try {
      await warm(tracker, pool, warmed);
      await body({ round, tracker, pool });
    } finally {
      tracker.openAll();
    }
  }
}

/** A task blocked in a thread on a gate of its own. */
export interface Blocked {
  id: number;
  gate: number;
  outcome: Outcome<number>;
}

/** Runs a task `name` (`block` by default) on a fresh gate; resolves once a thread runs it. */
export async function startBlocked(
  tracker: Tracker,
  pool: LifecyclePool,
  name: 'block' | 'blockAsync' = 'block',
): Promise<Blocked> {
  const gate = tracker.gate();
  const id = tracker.id();
  const outcome = watch(pool.run({ id, gate }, { name }));
  await until(() => tracker.started(id) === 1, `a thread runs task ${id} (${name})`);
  return { id, gate, outcome };
}

/** Runs `mark` tasks with `ids`, watching each. */
export function marks(pool: LifecyclePool, ids: readonly number[]): Outcome<number>[] {
  return ids.map((id) => watch(pool.run(id, { name: 'mark' })));
}

/** What a child process printed and how it ended. */
export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** True when it did not exit by itself within the bound and was killed. */
  killed: boolean;
}

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs `script` (a fixture, through tsx as the suite runs) in a child process with `args`; kills
 * it if it has not exited after `ms`.
 */
export function runChild(script: string, args: string[], ms = 20_000): Promise<ChildResult> {
  const path = fileURLToPath(fixture(script));
  const child = spawn(process.execPath, ['--import', 'tsx', '--no-warnings', path, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, ms);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, killed });
    });
  });
}
