/**
 * The worker side of one queue-benchmark run, in a process of its own (a machine of its own, in
 * production), taking `--concurrency` jobs at once:
 * - `antpool`: `serve()` with a `PoolWithFunc` (`--work tiny`) or a `ThreadPool` of
 *   `--concurrency` threads at `niceIncrement: 10` (`--work cpu`: the threads yield the core to
 *   this process' event loop, which renews the jobs' locks and answers Redis);
 * - `bullmq`: a plain BullMQ `Worker`, its processor inline on this event loop;
 * - `bullmq-sandbox`: a BullMQ `Worker` with a sandboxed processor file (`useWorkerThreads`).
 * Tiny jobs compute `n + 1`, CPU jobs `cpu-work.mjs`. Prints `ready` once it takes jobs; when its
 * stdin closes it stops and prints one JSON line: its event loop's delay p99 while it served.
 *
 * Usage: node bench/queue/server.mjs --contender antpool --work cpu --port 6390 --queue q1 --concurrency 2
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Worker } from 'bullmq';
import { fail, positiveInt, refuseLoader } from '../lib/child.mjs';
import work from './cpu-work.mjs';

refuseLoader();

const { values } = parseArgs({
  options: {
    contender: { type: 'string' },
    work: { type: 'string', default: 'tiny' },
    port: { type: 'string' },
    queue: { type: 'string' },
    concurrency: { type: 'string' },
  },
});
const port = positiveInt(values.port, 'port');
const concurrency = positiveInt(values.concurrency, 'concurrency');
const queue = values.queue ?? fail('--queue is required');
const cpu = values.work === 'cpu';
if (!cpu && values.work !== 'tiny') fail(`unknown --work ${values.work}`);
const connection = `redis://127.0.0.1:${port}`;
const bullConnection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
const cpuWork = new URL('./cpu-work.mjs', import.meta.url);

async function antpool() {
  const { serve } = await import('../../dist/bullmq/index.js');
  const { PoolWithFunc } = await import('../../dist/index.js');
  const { ThreadPool } = await import('../../dist/thread/index.js');
  const pool = cpu
    ? new ThreadPool({ filename: cpuWork, size: concurrency, niceIncrement: 10 })
    : new PoolWithFunc(concurrency, async (n) => n + 1);
  const server = await serve(queue, pool, { connection, concurrency });
  return async () => {
    await server.close();
    await pool.releaseTimeout(5000);
  };
}

async function bullmq(sandbox) {
  const processor = sandbox
    ? fileURLToPath(new URL('./cpu-sandbox.mjs', import.meta.url))
    : async (job) => (cpu ? work(job.data) : job.data + 1);
  const worker = new Worker(queue, processor, {
    connection: bullConnection,
    concurrency,
    useWorkerThreads: sandbox,
  });
  await worker.waitUntilReady();
  return () => worker.close();
}

let close;
if (values.contender === 'antpool') close = await antpool();
else if (values.contender === 'bullmq') close = await bullmq(false);
else if (values.contender === 'bullmq-sandbox' && cpu) close = await bullmq(true);
else fail(`unknown --contender ${values.contender} for --work ${values.work}`);

// 1 ms sampling: a p99 here includes that interval, so an idle loop reads about 1 ms.
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  delay.disable();
  const loopP99Ms = delay.percentile(99) / 1e6;
  close().then(
    () => {
      process.stdout.write(`${JSON.stringify({ loopP99Ms })}\n`);
      process.exit(0);
    },
    (err) => fail(String(err)),
  );
});
