import { createRequire } from 'node:module';
import type * as BullMQ from 'bullmq';
import type * as IORedis from 'ioredis';

/** What to run when the optional peer dependencies are missing. */
export const INSTALL_PEERS = 'npm install bullmq@6 ioredis';

const require = createRequire(import.meta.url);

/**
 * Loads an optional peer dependency. `require`, not `import()`: the entry then loads without a
 * top-level await, so `require('antpool/bullmq')` keeps working, and a missing package fails the
 * import itself with a message that says what to install.
 */
function load<T>(name: string): T {
  try {
    return require(name) as T;
  } catch (err) {
    const missing =
      (err as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
      String((err as Error).message).includes(`'${name}'`);
    if (!missing) throw err;
    throw new Error(
      `antpool/bullmq needs the packages bullmq (6) and ioredis, and '${name}' is not installed: ${INSTALL_PEERS}`,
      { cause: err },
    );
  }
}

export const { Queue, Worker, UnrecoverableError } = load<typeof BullMQ>('bullmq');
export const { Redis } = load<typeof IORedis>('ioredis');

export type Queue = BullMQ.Queue;
export type Worker = BullMQ.Worker;
export type Job = BullMQ.Job;
export type Redis = IORedis.Redis;
export type RedisOptions = IORedis.RedisOptions;
