import { PoolClosedError } from './errors.js';
import { AsyncWorker, type Execute } from './internal/async-worker.js';
import { withDeadline } from './internal/deadline.js';
import type { TaskOptions } from './internal/pool-base.js';
import { PoolCore } from './internal/pool-core.js';
import { type Mode, RUN, SUBMIT } from './internal/task.js';
import {
  checkFunction,
  checkMilliseconds,
  invalid,
  isPositiveInteger,
} from './internal/validate.js';
import type { PoolOptions } from './options.js';
import { callTask, notAFunction, type Task } from './pool.js';
import type { PoolFunc } from './pool-with-func.js';

/**
 * How a multi-pool picks the sub-pool for each task: `RoundRobin` takes the pools in turn (an
 * overloaded pick retries once on the least busy one), `LeastTasks` the one running fewest.
 *
 * @example
 * ```ts
 * new MultiPool(4, 10, LoadBalancingStrategy.RoundRobin); // or the string 'round-robin'
 * ```
 */
export const LoadBalancingStrategy = {
  /** Pools in turn, starting at 0; an overloaded pick retries once on the least busy pool. */
  RoundRobin: 'round-robin',
  /** The pool with the fewest running workers; ties go to the lowest index. */
  LeastTasks: 'least-tasks',
} as const;
export type LoadBalancingStrategy =
  (typeof LoadBalancingStrategy)[keyof typeof LoadBalancingStrategy];

const strategies: readonly string[] = Object.values(LoadBalancingStrategy);

/** Statistics and lifecycle shared by {@link MultiPool} and {@link MultiPoolWithFunc}. */
abstract class MultiPoolBase<P> implements AsyncDisposable {
  readonly #pools: PoolCore<P>[];
  readonly #roundRobin: boolean;
  #turn = 0;

