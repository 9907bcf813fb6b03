export {
  cap,
  defaultPool,
  free,
  reboot,
  release,
  releaseTimeout,
  run,
  running,
  submit,
} from './default-pool.js';
export {
  AbortError,
  InvalidArgumentError,
  PoolClosedError,
  PoolError,
  PoolOverloadError,
  TaskTimeoutError,
  TimeoutError,
  WorkerExitedError,
} from './errors.js';
export type { TaskOptions } from './internal/pool-base.js';
export type { PoolStats, TimeHistogram } from './internal/stats.js';
export type { TaskKind, TaskTraceContext } from './internal/tracing.js';
export { LoadBalancingStrategy, MultiPool, MultiPoolWithFunc } from './multi-pool.js';
export type { Logger, PoolOptions } from './options.js';
export { Pool, type Task } from './pool.js';
export { type PoolFunc, PoolWithFunc } from './pool-with-func.js';
