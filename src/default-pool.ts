import type { TaskOptions } from './internal/pool-base.js';
import { Pool, type Task } from './pool.js';

/**
 * The pool behind the module functions, as ants' package-level `Submit`: unlimited, created at
 * import. Creating it starts no timer and no worker.
 *
 * @example
 * ```ts
 * import { defaultPool } from 'antpool';
 *
 * defaultPool.tune(100); // bound the functions below to 100 tasks at once
 * ```
 */
export const defaultPool: Pool = new Pool(Number.POSITIVE_INFINITY);

/**
 * `defaultPool.submit(task)`: ants' package-level `Submit`.
 *
 * @example
 * ```ts
 * import { submit } from 'antpool';
 *
 * await submit(async () => console.log('ran on the default pool'));
 * ```
 */
export function submit(task: (signal: AbortSignal) => unknown, opts?: TaskOptions): Promise<void> {
  return defaultPool.submit(task, opts);
}

/**
 * `defaultPool.run(task)`: resolves with the task's result.
 *
 * @example
 * ```ts
 * import { run } from 'antpool';
 *
 * const answer = await run(async () => 42);
 * ```
 */
export function run<T>(task: Task<T>, opts?: TaskOptions): Promise<Awaited<T>> {
  return defaultPool.run(task, opts);
}

/** `defaultPool.running`. */
export function running(): number {
  return defaultPool.running;
}

/** `defaultPool.cap` (always `Infinity`). */
export function cap(): number {
  return defaultPool.cap;
}

/** `defaultPool.free` (always `Infinity`). */
export function free(): number {
  return defaultPool.free;
}

/** `defaultPool.release()`. */
export function release(): void {
  defaultPool.release();
}

/** `defaultPool.releaseTimeout(ms)`. */
export function releaseTimeout(ms: number): Promise<void> {
  return defaultPool.releaseTimeout(ms);
}

/** `defaultPool.reboot()`. */
export function reboot(): void {
  defaultPool.reboot();
}