  protected constructor(
    count: number,
    sizePerPool: number,
    strategy: LoadBalancingStrategy,
    options: PoolOptions | undefined,
    execute: Execute<P>,
  ) {
    if (!isPositiveInteger(count)) {
      throw invalid('ERR_INVALID_MULTI_POOL_SIZE', 'count', 'a positive integer', count);
    }
    if (!strategies.includes(strategy)) {
      const expected = `one of ${strategies.map((s) => `'${s}'`).join(', ')}`;
      throw invalid('ERR_INVALID_LOAD_BALANCING_STRATEGY', 'strategy', expected, strategy);
    }
    this.#roundRobin = strategy === LoadBalancingStrategy.RoundRobin;
    this.#pools = Array.from(
      { length: count },
      () =>
        new PoolCore<P>({
          size: sizePerPool,
          options,
          newWorker: (host) => new AsyncWorker(host, execute),
        }),
    );
  }

  protected add(payload: P, mode: Mode, opts: TaskOptions | undefined): Promise<unknown> {
    return this.#pick().offer(payload, mode, opts);
  }

  #pick(): PoolCore<P> {
    if (!this.#roundRobin) return this.#leastTasks();
    const pool = this.#pools[this.#turn]!;
    this.#turn = (this.#turn + 1) % this.#pools.length;
    return pool.overloaded ? this.#leastTasks() : pool;
  }

  #leastTasks(): PoolCore<P> {
    let best = this.#pools[0]!;
    for (const pool of this.#pools) if (pool.running < best.running) best = pool;
    return best;
  }

  #at(index: number): PoolCore<P> {
    const pool = Number.isInteger(index) ? this.#pools[index] : undefined;
    if (pool !== undefined) return pool;
    const expected = `an integer from 0 to ${this.#pools.length - 1}`;
    throw invalid('ERR_INVALID_POOL_INDEX', 'index', expected, index);
  }

  #sum(stat: (pool: PoolCore<P>) => number): number {
    let total = 0;
    for (const pool of this.#pools) total += stat(pool);
    return total;
  }

  /** Live workers over every sub-pool. */
  get running(): number {
    return this.#sum((pool) => pool.running);
  }
  /** Free slots over every sub-pool. */
  get free(): number {
    return this.#sum((pool) => pool.free);
  }
  /** Waiting callers over every sub-pool. */
  get waiting(): number {
    return this.#sum((pool) => pool.waiting);
  }
  /** Capacity over every sub-pool. */
  get cap(): number {
    return this.#sum((pool) => pool.cap);
  }
  /** Whether the pools are released. */
  get closed(): boolean {
    return this.#pools[0]!.closed;
  }
  /** @throws InvalidArgumentError `ERR_INVALID_POOL_INDEX` for an index out of range. */
  runningByIndex(index: number): number {
    return this.#at(index).running;
  }
  /** @throws InvalidArgumentError `ERR_INVALID_POOL_INDEX` for an index out of range. */
  freeByIndex(index: number): number {
    return this.#at(index).free;
  }
  /** @throws InvalidArgumentError `ERR_INVALID_POOL_INDEX` for an index out of range. */
  waitingByIndex(index: number): number {
    return this.#at(index).waiting;
  }

  /** Tunes every sub-pool to `sizePerPool`. */
  tune(sizePerPool: number): void {
    for (const pool of this.#pools) pool.tune(sizePerPool);
  }

  /** Resolves when no task runs and none waits in any sub-pool. */
  async onIdle(): Promise<void> {
    await Promise.all(this.#pools.map((pool) => pool.onIdle()));
  }

  /** Releases every sub-pool. Idempotent. */
  release(): void {
    for (const pool of this.#pools) pool.release();
  }

  /** Releases every sub-pool and waits for all their workers, with one deadline of `ms`. */
  releaseTimeout(ms: number): Promise<void> {
    try {
      checkMilliseconds(ms, 'ms');
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.closed) return Promise.reject(new PoolClosedError());
    this.release();
    return withDeadline(Promise.all(this.#pools.map((pool) => pool.drained())), ms);
  }

  /** Opens every sub-pool again. */
  reboot(): void {
    for (const pool of this.#pools) pool.reboot();
  }

  /** `await using`: releases every pool and waits for their running tasks. */
  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all(this.#pools.map((pool) => pool.dispose()));
  }
}

/**
 * ants' `MultiPool`: `count` pools of `sizePerPool` workers behind one load balancer, which
 * spreads lock-free contention in Go and, here, keeps each FIFO short.
 *
 * @example
 * ```ts
 * import { LoadBalancingStrategy, MultiPool } from 'antpool';
 *
 * const pools = new MultiPool(4, 100, LoadBalancingStrategy.LeastTasks); // cap 400
 * const body = await pools.run(async () => (await fetch('https://example.com')).text());
 * await pools.releaseTimeout(1000);
 * ```
 */
export class MultiPool extends MultiPoolBase<Task> {
  /** @throws InvalidArgumentError for a bad count, size, strategy or option. */
  constructor(
    count: number,
    sizePerPool: number,
    strategy: LoadBalancingStrategy,
    options?: PoolOptions,
  ) {
    super(count, sizePerPool, strategy, options, callTask);
  }

  /** As `Pool.submit`, on the sub-pool the strategy picks. */
  submit(task: (signal: AbortSignal) => unknown, opts?: TaskOptions): Promise<void> {
    if (typeof task !== 'function') return notAFunction(task);
    return this.add(task, SUBMIT, opts) as Promise<void>;
  }

  /** As `Pool.run`, on the sub-pool the strategy picks. */
  run<T>(task: Task<T>, opts?: TaskOptions): Promise<Awaited<T>> {
    if (typeof task !== 'function') return notAFunction(task);
    return this.add(task, RUN, opts) as Promise<Awaited<T>>;
  }
}

/**
 * ants' `MultiPoolWithFunc`: `count` pools calling one function.
 *
 * @example
 * ```ts
 * import { MultiPoolWithFunc } from 'antpool';
 *
 * const pools = new MultiPoolWithFunc(2, 8, async (n: number) => n * 2, 'round-robin');
 * console.log(await pools.run(21)); // 42
 * pools.release();
 * ```
 */
export class MultiPoolWithFunc<A, R> extends MultiPoolBase<A> {
  /** @throws InvalidArgumentError for a missing function, bad count, size, strategy or option. */
  constructor(
    count: number,
    sizePerPool: number,
    fn: PoolFunc<A, R>,
    strategy: LoadBalancingStrategy,
    options?: PoolOptions,
  ) {
    super(
      count,
      sizePerPool,
      strategy,
      options,
      checkFunction<PoolFunc<A, R>>(fn, 'fn', 'ERR_LACK_POOL_FUNC'),
    );
  }

  /** As `PoolWithFunc.invoke`, on the sub-pool the strategy picks. */
  invoke(arg: A, opts?: TaskOptions): Promise<void> {
    return this.add(arg, SUBMIT, opts) as Promise<void>;
  }

  /** As `PoolWithFunc.run`, on the sub-pool the strategy picks. */
  run(arg: A, opts?: TaskOptions): Promise<Awaited<R>> {
    return this.add(arg, RUN, opts) as Promise<Awaited<R>>;
  }
}
