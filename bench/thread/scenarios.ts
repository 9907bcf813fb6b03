import type { RatioNote } from '../lib/ratio-note.js';
import type { ScenarioBase } from '../lib/suite.js';
import type { MedianTarget } from '../lib/targets.js';

/** The work `child.mjs` can run (`--work`); see `work.mjs`. */
export type WorkName =
  | 'burst'
  | 'latency'
  | 'cpu'
  | 'event-loop'
  | 'skewed'
  | 'memory'
  | 'chaos'
  | 'async';

/** Threads of every pool: this is a 2-core machine. */
export const THREADS = 2;

/** The contender spawning a fresh Worker per task: it runs at most {@link CAPPED_TASKS} tasks. */
export const NEW_WORKER = 'new Worker per task';
/** Tasks of a {@link NEW_WORKER} run (a tenth of it under `--quick`); it reports per-task figures. */
export const CAPPED_TASKS = 200;
/** `--quick` divides every task count by this. */
export const QUICK_DIVISOR = 10;

/** The worker-thread pool libraries antpool must match. */
export const PEERS = ['piscina', 'tinypool', 'workerpool', 'poolifier'] as const;

/** Plain threads handed their tasks in one message each: the machine's ceiling, not a pool. */
export const BARE_THREADS = 'bare threads';

/** antpool with its threads a few nice steps below the main thread (Linux). */
const NICE = 'antpool (niceIncrement 5)';

/** Async tasks per thread in scenario 8; `contenders.mjs` has the same. */
const CONCURRENT_TASKS = 64;
const CONCURRENT = `antpool (concurrentTasksPerThread ${CONCURRENT_TASKS})`;
const PISCINA_CONCURRENT = `piscina (concurrentTasksPerWorker ${CONCURRENT_TASKS})`;

/** Every contender that is a pool of threads, antpool first. */
const POOLS = ['antpool', 'antpool (localQueueSize 1)', ...PEERS, NEW_WORKER];

/** A thread-pool scenario: the work each contender does, how much, and what antpool must meet. */
export interface ThreadScenario extends ScenarioBase {
  readonly work: WorkName;
  /** Timed tasks of a full run. */
  readonly tasks: number;
  /** Untimed tasks run first, the same way. */
  readonly warmup: number;
  /** Also run every contender with 1 thread, to report the speed-up of 2 threads over 1. */
  readonly oneThreadToo: boolean;
  /** Metrics `child.mjs` prints for this work (`rssMb` included). */
  readonly metrics: readonly string[];
  /** The contenders a peer target looks for the best among. */
  readonly peers: readonly string[];
  readonly targets: readonly MedianTarget[];
  /** Ratios printed for information, not judged. */
  readonly notes?: readonly RatioNote[];
}

/**
 * The scenarios of the issues. Tiny tasks are `add({ a: i, b: 1 })`, CPU-bound ones `fib(25)`
 * (recursive, about 1.6 ms), skewed ones `spin(units)` (about 20 µs a unit); `child.mjs` and
 * `work.mjs` hold the code. Absolute and versus targets are the scheduler issue's.
 */
