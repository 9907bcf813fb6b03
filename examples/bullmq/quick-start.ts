// antpool/bullmq, both sides in one process to try it: in production serve() runs on every worker
// machine, QueuePool wherever jobs come from, and Redis is all they share.
// Run: redis-server & node --import tsx examples/bullmq/quick-start.ts
import { QueuePool, serve } from 'antpool/bullmq';
import { ThreadPool } from 'antpool/thread';

const connection = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// Worker side: jobs compute in threads, so this event loop stays free to renew BullMQ's locks.
const threads = new ThreadPool<number, number>({
  filename: new URL('../thread/fib.js', import.meta.url),
});
const server = await serve('fib', threads, { connection });

// Producer side: the pool API over the queue; at most 4 jobs run at once across all servers.
const pool = new QueuePool<number, number>({ queue: 'fib', connection, size: 4 });
const results = await Promise.all([25, 26, 27].map((n) => pool.run(n)));
console.log(results.join(', '));

await pool.release();
await server.close();
await threads.releaseTimeout(5000);
