/**
 * The worker side of one queue-benchmark run, in a process of its own (a machine of its own, in
 * production): `--contender antpool` serves the queue with `serve()` and a `PoolWithFunc`,
 * `--contender bullmq` with a plain BullMQ `Worker`, both `--concurrency` jobs at once, both
 * computing `n + 1`. Prints `ready` once it takes jobs; stops when its stdin closes.
 *
 * Usage: node bench/queue/server.mjs --contender antpool --port 6390 --queue q1 --concurrency 100
 */
import { parseArgs } from 'node:util';
import { Worker } from 'bullmq';
import { fail, positiveInt, refuseLoader } from '../lib/child.mjs';

refuseLoader();

const { values } = parseArgs({
  options: {
    contender: { type: 'string' },
    port: { type: 'string' },
    queue: { type: 'string' },
    concurrency: { type: 'string' },
  },
});
const port = positiveInt(values.port, 'port');
const concurrency = positiveInt(values.concurrency, 'concurrency');
const queue = values.queue ?? fail('--queue is required');
const connection = `redis://127.0.0.1:${port}`;

let close;
if (values.contender === 'antpool') {
  const { serve } = await import('../../dist/bullmq/index.js');
  const { PoolWithFunc } = await import('../../dist/index.js');
  const pool = new PoolWithFunc(concurrency, async (n) => n + 1);
  const server = await serve(queue, pool, { connection, concurrency });
  close = async () => {
    await server.close();
    await pool.releaseTimeout(5000);
  };
} else if (values.contender === 'bullmq') {
  const worker = new Worker(queue, async (job) => job.data + 1, {
    connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null },
    concurrency,
  });
  await worker.waitUntilReady();
  close = () => worker.close();
} else {
  fail(`unknown --contender ${values.contender}`);
}

process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  close().then(
    () => process.exit(0),
    (err) => fail(String(err)),
  );
});