export const SCENARIOS: readonly ThreadScenario[] = [
  {
    id: '1',
    title: 'burst: tiny tasks, all submitted at once (`Promise.all`)',
    work: 'burst',
    tasks: 100_000,
    warmup: 1_000,
    oneThreadToo: false,
    metrics: ['tasks', 'wallMs', 'tasksPerSec', 'rssMb'],
    baseline: 'antpool',
    contenders: POOLS,
    peers: PEERS,
    targets: [
      {
        kind: 'peer',
        label: "antpool tasks/s >= best peer's",
        metric: 'tasksPerSec',
        better: 'higher',
        unit: 'tasks/s',
        digits: 0,
      },
      {
        kind: 'absolute',
        label: 'antpool tasks/s >= 150,000',
        metric: 'tasksPerSec',
        better: 'higher',
        goal: 150_000,
        unit: 'tasks/s',
        digits: 0,
      },
      {
        kind: 'versus',
        label: "antpool tasks/s >= 5x piscina's",
        metric: 'tasksPerSec',
        better: 'higher',
        versus: 'piscina',
        factor: 5,
        unit: 'tasks/s',
        digits: 0,
      },
    ],
  },
  {
    id: '2',
    title: 'latency: tiny tasks one at a time, each awaited',
    work: 'latency',
    tasks: 5_000,
    warmup: 500,
    oneThreadToo: false,
    metrics: ['tasks', 'wallMs', 'p50Us', 'p99Us', 'rssMb'],
    baseline: 'antpool',
    contenders: POOLS,
    peers: PEERS,
    targets: [
      {
        kind: 'peer',
        label: "antpool p50 latency <= best peer's",
        metric: 'p50Us',
        better: 'lower',
        unit: 'µs',
      },
      {
        kind: 'absolute',
        label: 'antpool p50 latency <= 25 µs',
        metric: 'p50Us',
        better: 'lower',
        goal: 25,
        unit: 'µs',
      },
    ],
  },
  {
    id: '3',
    title: 'CPU-bound: `fib(25)` tasks, all at once',
    work: 'cpu',
    tasks: 2_000,
    warmup: 20,
    oneThreadToo: true,
    metrics: ['tasks', 'wallMs', 'msPerTask', 'rssMb'],
    baseline: 'antpool',
    contenders: [...POOLS, BARE_THREADS],
    peers: PEERS,
    targets: [
      {
        kind: 'peer',
        label: "antpool wall time <= best peer's + 5% (allowed for run-to-run noise)",
        metric: 'wallMs',
        better: 'lower',
        factor: 1.05,
        unit: 'ms',
      },
      {
        kind: 'absolute',
        label: 'antpool speed-up of 2 threads over 1 >= 1.9x',
        metric: 'speedup',
        better: 'higher',
        goal: 1.9,
        unit: 'x',
        digits: 2,
      },
      {
        kind: 'versus',
        label: "antpool speed-up >= 0.95x bare threads' (what this machine gives 2 threads)",
        metric: 'speedup',
        better: 'higher',
        versus: BARE_THREADS,
        factor: 0.95,
        unit: 'x',
        digits: 2,
      },
    ],
  },
  {
    id: '4',
    title: "event-loop freedom: main thread's event-loop delay while scenario 3 runs",
    work: 'event-loop',
    tasks: 2_000,
    warmup: 20,
    oneThreadToo: false,
    metrics: ['tasks', 'wallMs', 'eldP50Ms', 'eldP99Ms', 'eldMaxMs', 'rssMb'],
    baseline: 'antpool',
    contenders: [...POOLS, NICE, BARE_THREADS, 'inline'],
    peers: PEERS,
    targets: [
      {
        kind: 'peer',
        label: "antpool event-loop delay p99 <= best peer's + 1 ms",
        metric: 'eldP99Ms',
        better: 'lower',
        margin: 1,
        unit: 'ms',
        digits: 2,
      },
    ],
  },
  {
    id: '5',
    title:
      'skewed work: every 50th task costs 100x the others (~20 ms vs ~200 µs), in waves of 128 (`Promise.all` each)',
    work: 'skewed',
    tasks: 1_280, // 10 waves of 128
    warmup: 128,
    oneThreadToo: false,
    metrics: ['tasks', 'heavyTasks', 'wallMs', 'rssMb'],
    baseline: 'antpool',
    contenders: ['antpool', 'antpool (no stealing)', ...PEERS],
    peers: PEERS,
    targets: [
      {
        kind: 'versus',
        label: 'work stealing makes antpool >= 1.3x faster',
        metric: 'wallMs',
        better: 'lower',
        versus: 'antpool (no stealing)',
        factor: 1.3,
        unit: 'ms',
      },
    ],
  },
  {
    id: '6',
    title: 'memory: tiny tasks by the million, all submitted at once (`Promise.all`)',
    work: 'memory',
    tasks: 1_000_000,
    warmup: 1_000,
    oneThreadToo: false,
    metrics: ['tasks', 'wallMs', 'tasksPerSec', 'rssMb'],
    baseline: 'antpool',
    contenders: ['antpool', 'piscina'],
    peers: ['piscina'],
    targets: [],
    notes: [{ name: 'peak RSS', metric: 'rssMb', versus: 'piscina', unit: 'MB' }],
  },
  {
    id: '7',
    title:
      'chaos: scenario 6 with 1 task in 10,000 exiting its thread and 1 in 10,000 aborted; every other task resolves once, started once',
    work: 'chaos',
    tasks: 1_000_000,
    warmup: 1_000,
    oneThreadToo: false,
    metrics: ['tasks', 'resolved', 'wallMs', 'tasksPerSec', 'rssMb'],
    baseline: 'antpool (no faults)',
    contenders: ['antpool (no faults)', 'antpool (faults)'],
    peers: [],
    targets: [],
    notes: [
      {
        name: 'throughput',
        metric: 'tasksPerSec',
        subject: 'antpool (faults)',
        versus: 'antpool (no faults)',
        unit: 'tasks/s',
      },
      {
        name: 'peak RSS',
        metric: 'rssMb',
        subject: 'antpool (faults)',
        versus: 'antpool (no faults)',
        unit: 'MB',
      },
    ],
  },
  {
    id: '8',
    title: `async: tasks that await a 5 ms timer then compute \`fib(20)\`, all at once, ${CONCURRENT_TASKS} at once per thread`,
    work: 'async',
    tasks: 2_000,
    warmup: 20,
    oneThreadToo: false,
    metrics: ['tasks', 'wallMs', 'msPerTask', 'rssMb'],
    baseline: CONCURRENT,
    contenders: [CONCURRENT, PISCINA_CONCURRENT, 'antpool'],
    peers: [PISCINA_CONCURRENT],
    targets: [
      {
        kind: 'peer',
        label: `${CONCURRENT} wall time <= piscina's with concurrentTasksPerWorker`,
        metric: 'wallMs',
        better: 'lower',
        unit: 'ms',
      },
      {
        kind: 'versus',
        label: 'concurrentTasksPerThread makes antpool >= 5x faster',
        metric: 'wallMs',
        better: 'lower',
        versus: 'antpool',
        factor: 5,
        unit: 'ms',
      },
    ],
  },
];

/** Timed and warm-up task counts of one child run. */
export interface Counts {
  readonly tasks: number;
  readonly warmup: number;
}

/**
 * How many tasks `contender` runs in `scenario`: the scenario's counts, divided by
 * {@link QUICK_DIVISOR} under `--quick`; {@link NEW_WORKER} is capped at {@link CAPPED_TASKS}
 * (also divided) with a warm-up of 2.
 */
export function countsFor(scenario: ThreadScenario, contender: string, quick: boolean): Counts {
  const divisor = quick ? QUICK_DIVISOR : 1;
  const scale = (n: number): number => Math.max(1, Math.round(n / divisor));
  if (contender === NEW_WORKER) {
    return { tasks: scale(Math.min(scenario.tasks, CAPPED_TASKS)), warmup: 2 };
  }
  return { tasks: scale(scenario.tasks), warmup: scale(scenario.warmup) };
}
