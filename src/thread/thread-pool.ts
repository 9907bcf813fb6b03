import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ResourceLimits, TransferListItem, WorkerOptions } from 'node:worker_threads';
import { PoolBase } from '../internal/pool-base.js';
import type { PoolStats } from '../internal/stats.js';
import { type Mode, RUN, SUBMIT } from '../internal/task.js';
import { checkSize, invalid, isPositiveInteger, orDefault } from '../internal/validate.js';
import type { WorkerHost } from '../internal/worker.js';
import type { PoolOptions } from '../options.js';
import { NamedTask, Scheduler, type ThreadConfig, type ThreadTask } from './scheduler.js';
import { LOWEST_PRIORITY } from './thread-priority.js';
import { ThreadWorker } from './thread-worker.js';
import type { Utilization } from './utilization.js';

/** Options of a {@link ThreadPool}: the shared pool options plus the threads' own. */
export interface ThreadPoolOptions extends PoolOptions {
  /** The task module: an absolute path, a path relative to `process.cwd()`, or a `file:` URL. */
  filename: string | URL;
  /**
   * Threads, a positive integer.
   * @default os.availableParallelism()
   */
  size?: number;
  /** Milliseconds a task may run, from the moment its thread starts it; longer, it is preempted. */
  taskTimeout?: number;
  /**
   * Tasks one thread may hold at once, the ones it runs included. `1` is ants' exact model: one
   * task per thread. Tasks with a `signal`, and every task under `taskTimeout`, run alone. A
   * positive integer, at least `concurrentTasksPerThread`.
   * @default the larger of 64 and `concurrentTasksPerThread`
   */
  localQueueSize?: number;
  /**
   * Tasks one thread runs at once, a positive integer (Go's netpoller): while a task's promise
   * is pending (it awaits I/O or a timer), its thread starts the next task it holds. Synchronous
   * code still runs one task at a time, and a preemptible task (`signal`, `taskTimeout`) runs
   * alone on its thread. A thread that dies fails every task it had started and not finished.
   * For work that mixes I/O and CPU: fetch, then parse.
   * @default 1
   */
  concurrentTasksPerThread?: number;
  /**
   * A thread that has started this many tasks takes no new one, exits once they end, and is
   * replaced when work needs a thread; no task fails for it. A positive integer.
   * @default never
   */
  maxTasksPerThread?: number;
  /**
   * Bytes: a thread whose `process.memoryUsage().heapUsed`, read after each of its tasks ends, is
   * above this takes no new task and is replaced as for `maxTasksPerThread` (for task code that
   * leaks). A positive integer.
   * @default never
   */
  maxHeapUsedPerThread?: number;
  /**
   * An idle thread takes half of the busiest thread's queued tasks before it waits.
   * @default true
   */
  workStealing?: boolean;
  /**
   * Lowers each thread's scheduling priority by this many nice steps, an integer from 0 to 19,
   * so the main thread's event loop wins a core from busy threads. Linux only: elsewhere threads
   * have no priority of their own, and this is ignored.
   * @default 0
   */
  niceIncrement?: number;
  /** Each thread's heap and stack limits (a thread past them exits: `WorkerExitedError`). */
  resourceLimits?: ResourceLimits;
  /** Given to each thread as `require('node:worker_threads').workerData`. */
  workerData?: unknown;
  /** Each thread's `process.env`. @default a copy of the parent's */
  env?: WorkerOptions['env'];
  /** Node options of the threads. @default the process's own (`process.execArgv`) */
  execArgv?: string[];
}

/** Per-task options of a {@link ThreadPool}. */
export interface ThreadTaskOptions {
  /** The export to call. @default 'default' */
  name?: string;
  /** Moved, not copied, to the thread (an `ArrayBuffer`, a `MessagePort`, …). */
  transfer?: TransferListItem[];
  /** Cancels a waiting task; preempts a running one (its thread is replaced). */
  signal?: AbortSignal;
}

/** {@link PoolStats} of a {@link ThreadPool}. */
export interface ThreadPoolStats extends PoolStats {
  /**
   * The threads' busy time (a task charged to them) summed, over their time alive, since the
   * pool was built or since `resetStats()`: from 0 to 1. Always measured.
   */
  utilization: number;
}

export const DEFAULT_LOCAL_QUEUE_SIZE = 64;

/**
 * ants' semantics over worker threads, for CPU-bound work: the module's default export (or the
 * export `name`) runs in a thread with each argument. A thread that dies fails only the tasks it
 * had started, and is replaced; a task that runs too long is preempted. With
 * `concurrentTasksPerThread`, a thread runs other tasks while one awaits I/O.
 *
 * @example
 * const pool = new ThreadPool<number, number>({ filename: new URL('./fib.js', import.meta.url) });
 * const result = await pool.run(30);
 */
export class ThreadPool<A = unknown, R = unknown> extends PoolBase<ThreadTask> {
  readonly #utilization: Utilization;

  /** @throws InvalidArgumentError for a missing `filename` or an option out of range. */
  constructor(options: ThreadPoolOptions) {
    if (typeof options !== 'object' || options === null) {
      throw invalid(
        'ERR_LACK_POOL_FUNC',
        'options.filename',
        'a module path or file: URL',
        options,
      );
    }
    const size = checkSize(orDefault(options.size, availableParallelism()), 'size', false);
    const scheduler = new Scheduler<ThreadWorker>(threadConfig(options));
    const slots = scheduler.config.localQueueSize;
    const newWorker = (host: WorkerHost<ThreadTask>) => new ThreadWorker(host, scheduler);
    super({ size, options, slots, dismissBusy: true, newWorker });
    this.#utilization = scheduler.utilization;
  }

