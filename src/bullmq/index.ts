/**
 * One pool over many machines through a BullMQ queue on Redis: {@link QueuePool} on the producer
 * side, {@link serve} on each worker machine (jobs run in a local `ThreadPool` or
 * `PoolWithFunc`). Needs the optional peers `bullmq` and `ioredis` (see docs/scale-out.md).
 *
 * @example
 * ```ts
 * import { QueuePool, serve } from 'antpool/bullmq';
 * import { ThreadPool } from 'antpool/thread';
 *
 * const connection = 'redis://127.0.0.1:6379';
 * const threads = new ThreadPool<number, number>({ filename: new URL('./fib.js', import.meta.url) });
 * const server = await serve('fib', threads, { connection }); // on each worker machine
 * const pool = new QueuePool<number, number>({ queue: 'fib', connection, size: 4 });
 * console.log(await pool.run(25)); // 75025
 * ```
 * @module antpool/bullmq
 */
export {
  AbortError,
  InvalidArgumentError,
  JobFailedError,
  PoolClosedError,
  PoolError,
  PoolOverloadError,
  TimeoutError,
} from '../errors.js';
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
