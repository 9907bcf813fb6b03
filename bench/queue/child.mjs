/**
 * One measured run of the queue benchmark: a contender's producer in this process, its server in
 * a child process of its own (`server.mjs`), against the Redis the orchestrator started. Sends
 * `--jobs` tiny jobs (`n` → `n + 1`), `--batch` at a time, each awaited: `antpool` through
 * `QueuePool.run`, `bullmq` through `Queue.add` + `job.waitUntilFinished` (with one
 * `QueueEvents`). Prints one JSON line: jobs/s, p50/p99 latency of a job (add to result), RSS.
 *
 * Usage: node bench/queue/child.mjs --contender antpool --port 6390 --jobs 10000 --warmup 500 --batch 100
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Queue, QueueEvents } from 'bullmq';
import { fail, positiveInt, refuseLoader } from '../lib/child.mjs';

refuseLoader();

const { values } = parseArgs({
  options: {
    contender: { type: 'string' },
    port: { type: 'string' },
    jobs: { type: 'string' },
    warmup: { type: 'string' },
    batch: { type: 'string' },
  },
});
const contender = values.contender ?? '';
const port = positiveInt(values.port, 'port');
const jobs = positiveInt(values.jobs, 'jobs');
const warmup = positiveInt(values.warmup, 'warmup');
const batch = positiveInt(values.batch, 'batch');
const queue = `bench-${contender}-${randomUUID().slice(0, 8)}`;
const connection = `redis://127.0.0.1:${port}`;

/** Starts the server process and resolves once it takes jobs; `stop()` ends it. */
function startServer() {
  const script = fileURLToPath(new URL('./server.mjs', import.meta.url));
  const args = [script, '--contender', contender, '--port', String(port), '--queue', queue];
  const proc = spawn(process.execPath, [...args, '--concurrency', String(batch)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => proc.on('close', resolve));
  return new Promise((resolve, reject) => {
    proc.stdout.setEncoding('utf8').once('data', () =>
      resolve({
        stop: async () => {
          proc.stdin.end();
          const timer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
          await exited;
          clearTimeout(timer);
        },
      }),
    );
    exited.then((code) => reject(new Error(`server.mjs exited (${code}) before it was ready`)));
  });
}

/** `run(i)` for a contender, and how to close it. */
async function producer() {
  if (contender === 'antpool') {
    const { QueuePool } = await import('../../dist/bullmq/index.js');
    const pool = new QueuePool({ queue, connection });
    return { run: (i) => pool.run(i), close: () => pool.release() };
  }
  if (contender === 'bullmq') {
    const opts = { connection: { host: '127.0.0.1', port, maxRetriesPerRequest: null } };
    const q = new Queue(queue, opts);
    const events = new QueueEvents(queue, opts);
    await q.waitUntilReady();
    await events.waitUntilReady();
    q.setMaxListeners(0);
    events.setMaxListeners(0);
    return {
      run: async (i) => {
        const job = await q.add('job', i);
        return job.waitUntilFinished(events, 30_000);
      },
      close: async () => {
        await events.close();
        await q.close();
      },
    };
  }
  fail(`unknown --contender ${contender}`);
}

/** Runs `count` jobs, `batch` at a time; returns each job's latency in ms. */
async function runJobs(runner, count) {
  const latencies = [];
  for (let start = 0; start < count; start += batch) {
    const n = Math.min(batch, count - start);
    const promises = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const arg = start + i;
      promises.push(
        runner.run(arg).then((result) => {
          if (result !== arg + 1) throw new Error(`job ${arg} returned ${result}`);
          latencies.push(performance.now() - t0);
        }),
      );
    }
    await Promise.all(promises);
  }
  return latencies;
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

const server = await startServer();
const runner = await producer();
let metrics;
try {
  await runJobs(runner, warmup);
  const t0 = performance.now();
  const latencies = await runJobs(runner, jobs);
  const wallMs = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  metrics = {
    jobs,
    wallMs,
    jobsPerSec: (jobs / wallMs) * 1000,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
  };
} catch (err) {
  fail(`${contender}: ${err instanceof Error ? err.stack : err}`);
}
await runner.close();
await server.stop();

const rssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ contender, ...metrics, rssMb })}\n`);
process.exit(0);
