export {
  AbortError,
  InvalidArgumentError,
  JobFailedError,
  PoolClosedError,
  PoolError,
  PoolOverloadError,
  TimeoutError,
} from '../errors.js';
export type { PoolStats, TimeHistogram } from '../internal/stats.js';
export type { TaskKind, TaskTraceContext } from '../internal/tracing.js';
export type { Logger } from '../options.js';
export type {
  ConnectionOptions,
  JobOptions,
  QueuePoolOptions,
  QueueRunOptions,
  ServeOptions,
} from './options.js';
export type { QueueCounts } from './producer.js';
export { QueuePool } from './queue-pool.js';
export { type Processor, QueueServer, serve } from './server.js';
