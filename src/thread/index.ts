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
export type { Logger, PoolOptions } from '../options.js';
export { ThreadPool, type ThreadPoolOptions, type ThreadTaskOptions } from './thread-pool.js';