  /**
   * As `Pool.stats()`, plus the threads' `utilization`. A task counts as started when a thread
   * takes it into its run queue: with `localQueueSize: 1`, the moment it starts.
   */
  override stats(): ThreadPoolStats {
    return { ...super.stats(), utilization: this.#utilization.read() };
  }

  /** Starts every figure of {@link stats} over from zero, `utilization` included. */
  override resetStats(): void {
    super.resetStats();
    this.#utilization.reset();
  }

  /** Resolves as soon as a thread has accepted the task; its error goes to `panicHandler`. */
  invoke(arg: A, opts?: ThreadTaskOptions): Promise<void> {
    return this.#offer(arg, SUBMIT, opts) as Promise<void>;
  }

  /** Resolves with the export's result, computed in a thread; rejects with its error. */
  run(arg: A, opts?: ThreadTaskOptions): Promise<R> {
    return this.#offer(arg, RUN, opts) as Promise<R>;
  }

  #offer(arg: A, mode: Mode, opts: ThreadTaskOptions | undefined): Promise<unknown> {
    const name = orDefault(opts?.name, 'default');
    const transfer = opts?.transfer;
    if (typeof name !== 'string') {
      return Promise.reject(invalid('ERR_INVALID_OPTION', 'options.name', 'a string', name));
    }
    if (transfer !== undefined && !Array.isArray(transfer)) {
      return Promise.reject(
        invalid('ERR_INVALID_OPTION', 'options.transfer', 'an array', transfer),
      );
    }
    const payload =
      name === 'default' && transfer === undefined ? arg : new NamedTask(arg, name, transfer);
    return this.add(payload, mode, opts);
  }
}

function threadConfig(options: ThreadPoolOptions): ThreadConfig {
  const { taskTimeout, resourceLimits, workerData, env, workStealing } = options;
  if (
    taskTimeout !== undefined &&
    !(typeof taskTimeout === 'number' && taskTimeout > 0 && Number.isFinite(taskTimeout))
  ) {
    throw invalid(
      'ERR_INVALID_OPTION',
      'taskTimeout',
      'a positive finite number of ms',
      taskTimeout,
    );
  }
  // Left unset, a thread inherits the process' options as Node parsed them: given explicitly,
  // V8 flags such as --max-old-space-size are refused.
  const { execArgv } = options;
  if (
    execArgv !== undefined &&
    !(Array.isArray(execArgv) && execArgv.every((arg) => typeof arg === 'string'))
  ) {
    throw invalid('ERR_INVALID_OPTION', 'execArgv', 'an array of strings', execArgv);
  }
  if (workStealing !== undefined && typeof workStealing !== 'boolean') {
    throw invalid('ERR_INVALID_OPTION', 'workStealing', 'a boolean', workStealing);
  }
  const exclusive = taskTimeout !== undefined; // every task may be preempted: each runs alone
  const concurrency = positive(options.concurrentTasksPerThread, 'concurrentTasksPerThread', 1);
  const queueSize = localQueueSize(options.localQueueSize, concurrency);
  return {
    filename: moduleUrl(options.filename),
    taskTimeout,
    localQueueSize: exclusive ? 1 : queueSize,
    concurrency: exclusive ? 1 : concurrency,
    maxTasks: positive(options.maxTasksPerThread, 'maxTasksPerThread', Infinity),
    maxHeapUsed: positive(options.maxHeapUsedPerThread, 'maxHeapUsedPerThread', Infinity),
    stealing: !exclusive && workStealing !== false,
    niceIncrement: niceIncrement(options.niceIncrement),
    workerOptions: { resourceLimits, workerData, env, execArgv },
  };
}

function moduleUrl(filename: unknown): string {
  if (filename === undefined) {
    throw invalid('ERR_LACK_POOL_FUNC', 'filename', 'a module path or file: URL', filename);
  }
  if (filename instanceof URL && filename.protocol === 'file:') return filename.href;
  if (typeof filename === 'string' && filename.length > 0) {
    if (filename.startsWith('file:')) return new URL(filename).href;
    return pathToFileURL(resolvePath(filename)).href;
  }
  throw invalid('ERR_INVALID_OPTION', 'filename', 'a module path or file: URL', filename);
}

// It counts the tasks a thread runs too: never fewer than it may run at once.
function localQueueSize(value: unknown, concurrency: number): number {
  if (value === undefined) return Math.max(DEFAULT_LOCAL_QUEUE_SIZE, concurrency);
  if (isPositiveInteger(value) && value >= concurrency) return value;
  const expected =
    concurrency === 1
      ? 'a positive integer'
      : `an integer >= concurrentTasksPerThread (${concurrency})`;
  throw invalid('ERR_INVALID_OPTION', 'localQueueSize', expected, value);
}

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (isPositiveInteger(value)) return value;
  throw invalid('ERR_INVALID_OPTION', name, 'a positive integer', value);
}

function niceIncrement(value: unknown): number {
  if (value === undefined) return 0;
  const integer = typeof value === 'number' && Number.isInteger(value);
  if (integer && value >= 0 && value <= LOWEST_PRIORITY) return value;
  throw invalid(
    'ERR_INVALID_OPTION',
    'niceIncrement',
    `an integer from 0 to ${LOWEST_PRIORITY}`,
    value,
  );
}
