import type { PeerTarget } from '../lib/peers.js';
import type { ScenarioBase } from '../lib/suite.js';

/** The work `child.mjs` can run (`--work`); see `work.mjs`. */
export type WorkName = 'burst' | 'latency' | 'cpu' | 'event-loop';

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

/** Every contender that is a pool of threads, antpool first. */
const POOLS = ['antpool', 'antpool (localQueueSize 1)', ...PEERS, NEW_WORKER];

/** A figure printed for information, compared with a goal that is not this target. */
export interface Watch {
  readonly metric: string;
  /** E.g. "the scheduler issue later wants". */
  readonly label: string;
  readonly goal: number;
  readonly unit: string;
}

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
  readonly peers: readonly string[];
  readonly targets: readonly PeerTarget[];
  readonly watch?: Watch;
}

/**
 * The scenarios of the issue. Tiny tasks are `add({ a: i, b: 1 })`, CPU-bound ones `fib(25)`
 * (recursive, about 1.6 ms); `child.mjs` and `work.mjs` hold the code.
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
        label: "antpool tasks/s >= best peer's",
        metric: 'tasksPerSec',
        better: 'higher',
        unit: 'tasks/s',
        digits: 0,
      },
    ],
    watch: {
      metric: 'tasksPerSec',
      label: 'the scheduler issue later wants',
      goal: 150_000,
      unit: 'tasks/s',
    },
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
        label: "antpool p50 latency <= best peer's",
        metric: 'p50Us',
        better: 'lower',
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
    contenders: POOLS,
    peers: PEERS,
    targets: [
      {
        label: "antpool wall time <= best peer's + 5% (allowed for run-to-run noise)",
        metric: 'wallMs',
        better: 'lower',
        factor: 1.05,
        unit: 'ms',
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
    contenders: [...POOLS, 'inline'],
    peers: PEERS,
    targets: [
      {
        label: "antpool event-loop delay p99 <= best peer's + 1 ms",
        metric: 'eldP99Ms',
        better: 'lower',
        margin: 1,
        unit: 'ms',
        digits: 2,
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
