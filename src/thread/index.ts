export {
  AbortError,
  InvalidArgumentError,
  PoolClosedError,
  PoolError,
  PoolOverloadError,
  TaskTimeoutError,
  TimeoutError,
  WorkerExitedError,
} from '../errors.js';
export type { PoolStats, TimeHistogram } from '../internal/stats.js';
export type { TaskKind, TaskTraceContext } from '../internal/tracing.js';
export type { Logger, PoolOptions } from '../options.js';
export {
  ThreadPool,
  type ThreadPoolOptions,
  type ThreadPoolStats,
  type ThreadTaskOptions,
} from './thread-pool.js';
