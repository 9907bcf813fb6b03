import type { TaskOptions } from './internal/pool-base.js';
import { Pool, type Task } from './pool.js';

/**
 * The pool behind the module functions, as ants' package-level `Submit`: unlimited, created at
 * import. Creating it starts no timer and no worker.
 */
export const defaultPool: Pool = new Pool(Number.POSITIVE_INFINITY);

/** `defaultPool.submit(task)`. */
export function submit(task: (signal: AbortSignal) => unknown, opts?: TaskOptions): Promise<void> {
  return defaultPool.submit(task, opts);
}

/** `defaultPool.run(task)`. */
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
